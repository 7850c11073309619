import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { evictionPolicyWarning } from '../../../jobs/eviction-policy.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** A private redis-server (the shared one must not have its policy changed under other tests). */
async function privateRedis(args: string[]): Promise<{ redis: Redis; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
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
  return { redis, proc };
}

describe('the worker checks Redis maxmemory-policy at start', () => {
  const started: Array<{ redis: Redis; proc: ChildProcess }> = [];
  afterAll(() => {
    for (const s of started) {
      s.redis.disconnect();
      s.proc.kill();
    }
  });

  it('warns in one line when the policy evicts keys', async () => {
    const s = await privateRedis(['--maxmemory-policy', 'allkeys-lru']);
    started.push(s);
    const line = await evictionPolicyWarning(s.redis);
    expect(line).toMatch(/maxmemory-policy is "allkeys-lru", not "noeviction"/);
    expect(line).not.toContain('\n');
  });

  it('is quiet with noeviction (the shared test Redis, as docker-compose sets it)', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await evictionPolicyWarning(redis)).toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });

  it('tolerates CONFIG being disabled (renamed away, as managed Redis does)', async () => {
    const s = await privateRedis(['--maxmemory-policy', 'allkeys-lru', '--rename-command', 'CONFIG', '""']);
    started.push(s);
    await expect(s.redis.call('CONFIG', 'GET', 'maxmemory-policy')).rejects.toThrow(/unknown command/i);
    expect(await evictionPolicyWarning(s.redis)).toBeUndefined();
  });
});
