import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../../../src/app/api-tokens.ts';
import { optIn, optOut } from '../../../src/app/opt-out.ts';
import type { Clock } from '../../../src/app/ports.ts';
import { recordResponse } from '../../../src/app/record-response.ts';
import { sendManual } from '../../../src/app/send-manual.ts';
import { AUDIT_ACTIONS } from '../../../src/domain/audit/actions.ts';
import { createHttpReads } from '../../../src/db/repo/http-reads.ts';
import { buildHttpServer } from '../../../src/main/http.ts';
import { buildEngine } from '../../../src/templates/builtin.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

const PLAN = readFileSync('test/fixtures/plans/delivery.plan.yaml', 'utf8');
const PROJECT = 'delivery-test';
// A fixed clock: the fixture's milestones are in 2030.
const NOW = new Date('2029-12-01T10:00:00Z');
const clock: Clock = { now: () => NOW };

describe('the audit trail records every action, with who did it (GET /api/v1/projects/:p/audit)', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let closeExtras: () => Promise<void>;
  let editor = '';
  let viewer = '';
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, closeExtras } = await buildHttpServer({
      db,
      clock,
      reads: createHttpReads(db),
      redisUrl: TEST_REDIS_URL,
      templates: buildEngine({ PUBLIC_URL: 'http://127.0.0.1' }),
    }));
    editor = (await createApiToken(db, { role: 'editor', name: 'pm-maria', now: NOW, actor: 'root@ops' })).token;
    viewer = (await createApiToken(db, { role: 'viewer', name: 'auditor', now: NOW, actor: 'root@ops' })).token;
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await closeExtras?.();
    await db?.drop();
  });

  it('lists plan applied, milestone moved and done, retry, manual send, escalation acknowledged and resolved, token created and revoked, opt-out', async () => {
    const post = async (url: string, payload: unknown, headers: Record<string, string> = auth(editor)) => {
      const r = await app.inject({ method: 'POST', url, headers, payload: payload as string });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    await post('/api/v1/plans', PLAN, { ...auth(editor), 'content-type': 'application/yaml' });
    await post(`/api/v1/projects/${PROJECT}/milestones/cutover/move`, { when: '2030-01-22' });
    await post(`/api/v1/projects/${PROJECT}/milestones/go-live/done`, {});

    await sendManual(db, { project: PROJECT, comm: 'checkin', now: NOW, ignoreQuietHours: true, actor: 'maria@laptop' });
    const sent = await db.prisma.message.findMany({ where: { comm: { key: 'checkin' }, kind: 'comm' }, include: { person: true }, orderBy: { key: 'asc' } });
    await db.prisma.message.updateMany({ where: { id: { in: sent.map((m) => m.id) } }, data: { status: 'sent', sentAt: NOW } });
    const who = sent.find((m) => m.person.key !== 'ana')!;
    await recordResponse(
      { stores: db.stores, clock },
      { messageId: who.id, option: 'blocked', comment: null, channel: 'api', receivedAt: NOW, sourceRef: 'audit:1' },
    );
    const esc = await db.prisma.escalation.findFirstOrThrow();
    await post(`/api/v1/projects/${PROJECT}/escalations/${esc.id}/acknowledge`, { note: 'on it' });
    await post(`/api/v1/projects/${PROJECT}/escalations/${esc.id}/resolve`, {});

    await db.prisma.message.update({ where: { id: sent[0]!.id }, data: { status: 'failed' } });
    await post(`/api/v1/projects/${PROJECT}/messages/retry`, { ids: [sent[0]!.id] });

    await createApiToken(db, { role: 'viewer', projectKey: PROJECT, name: 'sponsor', now: NOW, actor: 'root@ops' });
    await revokeApiToken(db, 'sponsor', NOW, 'root@ops');
    const projectId = (await db.stores.projects.idOf(PROJECT))!;
    const personId = (await db.stores.people.findId(projectId, 'ben'))!;
    await optOut(db, {
      personId,
      commKey: 'checkin',
      commOptional: true,
      scope: 'all',
      audit: { projectKey: PROJECT, personKey: 'ben', at: NOW, via: 'link' },
    });
    await optIn(db, { personId, commKey: 'checkin', audit: { projectKey: PROJECT, personKey: 'ben', at: NOW, via: 'link' } });

    const items: Array<{ at: string; actor: string; action: string; ref: string; detail: Record<string, unknown> }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await app.inject({
        method: 'GET',
        url: `/api/v1/projects/${PROJECT}/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        headers: auth(viewer),
      });
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json() as { items: typeof items; nextCursor: string | null };
      items.push(...body.items);
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(items.map((e) => [e.action, e.actor])).toEqual([
      ['plan.applied', 'pm-maria'],
      ['milestone.moved', 'pm-maria'],
      ['milestone.done', 'pm-maria'],
      ['message.sent-manually', 'maria@laptop'],
      ['escalation.acknowledged', 'pm-maria'],
      ['escalation.resolved', 'pm-maria'],
      ['message.retried', 'pm-maria'],
      ['token.created', 'root@ops'],
      ['token.revoked', 'root@ops'],
      ['person.opted-out', 'ben'],
      ['person.opted-in', 'ben'],
    ]);
    expect(items.every((e) => e.at === NOW.toISOString())).toBe(true);
    expect(items[1]).toMatchObject({ ref: 'cutover', detail: { source: 'api' } });
    expect(items[4]).toMatchObject({ ref: esc.id, detail: { note: 'on it', option: 'blocked' } });
    expect(items[9]).toMatchObject({ ref: 'all optional comms', detail: { person: 'ben', via: 'link' } });
    // Tokens for every project are audited too, with no project.
    expect(await db.prisma.auditEntry.count({ where: { action: 'token.created', projectKey: null } })).toBe(2);
    // Every action the trail names is exercised above, but a rollback (test/integration/audit/plan-history.test.ts) and
    // the approval actions (test/integration/approval/approval-flow.test.ts), which need a plan of their own.
    const seen = new Set(items.map((e) => e.action));
    expect(Object.keys(AUDIT_ACTIONS).filter((a) => !seen.has(a))).toEqual([
      'plan.rolled-back',
      'approval.requested',
      'approval.given',
      'approval.refused',
      'approval.withdrawn',
      'approval.kept',
      'message.held',
      'message.released',
    ]);
  });

  it('reads from a date, refuses a bad one and a bad cursor with 400, and a viewer of another project with 403', async () => {
    const later = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/audit?since=2029-12-02`, headers: auth(viewer) });
    expect(later.json()).toEqual({ items: [], nextCursor: null });
    const bad = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/audit?since=yesterday`, headers: auth(viewer) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('DATE_INVALID');
    const badCursor = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/audit?cursor=zz`, headers: auth(viewer) });
    expect(badCursor.statusCode).toBe(400);
    const other = (await createApiToken(db, { role: 'viewer', projectKey: PROJECT, name: 'limited', now: NOW })).token;
    await db.prisma.project.create({ data: { key: 'other', name: 'Other', timezone: 'UTC', plan: {}, planHash: 'x' } });
    const forbidden = await app.inject({ method: 'GET', url: '/api/v1/projects/other/audit', headers: auth(other) });
    expect(forbidden.statusCode).toBe(403);
  });
});
