import { openBrowser } from '../../demo/open-browser.ts';
import { startDemo } from '../../main/demo.ts';
import { ConfigError } from '../../domain/errors.ts';
import { createLogger } from '../../logger.ts';
import { closeOnSignal } from '../../main/closers.ts';
import type { CliContext } from '../context.ts';

export async function demo(ctx: CliContext, o: { port?: number; speed: number; open: boolean }): Promise<void> {
  if (!Number.isFinite(o.speed) || o.speed < 1 || o.speed > 100_000)
    throw new ConfigError(`--speed: "${o.speed}" is not a number from 1 to 100000; try --speed 30`);
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535))
    throw new ConfigError(`--port: "${o.port}" is not a port (0–65535); leave it out for a free one`);
  // Only REDIS_URL and LOG_LEVEL are taken from the configuration; the rest is the demo's own. The demo
  // is quieter than serve: it logs warnings unless LOG_LEVEL asks for something other than the default.
  const config = ctx.config();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 'herald-demo');
  const running = await startDemo({ port: o.port, speed: o.speed, redisUrl: config.REDIS_URL, log });
  ctx.output.out(running.url);
  if (o.open) openBrowser(running.url);
  await closeOnSignal(() => running.close());
}
