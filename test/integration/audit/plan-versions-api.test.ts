/**
 * Plan history over the REST API (GET /projects/:p/versions, /versions/:n, /versions/:a/diff/:b,
 * POST /projects/:p/rollback) on PostgreSQL, with the queue jobs of messages a rollback moves
 * dropped from Redis as POST /plans drops them.
 */
import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_QUEUES } from '../../../jobs/catalogue.ts';
import { createApiToken } from '../../../src/app/api-tokens.ts';
import type { Clock } from '../../../src/app/ports.ts';
import { createHttpReads } from '../../../src/db/repo/http-reads.ts';
import { buildHttpServer } from '../../../src/main/http.ts';
import { buildEngine } from '../../../src/templates/builtin.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../../support/redis.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

const PLAN = readFileSync('test/fixtures/plans/delivery.plan.yaml', 'utf8');
const MOVED = PLAN.replace('cutover: { at: 2030-01-15T18:00', 'cutover: { at: 2030-01-22T18:00');
const PROJECT = 'delivery-test';
// A fixed clock: the fixture's milestones are in 2030.
const NOW = new Date('2029-12-01T10:00:00Z');
const clock: Clock = { now: () => NOW };

describe('plan history over the API (versions, diff, rollback)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let closeExtras: () => Promise<void>;
  let prefix = '';
  let editor = '';
  let viewer = '';
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const get = (url: string, token = viewer) => app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}${url}`, headers: auth(token) });
  const rollback = (payload: unknown, token = editor, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/api/v1/projects/${PROJECT}/rollback`, headers: { ...auth(token), ...headers }, payload: payload as object });

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testRedisPrefix();
    ({ app, closeExtras } = await buildHttpServer({
      db,
      clock,
      reads: createHttpReads(db),
      redisUrl: TEST_REDIS_URL,
      redisPrefix: prefix,
      templates: buildEngine({ PUBLIC_URL: 'http://127.0.0.1' }),
    }));
    editor = (await createApiToken(db, { role: 'editor', name: 'pm-maria', now: NOW, actor: 'root@ops' })).token;
    viewer = (await createApiToken(db, { role: 'viewer', name: 'auditor', now: NOW, actor: 'root@ops' })).token;
    await app.ready();
    for (const yaml of [PLAN, MOVED]) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: { ...auth(editor), 'content-type': 'application/yaml' }, payload: yaml });
      expect(r.statusCode, r.body).toBe(200);
    }
  });
  afterAll(async () => {
    await app?.close();
    await closeExtras?.();
    if (prefix) await cleanupRedisPrefix(TEST_REDIS_URL, prefix);
    await db?.drop();
  });

  it('lists the versions newest first, with who, when and what changed, in pages', async () => {
    const r = await get('/versions');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as { items: Array<Record<string, unknown>>; nextCursor: string | null };
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((v) => [v.number, v.appliedBy, v.appliedAt, v.rollbackOf])).toEqual([
      [2, 'pm-maria', NOW.toISOString(), null],
      [1, 'pm-maria', NOW.toISOString(), null],
    ]);
    expect(body.items[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.items[0]!.summary).toMatchObject({ added: 0, cancelled: 0, milestonesMoved: 1 });
    expect((body.items[0]!.summary as { moved: number }).moved).toBeGreaterThan(0);
    expect((body.items[1]!.summary as { added: number }).added).toBeGreaterThan(0);

    const first = (await get('/versions?limit=1')).json() as typeof body;
    expect(first.items.map((v) => v.number)).toEqual([2]);
    const second = (await get(`/versions?limit=1&cursor=${first.nextCursor}`)).json() as typeof body;
    expect(second).toMatchObject({ items: [{ number: 1 }], nextCursor: null });
  });

  it('gives one version with the plan file exactly as applied', async () => {
    const r = await get('/versions/2');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ number: 2, appliedBy: 'pm-maria', rollbackOf: null, yaml: MOVED, files: [] });
  });

  it('diffs two versions: the YAML and the messages it moves, named in words', async () => {
    const r = await get('/versions/1/diff/2');
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json() as {
      from: { number: number };
      to: { number: number };
      patch: string;
      calendar: { added: unknown[]; moved: Array<{ key: string; label: string; from: string; to: string }>; cancelled: unknown[] };
    };
    expect([d.from.number, d.to.number]).toEqual([1, 2]);
    expect(d.patch).toContain('-  cutover: { at: 2030-01-15T18:00');
    expect(d.patch).toContain('+  cutover: { at: 2030-01-22T18:00');
    expect(d.calendar.added).toEqual([]);
    expect(d.calendar.cancelled).toEqual([]);
    expect(d.calendar.moved.length).toBeGreaterThan(0);
    const ana = d.calendar.moved.find((m) => m.key.includes(':ana:'))!;
    expect(ana.label).toMatch(/→ Ana Silva \((Slack|e-mail)\)$/);
    expect(Date.parse(ana.to) - Date.parse(ana.from)).toBe(7 * 24 * 3600_000);
    // The same texts: an empty patch and nothing moved.
    expect((await get('/versions/2/diff/2')).json()).toMatchObject({ patch: expect.not.stringContaining('cutover'), calendar: { moved: [] } });
  });

  it('an unknown version is 404 with a hint naming how to list them; a bad number is 400; never 500', async () => {
    for (const url of ['/versions/9', '/versions/1/diff/9', '/versions/9/diff/1']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json()).toMatchObject({ code: 'NOT_FOUND', message: `version 9 of project ${PROJECT} not found` });
      expect(r.json().details.hint).toContain(`GET /api/v1/projects/${PROJECT}/versions`);
    }
    for (const url of ['/versions/0', '/versions/abc', '/versions/1.5', '/versions/-1', '/versions/99999999999', '/versions/1/diff/x']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json().code).toBe('VALIDATION_FAILED');
    }
    const other = await app.inject({ method: 'GET', url: '/api/v1/projects/nope/versions', headers: auth(viewer) });
    expect(other.statusCode).toBe(404);
    expect((await rollback({ to: 9 })).statusCode).toBe(404);
    expect((await rollback({ to: 0 })).statusCode).toBe(400);
    expect((await rollback({ to: '1' })).statusCode).toBe(400);
  });

  it('a viewer may read but not roll back; a token limited to another project may not read', async () => {
    const refused = await rollback({ to: 1 }, viewer);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('FORBIDDEN_ROLE');
    await db.prisma.project.create({ data: { key: 'other', name: 'Other', timezone: 'UTC', plan: {}, planHash: 'x' } });
    const limited = (await createApiToken(db, { role: 'editor', projectKey: 'other', name: 'other-only', now: NOW })).token;
    expect((await get('/versions', limited)).statusCode).toBe(403);
    expect((await rollback({ to: 1 }, limited)).statusCode).toBe(403);
  });

  it('rolls back to version 1 as version 3 by the token, dropping the queued jobs of the messages it moves', async () => {
    const dry = await rollback({ to: 1, dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, version: null, rollbackOf: 1 });
    expect((await get('/versions')).json().items).toHaveLength(2);

    // One message cutover moved is queued (a delayed job with its id, as the sweeper adds it).
    const msg = await db.prisma.message.findFirstOrThrow({ where: { milestones: { has: 'cutover' }, status: 'planned' }, orderBy: { key: 'asc' } });
    await db.prisma.message.update({ where: { id: msg.id }, data: { status: 'queued' } });
    const queue = new Queue(msg.channel === 'email' ? DELIVERY_QUEUES.email : DELIVERY_QUEUES.slack, {
      connection: new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }),
      prefix,
    });
    try {
      await queue.add('deliver', { messageId: msg.id }, { delay: 3600_000, jobId: msg.id });
      const r = await rollback({ to: 1 }, editor, { 'idempotency-key': 'rollback-1' });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ dryRun: false, version: 3, rollbackOf: 1, milestonesMoved: [{ key: 'cutover' }] });
      expect(await queue.getJob(msg.id)).toBeUndefined();
      const back = await db.prisma.message.findUniqueOrThrow({ where: { id: msg.id } });
      expect(back.dueAt.getTime()).toBe(msg.dueAt.getTime() - 7 * 24 * 3600_000);
      // The same key and request again: the first answer, and no version 4.
      const again = await rollback({ to: 1 }, editor, { 'idempotency-key': 'rollback-1' });
      expect(again.headers['idempotent-replayed']).toBe('true');
    } finally {
      await queue.close();
    }
    const [v3] = (await get('/versions')).json().items as Array<Record<string, unknown>>;
    expect(v3).toMatchObject({ number: 3, rollbackOf: 1, appliedBy: 'pm-maria' });
    expect((await get('/versions/3')).json().yaml).toBe(PLAN);
    const audit = (await get('/audit?limit=100')).json().items as Array<{ action: string; actor: string; ref: string }>;
    expect(audit.filter((e) => e.action === 'plan.rolled-back')).toMatchObject([{ actor: 'pm-maria', ref: 'version 3' }]);
  });

  it('every route is in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/projects/{project}/versions']!)).toEqual(['get']);
    expect(Object.keys(doc.paths['/projects/{project}/versions/{version}']!)).toEqual(['get']);
    expect(Object.keys(doc.paths['/projects/{project}/versions/{from}/diff/{to}']!)).toEqual(['get']);
    expect(Object.keys(doc.paths['/projects/{project}/rollback']!)).toEqual(['post']);
  });
});
