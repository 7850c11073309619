import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisSendLimiter } from '../../../src/channels/send-limiter.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../../support/redis.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

describe('the Redis sliding-window send limiter', () => {
  const a = new Redis(TEST_REDIS_URL);
  const b = new Redis(TEST_REDIS_URL);
  const prefix = testRedisPrefix();
  let n = 0;
  const limiter = (redis: Redis, max: number, windowMs: number, extra: Array<{ max: number; windowMs: number }> = [], key = `k${++n}`) =>
    new RedisSendLimiter(redis, prefix, key, [{ name: 'w', max, windowMs }, ...extra.map((w) => ({ name: 'x', ...w }))]);
  afterAll(async () => {
    a.disconnect();
    b.disconnect();
    await cleanupRedisPrefix(TEST_REDIS_URL, prefix);
  });

  it('lets a burst within the allowance go at once and gives the next one the slot a window after the first', async () => {
    const l = limiter(a, 30, 60_000);
    const waits = await Promise.all(Array.from({ length: 31 }, (_, i) => l.reserve(`t${i}`)));
    expect(waits.slice(0, 30).every((w) => w <= 0)).toBe(true);
    expect(waits[30]).toBeGreaterThan(59_000);
    expect(waits[30]).toBeLessThanOrEqual(60_050);
  });

  it('answers a ticket that already holds a slot with that slot, and takes no second one', async () => {
    const l = limiter(a, 1, 10_000);
    expect(await l.reserve('x')).toBeLessThanOrEqual(0);
    const later = await l.reserve('y');
    expect(later).toBeGreaterThan(9_000);
    const again = await l.reserve('y');
    expect(Math.abs(again - later)).toBeLessThan(50);
    // Only two slots exist: the third ticket queues behind y.
    expect(await l.reserve('z')).toBeGreaterThan(19_000);
  });

  it('a released slot is free for the next sender (a turned-away or unsent job never uses the allowance)', async () => {
    const l = limiter(a, 2, 10_000);
    expect(await l.reserve('p')).toBeLessThanOrEqual(0);
    expect(await l.reserve('q')).toBeLessThanOrEqual(0);
    await l.release('q');
    expect(await l.reserve('r')).toBeLessThanOrEqual(0);
    expect(await l.reserve('s')).toBeGreaterThan(9_000);
  });

  it('keeps every window: a daily cap holds sends back even when the minute has room', async () => {
    const l = limiter(a, 5, 1_000, [{ max: 7, windowMs: 60_000 }]);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) waits.push(await l.reserve(`d${i}`));
    expect(waits.slice(0, 5).every((w) => w <= 0)).toBe(true);
    // The 6th and 7th wait for the short window; the 8th for the long one.
    expect(waits[5]).toBeGreaterThan(900);
    expect(waits[6]).toBeGreaterThan(900);
    expect(waits[6]).toBeLessThan(1_100);
    expect(waits[7]).toBeGreaterThan(59_000);
  });

  it('is one limit for every process: two Redis connections share the allowance', async () => {
    const key = `shared${++n}`;
    const one = limiter(a, 10, 60_000, [], key);
    const two = limiter(b, 10, 60_000, [], key);
    const waits = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).reserve(`s${i}`)));
    expect(waits.filter((w) => w <= 0)).toHaveLength(10);
    expect(waits.filter((w) => w > 59_000)).toHaveLength(10);
  });

  it('spaces a backlog at the full rate: slot k+max is one window after slot k', async () => {
    const l = limiter(a, 3, 1_000);
    const slots: number[] = [];
    for (let i = 0; i < 9; i++) slots.push(Math.max(0, await l.reserve(`b${i}`)) + Date.now());
    for (let i = 0; i + 3 < slots.length; i++) {
      const gap = slots[i + 3]! - slots[i]!;
      // Redis's clock and ours are the same machine's, read a moment apart.
      expect(gap).toBeGreaterThanOrEqual(990);
      expect(gap).toBeLessThan(1_050);
    }
  });

  it('confirm stamps actual sends and holds one back while the sends already in the window fill it', async () => {
    const l = limiter(a, 2, 1_000);
    for (const t of ['c1', 'c2']) {
      expect(await l.reserve(t)).toBeLessThanOrEqual(0);
      expect(await l.confirm(t)).toBe(0);
    }
    // A ticket that got a slot another way (here: released and re-reserved) still may not crowd the sends.
    await l.release('c2');
    expect(await l.reserve('c3')).toBeLessThanOrEqual(0);
    expect(await l.confirm('c3')).toBeGreaterThan(900);
    // Confirming the same send twice is not a second send.
    expect(await l.confirm('c1')).toBe(0);
  });
});
