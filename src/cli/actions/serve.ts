import { startHttpServer } from '../../http/server.ts';
import { createLogger } from '../../logger.ts';
import { openConfiguredDatabase } from '../../main.ts';
import type { CliContext } from '../context.ts';

export async function serve(ctx: CliContext): Promise<void> {
  const config = ctx.config();
  const log = createLogger(config.LOG_LEVEL, 'herald-serve');
  const db = await openConfiguredDatabase(config);
  const srv = await startHttpServer({ db, redisUrl: config.REDIS_URL }, config.PORT);
  log.info({ port: config.PORT, database: db.kind }, 'serving');
  await new Promise<void>((resolve) => {
    const stop = (): void => void srv.close().then(() => db.close()).finally(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
