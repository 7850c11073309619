import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks, type CheckResult } from '../../../src/app/doctor/check.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { staticAdminToken } from '../../../src/http/admin-queues.ts';
import { doctorChecks } from '../../../src/main/doctor.ts';
import { startHttpServer, type RunningServer } from '../../../src/main/http.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

/** `/readyz` gives `herald doctor`'s checks to an admin token only; the public answer is unchanged. */
const ADMIN = 'readyz-admin-token-7c1e9a2f';
let db: TestDatabase;
let srv: RunningServer;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    PUBLIC_URL: 'http://herald.northwind.example',
    HERALD_SECRET: 'readyz-test-4d8e1f0b2a7c9',
  });
  srv = await startHttpServer(
    { db, redisUrl: TEST_REDIS_URL, isAdminToken: staticAdminToken(ADMIN), diagnose: () => runChecks(doctorChecks(config, { timeoutMs: 3_000 })) },
    0,
  );
}, 60_000);

afterAll(async () => {
  await srv.close();
  await db.close();
  await db.drop();
});

describe('/readyz detail', () => {
  it('the public answer has no detail, with no token or a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-the-admin-token' }] as Array<Record<string, string>>) {
      const res = await fetch(`${srv.url}/readyz`, { headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
    }
  });

  it("an admin token also gets the doctor's checks, with what to fix", async () => {
    const res = await fetch(`${srv.url}/readyz`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: CheckResult[] };
    expect(body.status).toBe('ok');
    expect(body.checks.map((c) => [c.name, c.status])).toEqual([
      ['database', 'ok'],
      ['redis', 'ok'],
      ['public-url', 'warn'],
      ['secret', 'ok'],
    ]);
    expect(body.checks.find((c) => c.name === 'public-url')?.fix).toContain('https');
  });
});
