import type { Command } from 'commander';
import { createLogger } from '../../logger.ts';
import { startServer } from '../../main.ts';
import type { CliContext } from '../context.ts';

export function registerServeCommands(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the HTTP server: health, metrics, Slack interactivity (or Socket Mode), answer links and unsubscribe pages')
    .action(async () => {
      const config = ctx.config();
      const log = createLogger(config.LOG_LEVEL, 'herald-serve');
      const srv = await startServer(config, { log });
      log.info({ port: config.PORT, database: srv.db.kind, slack: srv.slack?.mode ?? 'off' }, 'serving');
      await new Promise<void>((resolve) => {
        const stop = (): void => void srv.close().finally(resolve);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
