import { HeraldError, PlanInvalidError } from '../domain/errors.ts';

/** Where CLI commands write: injectable so tests can capture output without spawning processes. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

let stdoutClosed = false;
let watchingStdout = false;
function writeStdout(t: string): void {
  if (!watchingStdout) {
    watchingStdout = true;
    // `herald messages … | head` closes the pipe early: stop printing and finish the command
    // (closing the database cleanly) instead of dying on an unhandled EPIPE.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      stdoutClosed = true;
    });
  }
  if (!stdoutClosed) process.stdout.write(t.endsWith('\n') ? t : `${t}\n`);
}

export const processOutput: Output = {
  out: writeStdout,
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  isTTY: Boolean(process.stderr.isTTY),
};

/** `1 message`, `2 messages`. */
export const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The line after a re-plan that fired milestone-moved comms; a dry run queues nothing. */
export const triggeredLine = (n: number, dryRun: boolean): string => `${plural(n, 'milestone-moved message')} ${dryRun ? 'would be queued' : 'queued'}`;

/** Turns any failure into one clear message and an exit code; stack traces only for bugs. */
export function reportError(e: unknown, o: Output): number {
  if (e instanceof PlanInvalidError) {
    o.err(e.issues.map((i) => `${i.file}:${i.line}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
    o.err(`${e.issues.length} error${e.issues.length === 1 ? '' : 's'}; nothing was changed`);
    return 1;
  }
  if (e instanceof HeraldError) {
    o.err(`error: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`);
    return 1;
  }
  o.err(`unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return 2;
}
