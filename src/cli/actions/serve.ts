import { testClockWarning } from '../../app/configured-clock.ts';
import { createLogger } from '../../logger.ts';
import { startServer } from '../../main.ts';
import type { CliContext } from '../context.ts';

export async function serve(ctx: CliContext): Promise<void> {
  const config = ctx.config();
  const log = createLogger(config.LOG_LEVEL, 'herald-serve');
  const warning = testClockWarning(config);
  if (warning) log.warn(warning);
  const srv = await startServer(config, { log, clock: ctx.clock });
  log.info({ port: config.PORT, database: srv.db.kind, slack: srv.slack?.mode ?? 'off' }, 'serving');
  await new Promise<void>((resolve) => {
    const stop = (): void => void srv.close().finally(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
