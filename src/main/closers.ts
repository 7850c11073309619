/**
 * Shutdown with a bound on every step. A step that hangs (Slack unreachable while a click's
 * chat.update is in flight, a database that no longer answers) is logged and left behind, so a
 * SIGTERM always ends the process within the sum of the bounds, well inside an orchestrator's
 * grace period (Docker and Kubernetes wait 10 and 30 s before SIGKILL).
 */
import type { Logger } from '../logger.ts';

export interface CloseStep {
  name: string;
  close: () => Promise<unknown> | undefined;
  /** How long this step may take (default: the call's stepMs). */
  ms?: number;
}

/** Runs the steps in order; a step that fails or outlasts its bound is logged, and the next one runs. */
export async function closeInOrder(steps: readonly CloseStep[], opts: { stepMs: number; log?: Logger | undefined }): Promise<void> {
  for (const step of steps) {
    const ms = step.ms ?? opts.stepMs;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
      timer.unref();
    });
    try {
      const outcome = await Promise.race([Promise.resolve(step.close()).then(() => 'done' as const), timedOut]);
      if (outcome === 'timeout') opts.log?.warn({ step: step.name, ms }, `shutdown: ${step.name} did not finish within ${ms} ms; moving on`);
    } catch (err) {
      opts.log?.warn({ err, step: step.name }, `shutdown: ${step.name} failed; moving on`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The last guard of a CLI process's shutdown: exits after `ms` even if something nobody closes
 * (a socket to a blackholed host) keeps the event loop alive. The timer is unref'd, so a process
 * that ends by itself ends at once.
 */
export function exitIfStillRunningAfter(ms: number, log?: Logger): void {
  setTimeout(() => {
    log?.warn({ ms }, 'shutdown: still running; exiting');
    process.exit(process.exitCode ?? 0);
  }, ms).unref();
}

/**
 * What a long-running command (serve, worker, demo) does on SIGTERM or SIGINT, written once: run
 * `close` (an ordered list of bounded steps) and resolve. With `graceMs`, the process exits after
 * that long whatever still holds it, and 1 s after `close` ends (see exitIfStillRunningAfter).
 */
export function closeOnSignal(
  close: () => Promise<void>,
  opts: { log?: Logger | undefined; graceMs?: number; onSignal?: (signal: NodeJS.Signals) => void } = {},
): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      opts.onSignal?.(signal);
      if (opts.graceMs !== undefined) exitIfStillRunningAfter(opts.graceMs, opts.log);
      const done = (): void => {
        if (opts.graceMs !== undefined) exitIfStillRunningAfter(1_000, opts.log);
        resolve();
      };
      close().then(done, (e: unknown) => {
        opts.log?.error({ err: e }, 'shutdown failed');
        done();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
