import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from '../../src/net/free-port.ts';

/** A private redis-server (the shared one must not have its policy changed under other tests). */
export async function privateRedis(args: string[]): Promise<{ redis: Redis; proc: ChildProcess; url: string }> {
  const port = await freePort();
  // On the real clock: under `npm run test:faketime` libfaketime's preload would otherwise reach the
  // server too, and redis-server does not come up under it (as the shared Redis and PostgreSQL keep real time).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FAKETIME') && k !== 'LD_PRELOAD'));
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore', env });
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  for (let i = 0; i < 50; i++) {
    try {
      await redis.connect();
      break;
    } catch {
      await sleep(100);
    }
  }
  return { redis, proc, url: `redis://127.0.0.1:${port}` };
}
