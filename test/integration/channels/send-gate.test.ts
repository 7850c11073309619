import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalGate, PaceWaitTooLong, RedisGate, type SendGate } from '../../../src/channels/send-gate.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../../support/redis.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

/** Runs `n` fake sends through the gates (round robin), each taking `sendMs`, and records start and end times. */
async function sends(gates: SendGate[], key: string, n: number, sendMs: number, holdMs: number): Promise<Array<{ start: number; end: number }>> {
  const out: Array<{ start: number; end: number }> = [];
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const release = await gates[i % gates.length]!.enter(key);
      const start = performance.now();
      await new Promise((r) => setTimeout(r, sendMs));
      const end = performance.now();
      out.push({ start, end });
      await release(holdMs);
    }),
  );
  return out.sort((a, b) => a.start - b.start);
}

describe('send gates: one send at a time per key, held closed after each completes', () => {
  const prefix = testRedisPrefix();
  const a = new Redis(TEST_REDIS_URL);
  const b = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    a.disconnect();
    b.disconnect();
    await cleanupRedisPrefix(TEST_REDIS_URL, prefix);
  });

  it('in one process, the next send starts only after the previous ended plus the hold', async () => {
    const runs = await sends([new LocalGate(100)], 'D1', 4, 30, 100);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start - runs[i - 1]!.end).toBeGreaterThanOrEqual(95);
  });

  it('across two processes (two Redis connections), the same holds', async () => {
    // Two gates on two connections stand for two worker processes.
    const gates = [new RedisGate(a, prefix, 100), new RedisGate(b, prefix, 100)];
    const runs = await sends(gates, 'D2', 6, 30, 100);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start - runs[i - 1]!.end).toBeGreaterThanOrEqual(95);
  });

  it('other keys are not held back', async () => {
    const gate = new RedisGate(a, prefix, 1000);
    const release = await gate.enter('D3');
    const t = performance.now();
    const other = await gate.enter('D4');
    expect(performance.now() - t).toBeLessThan(500);
    await release(1000);
    await other(0);
  });

  it('refuses a wait longer than the caller accepts', async () => {
    const local = new LocalGate(1000);
    const r1 = await local.enter('D5');
    const waiting = local.enter('D5');
    await expect(local.enter('D5', 1500)).rejects.toBeInstanceOf(PaceWaitTooLong);
    await r1(0);
    await (await waiting)(0);
    const gate = new RedisGate(a, prefix, 1000);
    const r2 = await gate.enter('D6');
    await r2(1000);
    await expect(gate.enter('D6', 100)).rejects.toBeInstanceOf(PaceWaitTooLong);
  });

  it('a lease lapses if the holder dies mid-send', async () => {
    const dying = new RedisGate(a, prefix, 100, 300);
    await dying.enter('D7'); // never released
    const t = performance.now();
    const release = await new RedisGate(b, prefix, 100).enter('D7');
    expect(performance.now() - t).toBeGreaterThanOrEqual(250);
    await release(0);
  });
});
