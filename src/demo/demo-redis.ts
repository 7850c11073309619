import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../domain/errors.ts';
import { freePort } from '../net/free-port.ts';

/** Redis for the demo: the one at REDIS_URL when it answers, else a private redis-server without persistence. */
export interface DemoRedis {
  url: string;
  /** `external` (REDIS_URL) or `private` (a redis-server this process started). */
  kind: 'external' | 'private';
  stop(): Promise<void>;
}

/** Sends PING and waits for +PONG, within `timeoutMs`. */
export function redisAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = createConnection({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write(u.password ? `AUTH ${decodeURIComponent(u.password)}\r\nPING\r\n` : 'PING\r\n'));
    sock.on('data', (d) => done(d.toString().includes('PONG')));
  });
}

const HOW_TO_GET_REDIS =
  'REDIS_URL: no Redis answered at %URL% and redis-server is not on PATH; install it (apt-get install redis-server, brew' +
  ' install redis) or run `docker run -p 6379:6379 redis:7`, then run `herald demo` again';

export async function resolveDemoRedis(redisUrl: string, opts: { spawnRedis?: (port: number) => ChildProcess } = {}): Promise<DemoRedis> {
  if (await redisAnswers(redisUrl)) return { url: redisUrl, kind: 'external', stop: async () => {} };
  const port = await freePort();
  const start =
    opts.spawnRedis ??
    ((p: number) => spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
  const child = start(port);
  const failed = new Promise<false>((resolve) => {
    child.once('error', () => resolve(false));
    child.once('exit', () => resolve(false));
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    const up = await Promise.race([redisAnswers(url, 200), failed]);
    if (up) {
      return {
        url,
        kind: 'private',
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          // A pending timer keeps Node alive: cleared once redis-server exits, so `herald demo` ends with it.
          const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
          await exited.finally(() => clearTimeout(kill));
        },
      };
    }
    if (child.exitCode !== null || child.signalCode !== null || (await Promise.race([failed, sleep(100).then(() => true)])) === false) break;
  }
  child.kill('SIGKILL');
  throw new ConfigError(HOW_TO_GET_REDIS.replace('%URL%', redisUrl));
}
