import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';

/** Asks one question; an empty answer takes the default shown in brackets. */
export type Ask = (question: string, fallback: string) => Promise<string>;

/** Questions over a terminal (or any stream pair, for tests); `close()` when done. */
export function streamAsk(input: Readable, output: Writable): { ask: Ask; close: () => void } {
  const rl = createInterface({ input, output, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    ask: async (question, fallback) => {
      output.write(`${question} [${fallback}]: `);
      const next = await lines.next();
      const answer = next.done ? '' : String(next.value).trim();
      return answer === '' ? fallback : answer;
    },
    close: () => rl.close(),
  };
}
