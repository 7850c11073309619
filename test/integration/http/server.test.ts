import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningServer } from '../../../src/http/server.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

describe('herald serve: health and metrics', () => {
  let db: TestDatabase;
  let srv: RunningServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    srv = await startHttpServer({ db, redisUrl: TEST_REDIS_URL }, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await srv.close();
    await db.drop();
  });

  it('/healthz checks the database and Redis', async () => {
    const res = await fetch(`${srv.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
  });

  it('/healthz says 503 when Redis is unreachable', async () => {
    const bad = await startHttpServer({ db, redisUrl: 'redis://127.0.0.1:1' }, 0, '127.0.0.1');
    try {
      const res = await fetch(`${bad.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'degraded', database: 'ok' });
    } finally {
      await bad.close();
    }
  });

  it('/metrics exposes Prometheus metrics with message counts', async () => {
    const res = await fetch(`${srv.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('# TYPE herald_messages gauge');
    expect(text).toContain('herald_process_cpu_seconds_total');
  });

  it('unknown routes are a JSON 404', async () => {
    const res = await fetch(`${srv.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });
});
