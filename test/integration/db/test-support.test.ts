import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRedisPrefix, createTestDatabase, testRedisPrefix, TEST_REDIS_URL } from '../../support/index.ts';
import { newRunId, runStartedAt } from '../../support/run-id.ts';

describe('test support', () => {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  afterAll(() => redis.disconnect());

  it('gives every caller its own Redis prefix and removes only that prefix', async () => {
    const [a, b] = [testRedisPrefix(), testRedisPrefix()];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^herald-t-[0-9a-z]{13}-\d+-\d+$/);
    await redis.mset(`${a}:q:1`, '1', `${a}:q:2`, '2', `${b}:q:1`, '3');
    expect(await cleanupRedisPrefix(TEST_REDIS_URL, a)).toBe(2);
    expect(await redis.exists(`${a}:q:1`, `${a}:q:2`, `${b}:q:1`)).toBe(1);
    await cleanupRedisPrefix(TEST_REDIS_URL, b);
  });

  it('copies separate, migrated PostgreSQL databases that disappear on drop', async () => {
    const [one, two] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    expect(one.url).not.toBe(two.url);
    await one.prisma.project.create({ data: { key: 'only-in-one', name: 'n', timezone: 'UTC', plan: {}, planHash: 'h' } });
    expect(await two.prisma.project.count()).toBe(0);
    await Promise.all([one.drop(), two.drop()]);
    const admin = new pg.Client({ connectionString: one.url.replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = ANY($1)', [[one.url, two.url].map((u) => new URL(u).pathname.slice(1))]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });

  it('run ids carry their start time so a crashed run can be recognised later', () => {
    const at = Date.UTC(2026, 10, 25, 12, 0, 0);
    expect(runStartedAt(newRunId(at))).toBe(at);
    expect(runStartedAt('not-a-run')).toBeUndefined();
  });
});
