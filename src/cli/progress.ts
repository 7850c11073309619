import type { Progress } from '../app/ports.ts';
import type { Output } from './output.ts';

/** A one-line progress display on a terminal; silent when output is piped. */
export function terminalProgress(o: Output): Progress {
  if (!o.isTTY) return { step: () => {} };
  let last = '';
  return {
    step(label, done, total) {
      const line = `${label} ${total > 1 ? `${Math.round((done / total) * 100)}%` : ''}`.trim();
      if (line === last) return;
      last = line;
      process.stderr.write(`\r\x1b[2K${line}${done >= total ? '\n' : ''}`);
    },
  };
}
