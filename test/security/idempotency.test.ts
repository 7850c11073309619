/**
 * Issue 15 §1.6: an Idempotency-Key is bound to its request (method, path, query, body). A real
 * apply after a dry run with the same key used to be silently "replayed" as the dry run's answer,
 * so nothing was applied; now it is refused with 422, and a true retry still replays.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/api-tokens.ts';
import { buildHttpServer } from '../../src/main/http.ts';
import { createHttpReads } from '../../src/db/repo/http-reads.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';

const PLAN = readFileSync('test/fixtures/plans/delivery.plan.yaml', 'utf8');

describe('Idempotency-Key is bound to method, path, query and body', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let closeExtras: () => Promise<void>;
  let editor = '';
  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, closeExtras } = await buildHttpServer({ db, reads: createHttpReads(db), redisUrl: TEST_REDIS_URL }));
    editor = (await createApiToken(db, { role: 'editor', name: 'editor', now: new Date() })).token;
  });
  afterAll(async () => {
    await app?.close();
    await closeExtras?.();
    await db?.drop();
  });

  const apply = (query: string, key: string, body = PLAN) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/plans${query}`,
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/yaml', 'idempotency-key': key },
      payload: body,
    });

  it('a real apply after a dry run with the same key is refused (422), not answered with the dry run', async () => {
    const dry = await apply('?dryRun=true', 'deploy-42');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().dryRun).toBe(true);
    const real = await apply('', 'deploy-42');
    expect(real.statusCode, real.body).toBe(422);
    expect(real.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { hint: expect.stringContaining('new Idempotency-Key') } });
    expect(real.headers['idempotent-replayed']).toBeUndefined();
    expect(await db.prisma.project.count()).toBe(0);
    // With its own key the real apply runs.
    const fresh = await apply('', 'deploy-43');
    expect(fresh.statusCode, fresh.body).toBe(200);
    expect(fresh.json().dryRun).toBe(false);
    expect(await db.prisma.project.count()).toBe(1);
  });

  it('the same key with another body is refused; the very same request is replayed', async () => {
    const first = await apply('', 'deploy-44');
    expect(first.statusCode).toBe(200);
    const changed = await apply('', 'deploy-44', `${PLAN}\n# edited\n`);
    expect(changed.statusCode).toBe(422);
    const again = await apply('', 'deploy-44');
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
  });
});
