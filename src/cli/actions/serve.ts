import { testClockWarning } from '../../app/configured-clock.ts';
import { createLogger } from '../../logger.ts';
import { startServer } from '../../main.ts';
import { exitIfStillRunningAfter } from '../../close-in-order.ts';
import type { CliContext } from '../context.ts';

export async function serve(ctx: CliContext): Promise<void> {
  const config = ctx.config();
  const log = createLogger(config.LOG_LEVEL, 'herald-serve');
  const warning = testClockWarning(config);
  if (warning) log.warn(warning);
  const srv = await startServer(config, { log, clock: ctx.clock });
  log.info({ host: config.HOST, port: config.PORT, database: srv.db.kind, slack: srv.slack?.mode ?? 'off' }, 'serving');
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      // Every close step is bounded (src/close-in-order.ts, about 20 s in all); this catches whatever still holds the process.
      exitIfStillRunningAfter(25_000, log);
      void srv.close().finally(() => {
        exitIfStillRunningAfter(1_000, log);
        resolve();
      });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
