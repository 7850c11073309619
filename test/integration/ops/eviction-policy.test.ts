import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { evictionPolicyWarning } from '../../../jobs/eviction-policy.ts';
import { privateRedis } from '../../support/private-redis.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

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
