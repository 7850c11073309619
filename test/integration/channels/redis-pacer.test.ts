import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { PaceWaitTooLong } from '../../../src/channels/pacer.ts';
import { RedisPacer } from '../../../src/channels/redis-pacer.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../../support/redis.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

describe('RedisPacer: one schedule per key across processes', () => {
  const prefix = testRedisPrefix();
  const a = new Redis(TEST_REDIS_URL);
  const b = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    a.disconnect();
    b.disconnect();
    await cleanupRedisPrefix(TEST_REDIS_URL, prefix);
  });

  it('spaces acquisitions from two connections at least the interval apart', async () => {
    // Two pacers on two connections stand for two worker processes.
    const p1 = new RedisPacer(a, 100, prefix);
    const p2 = new RedisPacer(b, 100, prefix);
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? p2 : p1).acquire('D1').then(() => times.push(performance.now()))),
    );
    times.sort((x, y) => x - y);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Timers may fire a little early or late; the reservations themselves are exactly 100 ms apart.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(450);
  });

  it('other keys are not held back', async () => {
    const p = new RedisPacer(a, 1000, prefix);
    await p.acquire('D2');
    const t = performance.now();
    await p.acquire('D3');
    expect(performance.now() - t).toBeLessThan(500);
  });

  it('refuses a wait longer than the caller accepts, reserving nothing', async () => {
    const p = new RedisPacer(a, 1000, prefix);
    await p.acquire('D4');
    await expect(p.acquire('D4', 100)).rejects.toBeInstanceOf(PaceWaitTooLong);
    await expect(p.acquire('D4', 100)).rejects.toSatisfy((e: PaceWaitTooLong) => e.waitMs <= 1000 && e.waitMs > 500);
  });
});
