import { publicUrlProblem } from '../../app/doctor/public-url.ts';
import { testClockWarning } from '../../app/configured-clock.ts';
import { createLogger } from '../../logger.ts';
import { startServer } from '../../main/server.ts';
import { closeOnSignal } from '../../main/closers.ts';
import type { CliContext } from '../context.ts';

export async function serve(ctx: CliContext): Promise<void> {
  const config = ctx.config();
  const log = createLogger(config.LOG_LEVEL, 'herald-serve');
  const warning = testClockWarning(config);
  if (warning) log.warn(warning);
  // The links of every message start with PUBLIC_URL: over http, no one-click unsubscribe (RFC 8058).
  const insecure = publicUrlProblem(config.PUBLIC_URL);
  if (insecure) log.warn(`${insecure.message}; ${insecure.fix}`);
  const srv = await startServer(config, { log, clock: ctx.clock });
  log.info({ host: config.HOST, port: config.PORT, database: srv.db.kind, slack: srv.slack?.mode ?? 'off' }, 'serving');
  // Every close step is bounded (src/main/closers.ts, about 20 s in all); the grace catches whatever still holds the process.
  await closeOnSignal(() => srv.close(), { log, graceMs: 25_000 });
}
