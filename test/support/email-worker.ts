/**
 * A `herald worker` in a child process, for tests that need several worker processes: the
 * same startWorker as the CLI, configured from the environment, with e-mail's per-minute
 * window scaled down to TEST_EMAIL_WINDOW_MS so a backlog test takes seconds, not minutes.
 * Sends "ready" over IPC once started; SIGTERM stops it gracefully.
 */
import { loadConfig } from '../../src/config/config.ts';
import { startWorker } from '../../src/main/worker.ts';

const windowMs = Number(process.env.TEST_EMAIL_WINDOW_MS ?? 60_000);
const runtime = await startWorker(loadConfig(process.env), {
  emailWindowMs: windowMs,
  sweep: { intervalMs: 200, horizonMs: 2_000, strandedAfterMs: 5_000 },
});
process.send?.('ready');
process.once('SIGTERM', () => {
  void runtime.close().finally(() => process.exit(0));
});
