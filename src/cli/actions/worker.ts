import { testClockWarning } from '../../app/configured-clock.ts';
import { createLogger } from '../../logger.ts';
import { startWorker } from '../../main/worker.ts';
import { closeOnSignal } from '../../main/closers.ts';
import type { CliContext } from '../context.ts';

export interface WorkerOptions {
  slackConcurrency: string;
  emailConcurrency: string;
  lockMs: string;
}

export async function worker(ctx: CliContext, opts: WorkerOptions): Promise<void> {
  const config = ctx.config();
  const log = createLogger(config.LOG_LEVEL, 'herald-worker');
  const warning = testClockWarning(config);
  if (warning) log.warn(warning);
  const rt = await startWorker(config, {
    clock: ctx.clock,
    concurrency: { slack: Number(opts.slackConcurrency), email: Number(opts.emailConcurrency) },
    lockDurationMs: Number(opts.lockMs),
    // A send abandoned by a killed worker is taken over once its lock has surely expired.
    staleSendingMs: Math.max(3 * Number(opts.lockMs), 10_000),
    sweep: { strandedAfterMs: Math.max(2 * Number(opts.lockMs), 5_000) },
    onError: (e) => log.error({ err: e }, 'worker error'),
    log,
    onWarn: (line) => log.warn(line),
  });
  for (const w of rt.workers.workers) {
    w.on('completed', (job, result) => log.debug({ messageId: job.id, result }, 'delivered'));
    w.on('failed', (job, err) => log.warn({ messageId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'delivery failed'));
  }
  log.info({ channels: Object.keys(rt.channels), database: rt.db.kind, metricsPort: rt.metrics?.port }, 'worker started');
  // Each close step is bounded (sends in flight 30 s, the rest 5 s each); the grace catches whatever still holds the process.
  await closeOnSignal(() => rt.close(), {
    log,
    graceMs: 60_000,
    onSignal: (signal) => log.info({ signal }, 'shutting down: finishing sends in flight, taking no new ones'),
  });
  log.info('worker stopped');
}
