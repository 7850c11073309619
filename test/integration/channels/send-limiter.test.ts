import { setTimeout as sleep } from 'node:timers/promises';
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
  const limiter = (redis: Redis, max: number, windowMs: number, extra: Array<{ max: number; windowMs: number }> = [], key = `k${++n}`, leaseMs?: number) =>
    new RedisSendLimiter(redis, prefix, key, [{ name: 'w', max, windowMs }, ...extra.map((w) => ({ name: 'x', ...w }))], leaseMs);
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

  it('a burst within the allowance is confirmed at once; the send after it waits for the window', async () => {
    const l = limiter(a, 30, 60_000);
    const waits = await Promise.all(Array.from({ length: 30 }, (_, i) => l.confirm(`u${i}`)));
    expect(waits.every((w) => w === 0)).toBe(true);
    await Promise.all(Array.from({ length: 30 }, (_, i) => l.done(`u${i}`)));
    expect(await l.confirm('u30')).toBeGreaterThan(59_000);
  });

  it('a send in flight holds the window until done, and the window counts from done', async () => {
    const l = limiter(a, 1, 1_000);
    expect(await l.confirm('f1')).toBe(0);
    await sleep(300);
    // Still in flight: it will be stamped no earlier than now, so a whole window from now at least.
    const inFlight = await l.confirm('f2');
    expect(inFlight).toBeGreaterThanOrEqual(1_000);
    await l.done('f1');
    const fromDone = await l.confirm('f2');
    expect(fromDone).toBeGreaterThan(950);
    expect(fromDone).toBeLessThanOrEqual(1_000);
  });

  it('a send that reached the provider late (slow SMTP) cannot let the next one in a window after its confirm', async () => {
    const l = limiter(a, 2, 600);
    const t0 = Date.now();
    expect(await l.confirm('s1')).toBe(0);
    await sleep(250); // s1's provider answers late
    await l.done('s1');
    const doneAt = Date.now();
    await sleep(50);
    expect(await l.confirm('s2')).toBe(0);
    await l.done('s2');
    await sleep(Math.max(0, t0 + 620 - Date.now()));
    // A window after s1's confirm has passed, but not a window after its answer.
    const wait = await l.confirm('s3');
    expect(wait).toBeGreaterThan(0);
    expect(Date.now() + wait).toBeGreaterThanOrEqual(doneAt + 600 - 5);
  });

  it('a send whose worker died mid-send counts until its lease ends and a window after that', async () => {
    const l = limiter(a, 1, 500, [], `lease${++n}`, 300);
    const t0 = Date.now();
    expect(await l.confirm('dead')).toBe(0);
    // Never done. While the lease runs the window is held from its end at the earliest.
    expect(await l.confirm('next')).toBeGreaterThanOrEqual(500);
    await sleep(350);
    const wait = await l.confirm('next');
    expect(Date.now() + wait - t0).toBeGreaterThanOrEqual(790);
    expect(Date.now() + wait - t0).toBeLessThan(900);
    await sleep(wait);
    expect(await l.confirm('next')).toBe(0);
  });

  it('done of a ticket that was never confirmed records nothing', async () => {
    const l = limiter(a, 1, 10_000);
    await l.done('ghost');
    expect(await l.confirm('real')).toBe(0);
  });
});
