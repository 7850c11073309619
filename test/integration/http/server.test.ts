import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningServer } from '../../../src/main/http.ts';
import { createHttpReads } from '../../../src/db/repo/http-reads.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

describe('herald serve: health and metrics', () => {
  let db: TestDatabase;
  let srv: RunningServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    srv = await startHttpServer({ db, reads: createHttpReads(db), redisUrl: TEST_REDIS_URL }, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await srv.close();
    await db.drop();
  });

  it('/healthz says the process is up, checking nothing else', async () => {
    const res = await fetch(`${srv.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz checks the database and Redis', async () => {
    const res = await fetch(`${srv.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
  });

  it('/readyz is 503 naming Redis when Redis is unreachable; /healthz stays 200', async () => {
    const bad = await startHttpServer({ db, reads: createHttpReads(db), redisUrl: 'redis://127.0.0.1:1' }, 0, '127.0.0.1');
    try {
      const res = await fetch(`${bad.url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ status: 'unavailable', failed: ['redis'], database: 'ok' });
      expect(String(body.redis)).toMatch(/^unreachable/);
      expect((await fetch(`${bad.url}/healthz`)).status).toBe(200);
    } finally {
      await bad.close();
    }
  });

  it('/readyz is 503 naming the database when it is unreachable', async () => {
    const gone = await createTestDatabase();
    const s2 = await startHttpServer({ db: gone, reads: createHttpReads(gone), redisUrl: TEST_REDIS_URL }, 0, '127.0.0.1');
    try {
      await gone.close();
      const res = await fetch(`${s2.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unavailable', failed: ['database'], redis: 'ok' });
    } finally {
      await s2.close();
      await gone.drop().catch(() => {});
    }
  });

  it('/metrics exposes Prometheus metrics', async () => {
    const res = await fetch(`${srv.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('# TYPE herald_messages gauge');
    expect(text).toContain('herald_process_cpu_seconds_total');
  });

  it('unknown routes are a JSON 404', async () => {
    const res = await fetch(`${srv.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'NOT_FOUND', message: expect.any(String), details: null });
  });
});

describe('herald serve: limits and errors', () => {
  let db: TestDatabase;
  let srv: RunningServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    const { buildHttpServer } = await import('../../../src/main/http.ts');
    const { app, closeExtras } = await buildHttpServer({ db, redisUrl: TEST_REDIS_URL, bodyLimit: 1024 });
    app.get('/test/slow', { handlerTimeout: 100 }, async () => new Promise((r) => setTimeout(() => r({ late: true }), 1_000)));
    // What pg-pool throws when no connection frees up in time (an overloaded server; the chaos soak found it).
    app.get('/test/busy', async () => {
      throw new Error('timeout exceeded when trying to connect');
    });
    app.get('/test/boom', async () => {
      throw new Error('secret internals at /srv/herald/x.ts:12');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    srv = {
      server: app.server,
      app,
      url: `http://127.0.0.1:${port}`,
      close: async () => {
        await app.close();
        await closeExtras();
      },
    };
  });
  afterAll(async () => {
    await srv.close();
    await db.drop();
  });

  it('a body over the limit is 413 with a readable message', async () => {
    const res = await fetch(`${srv.url}/r/abc`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `comment=${'x'.repeat(5000)}`,
    });
    expect(res.status).toBe(413);
    const text = await res.text();
    expect(text).toMatch(/too large/i);
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a route past its timeout is 503; an internal error is 500 without a stack trace', async () => {
    const slow = await fetch(`${srv.url}/test/slow`);
    expect(slow.status).toBe(503);
    expect(await slow.json()).toMatchObject({ code: 'TIMEOUT' });
    const boom = await fetch(`${srv.url}/test/boom`);
    expect(boom.status).toBe(500);
    const body = (await boom.json()) as { code: string; message: string };
    expect(body.code).toBe('INTERNAL');
    expect(JSON.stringify(body)).not.toContain('secret internals');
    expect(JSON.stringify(body)).not.toContain('.ts:');
  });

  it('a database with no connection free in time is 503 with Retry-After, not 500', async () => {
    const busy = await fetch(`${srv.url}/test/busy`);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('5');
    expect(await busy.json()).toMatchObject({ code: 'DATABASE_BUSY' });
  });

  it('sets security headers', async () => {
    const res = await fetch(`${srv.url}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
