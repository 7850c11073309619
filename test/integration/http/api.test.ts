import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { createApiToken, revokeApiToken } from '../../../src/app/api-tokens.ts';
import { systemClock } from '../../../src/app/ports.ts';
import { EXAMPLE_NOW } from '../../fixtures/example-now.ts';
import { recordResponse } from '../../../src/app/record-response.ts';
import { sendManual } from '../../../src/app/send-manual.ts';
import { registerApi } from '../../../src/http/api/api.ts';
import { buildHttpServer } from '../../../src/main/http.ts';
import { createHttpReads } from '../../../src/db/repo/http-reads.ts';
import { buildEngine } from '../../../src/templates/builtin.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

const PLAN = readFileSync('test/fixtures/plans/delivery.plan.yaml', 'utf8');
const PROJECT = 'delivery-test';

describe('REST API /api/v1', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let closeExtras: () => Promise<void>;
  const tok: Record<'admin' | 'editor' | 'viewer' | 'other', string> = { admin: '', editor: '', viewer: '', other: '' };
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const yaml = (t: string) => ({ ...auth(t), 'content-type': 'application/yaml' });

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, closeExtras } = await buildHttpServer({
      db,
      reads: createHttpReads(db),
      redisUrl: TEST_REDIS_URL,
      templates: buildEngine({ PUBLIC_URL: 'http://127.0.0.1' }),
    }));
    const now = new Date();
    for (const role of ['admin', 'editor', 'viewer'] as const) tok[role] = (await createApiToken(db, { role, name: role, now })).token;
    await app.ready();
    // The editor applies the plan, so the project exists for the project-limited token below.
    const r = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: yaml(tok.editor), payload: PLAN });
    expect(r.statusCode, r.body).toBe(200);
    // The example plan (people from a CSV, so applied as the CLI does) gives a calendar long enough to page.
    const example = await loadPlanFile('examples/m365-migration.plan.yaml');
    // As of the fixture clock, so its rows are still ahead whatever the real date.
    await applyPlan(db, { plan: example.plan, hash: example.hash, now: new Date(EXAMPLE_NOW) });
    await db.prisma.project.create({ data: { key: 'other', name: 'Other', timezone: 'UTC', plan: {}, planHash: 'x' } });
    tok.other = (await createApiToken(db, { role: 'admin', projectKey: 'other', name: 'other-admin', now })).token;
  });
  afterAll(async () => {
    await app?.close();
    await closeExtras?.();
    await db?.drop();
  });

  it('stores only the sha256 of a token', async () => {
    const rows = await db.prisma.apiToken.findMany();
    for (const r of rows) expect(Object.values(tok)).not.toContain(r.hash);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
  });

  it('401 without a token, with a bad one and with a revoked one, as a JSON error with a code', async () => {
    const none = await app.inject({ method: 'GET', url: '/api/v1/projects' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.any(String) });
    const bad = await app.inject({ method: 'GET', url: '/api/v1/projects', headers: auth('hrld_nope') });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('TOKEN_UNKNOWN');
    const gone = await createApiToken(db, { role: 'viewer', name: 'gone', now: new Date() });
    await revokeApiToken(db, 'gone', new Date());
    expect((await app.inject({ method: 'GET', url: '/api/v1/projects', headers: auth(gone.token) })).statusCode).toBe(401);
  });

  it('403 for the wrong role and for the wrong project', async () => {
    const viewerWrites = await app.inject({ method: 'POST', url: `/api/v1/projects/${PROJECT}/milestones/go-live/done`, headers: auth(tok.viewer) });
    expect(viewerWrites.statusCode).toBe(403);
    expect(viewerWrites.json()).toMatchObject({ code: 'FORBIDDEN_ROLE', details: { needed: 'editor', role: 'viewer' } });
    const otherProject = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/calendar`, headers: auth(tok.other) });
    expect(otherProject.statusCode).toBe(403);
    expect(otherProject.json().code).toBe('FORBIDDEN_PROJECT');
    const projects = await app.inject({ method: 'GET', url: '/api/v1/projects', headers: auth(tok.other) });
    expect(projects.json().items.map((p: { key: string }) => p.key)).toEqual(['other']);
  });

  it('an invalid plan is a 400 with file:line issues, and nothing is stored', async () => {
    const broken = PLAN.replace('timezone: America/Chicago', 'timezone: Mars/Olympus');
    const r = await app.inject({ method: 'POST', url: '/api/v1/plans', headers: yaml(tok.editor), payload: broken });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.code).toBe('PLAN_INVALID');
    const line = PLAN.split('\n').findIndex((l) => l.includes('timezone: America/Chicago')) + 1;
    expect(body.details.issues).toContainEqual(expect.objectContaining({ file: 'plan.yaml', line, path: 'project.timezone' }));
    expect((await db.prisma.project.findUniqueOrThrow({ where: { key: PROJECT } })).timezone).toBe('America/Chicago');
  });

  it("an unknown template is a 400 at the comm's template line, as herald validate says", async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/plans?dryRun=true',
      headers: yaml(tok.editor),
      payload: PLAN.replace('template: announcement', 'template: no-such-template'),
    });
    expect(r.statusCode).toBe(400);
    const line = PLAN.split('\n').findIndex((l) => l.includes('template: announcement')) + 1;
    expect(r.json().details.issues).toContainEqual(expect.objectContaining({ file: 'plan.yaml', line }));
  });

  it('a request that breaks the schema is a 400 VALIDATION_FAILED with the issues', async () => {
    const r = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/messages?limit=0&status=lost`, headers: auth(tok.viewer) });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details.issues.length).toBeGreaterThanOrEqual(2);
    const badCursor = await app.inject({ method: 'GET', url: '/api/v1/projects?cursor=zzz', headers: auth(tok.viewer) });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().code).toBe('CURSOR_INVALID');
  });

  it('pages the calendar with cursors: every entry once, in order', async () => {
    const base = '/api/v1/projects/northwind-m365/calendar?from=2027-01-01&to=2027-01-20';
    const all = await app.inject({ method: 'GET', url: `${base}&limit=500`, headers: auth(tok.viewer) });
    const every = all.json().items as Array<{ key: string }>;
    expect(every.length).toBeGreaterThan(40);
    expect(every.length).toBeLessThan(500);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `${base}&limit=20${cursor ? `&cursor=${cursor}` : ''}`;
      const p = (await app.inject({ method: 'GET', url, headers: auth(tok.viewer) })).json() as { items: Array<{ key: string }>; nextCursor: string | null };
      expect(p.items.length).toBeLessThanOrEqual(20);
      seen.push(...p.items.map((e) => e.key));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toEqual(every.map((e) => e.key));
    const ana = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/calendar?person=ana&limit=500`, headers: auth(tok.viewer) });
    expect(ana.json().items.every((e: { person: string }) => e.person === 'ana')).toBe(true);
  });

  it('group=occurrence gives one item per comm occurrence whose copies add up to the per-copy calendar', async () => {
    const base = '/api/v1/projects/northwind-m365/calendar?from=2027-01-01&to=2027-01-20&limit=500';
    const copies = (await app.inject({ method: 'GET', url: base, headers: auth(tok.viewer) })).json().items as Array<{
      comm: string;
      occurrence: number;
      channel: string;
    }>;
    const r = await app.inject({ method: 'GET', url: `${base}&group=occurrence`, headers: auth(tok.viewer) });
    expect(r.statusCode, r.body).toBe(200);
    const groups = r.json().items as Array<{
      comm: string;
      title: string;
      occurrence: number;
      occurrences: number;
      copies: number;
      people: number;
      channels: { slack: number; email: number };
      first: string;
    }>;
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.length).toBeLessThan(copies.length);
    expect(groups.reduce((n, g) => n + g.copies, 0)).toBe(copies.length);
    for (const g of groups) {
      expect(g.channels.slack + g.channels.email).toBe(g.copies);
      expect(g.first).toMatch(/Z$/);
      expect(g.title).not.toContain(g.comm);
    }
    expect(groups.map((g) => g.title)).toContain('Cutover user prep');
    const withPerson = await app.inject({ method: 'GET', url: `${base}&group=occurrence&person=ana`, headers: auth(tok.viewer) });
    expect(withPerson.statusCode).toBe(400);
    expect(withPerson.json().code).toBe('BAD_QUERY');
    const bad = await app.inject({ method: 'GET', url: `${base}&group=people`, headers: auth(tok.viewer) });
    expect(bad.statusCode).toBe(400);
  });

  it('boolean query parameters take true/false/1/0 (false means false) and answer 400 to anything else', async () => {
    const base = '/api/v1/projects/northwind-m365/calendar?from=2027-01-01&to=2027-01-20&limit=500';
    const keys = async (extra: string) => {
      const r = await app.inject({ method: 'GET', url: `${base}${extra}`, headers: auth(tok.viewer) });
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().items as Array<{ key: string }>).map((e) => e.key);
    };
    const before = await keys('');
    const victim = await db.prisma.message.findFirstOrThrow({ where: { key: before[0]!, project: { key: 'northwind-m365' } } });
    await db.prisma.message.update({ where: { id: victim.id }, data: { status: 'cancelled' } });
    try {
      for (const off of ['', '&includeCancelled=false', '&includeCancelled=0']) expect(await keys(off), off).not.toContain(victim.key);
      for (const on of ['&includeCancelled=true', '&includeCancelled=1']) expect(await keys(on), on).toContain(victim.key);
    } finally {
      await db.prisma.message.update({ where: { id: victim.id }, data: { status: victim.status } });
    }
    for (const url of [`${base}&includeCancelled=yes`, `${base}&includeCancelled=`, `/api/v1/projects/${PROJECT}/escalations?open=False`]) {
      const r = await app.inject({ method: 'GET', url, headers: auth(tok.viewer) });
      expect(r.statusCode, url).toBe(400);
      expect(r.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('expected true, false, 1 or 0') });
    }
    const dry = await app.inject({ method: 'POST', url: '/api/v1/plans?dryRun=nope', headers: yaml(tok.editor), payload: PLAN });
    expect(dry.statusCode).toBe(400);
    const dryOff = await app.inject({ method: 'POST', url: '/api/v1/plans?dryRun=0', headers: yaml(tok.editor), payload: PLAN });
    expect(dryOff.statusCode, dryOff.body).toBe(200);
    expect(dryOff.json().dryRun).toBe(false);
  });

  it('lists messages by status and retries failed ones', async () => {
    const first = await db.prisma.message.findFirstOrThrow({ where: { project: { key: PROJECT } }, orderBy: { key: 'asc' } });
    await db.prisma.message.update({ where: { id: first.id }, data: { status: 'failed', lastError: 'smtp 550' } });
    const failed = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/messages?status=failed`, headers: auth(tok.viewer) });
    expect(failed.json().items.map((m: { id: string }) => m.id)).toEqual([first.id]);
    const retry = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${PROJECT}/messages/retry`,
      headers: auth(tok.editor),
      payload: { ids: [first.id] },
    });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toEqual({ retried: 1 });
    expect((await db.prisma.message.findUniqueOrThrow({ where: { id: first.id } })).status).toBe('planned');
  });

  it('moves a milestone (dry run changes nothing) and replays an Idempotency-Key', async () => {
    const url = `/api/v1/projects/${PROJECT}/milestones/cutover/move`;
    const dry = await app.inject({ method: 'POST', url, headers: auth(tok.editor), payload: { when: '2030-01-22', dryRun: true } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ milestone: 'cutover', dryRun: true, to: '2030-01-23T00:00:00.000Z' });
    expect(await db.prisma.milestoneMove.count()).toBe(0);

    const headers = { ...auth(tok.editor), 'idempotency-key': 'move-1' };
    const a = await app.inject({ method: 'POST', url, headers, payload: { when: '2030-01-22' } });
    const b = await app.inject({ method: 'POST', url, headers, payload: { when: '2030-01-22' } });
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(await db.prisma.milestoneMove.count()).toBe(1);

    const done = await app.inject({ method: 'POST', url: `/api/v1/projects/${PROJECT}/milestones/go-live/done`, headers: auth(tok.admin) });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().alreadyDone).toBe(false);
    const unknown = await app.inject({ method: 'POST', url: `/api/v1/projects/${PROJECT}/milestones/nope/done`, headers: auth(tok.admin) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND', details: { hint: expect.stringContaining('cutover') } });
  });

  it('lists survey responses with per-audience rates, and escalations a viewer cannot act on', async () => {
    const now = new Date();
    await sendManual(db, { project: PROJECT, comm: 'checkin', now, ignoreQuietHours: true });
    const sent = await db.prisma.message.findMany({
      where: { project: { key: PROJECT }, comm: { key: 'checkin' }, kind: 'comm', status: 'planned' },
      include: { person: true },
      orderBy: { key: 'asc' },
    });
    expect(sent.length).toBeGreaterThan(0);
    await db.prisma.message.updateMany({ where: { id: { in: sent.map((m) => m.id) } }, data: { status: 'sent', sentAt: now } });
    // Not ana: she owns the workstream, and an owner's own answer escalates to nobody.
    const who = sent.find((m) => m.person.key !== 'ana')!;
    await recordResponse(
      { stores: db.stores, clock: systemClock },
      { messageId: who.id, option: 'blocked', comment: 'no mail', channel: 'api', receivedAt: now, sourceRef: 'api:test:1' },
    );

    const list = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/responses?comm=checkin`, headers: auth(tok.viewer) });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({
      items: [{ comm: 'checkin', person: who.person.key, option: 'blocked', comment: 'no mail', channel: 'api' }],
      nextCursor: null,
    });
    const summary = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/responses/summary`, headers: auth(tok.viewer) });
    expect(summary.statusCode, summary.body).toBe(200);
    const s = summary.json().summaries.find((x: { comm: string }) => x.comm === 'checkin');
    expect(s.counts).toContainEqual({ option: 'blocked', label: "I can't work", count: 1 });
    expect(s.rates[0]).toMatchObject({ audience: 'end-users', answered: 1 });
    expect(s.rates[0].asked).toBeGreaterThanOrEqual(1);
    const unknownComm = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/responses?comm=nope`, headers: auth(tok.viewer) });
    expect(unknownComm.statusCode).toBe(404);

    const open = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/escalations?open=true`, headers: auth(tok.viewer) });
    expect(open.statusCode, open.body).toBe(200);
    const [esc] = open.json().items;
    expect(esc).toMatchObject({ person: who.person.key, option: 'blocked', urgency: 'urgent', state: 'open' });
    for (const action of ['acknowledge', 'resolve']) {
      const denied = await app.inject({
        method: 'POST',
        url: `/api/v1/projects/${PROJECT}/escalations/${esc.id}/${action}`,
        headers: auth(tok.viewer),
        payload: {},
      });
      expect(denied.statusCode).toBe(403);
      expect(denied.json().code).toBe('FORBIDDEN_ROLE');
    }
    const ack = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${PROJECT}/escalations/${esc.id}/acknowledge`,
      headers: auth(tok.editor),
      payload: { note: '  checking the licence  ' },
    });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ escalationId: esc.id, state: 'acknowledged', changed: true, note: 'checking the licence' });
    const tooLong = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${PROJECT}/escalations/${esc.id}/resolve`,
      headers: auth(tok.editor),
      payload: { note: 'x'.repeat(2001) },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().code).toBe('VALIDATION_FAILED');
    const resolve = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${PROJECT}/escalations/${esc.id}/resolve`,
      headers: auth(tok.editor),
      payload: { note: 'mailbox re-licensed' },
    });
    expect(resolve.statusCode, resolve.body).toBe(200);
    expect(resolve.json()).toMatchObject({ state: 'resolved', changed: true, note: 'mailbox re-licensed' });
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/projects/${PROJECT}/escalations/${esc.id}/resolve`,
      headers: auth(tok.editor),
      payload: { note: 'a second note' },
    });
    expect(again.json()).toMatchObject({ state: 'resolved', changed: false });
    expect(again.json().note).toBeUndefined();
    // Stored, and the repeat's note did not replace the first one.
    expect(await db.prisma.escalation.findUniqueOrThrow({ where: { id: esc.id } })).toMatchObject({
      acknowledgementNote: 'checking the licence',
      resolutionNote: 'mailbox re-licensed',
    });
    expect((await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/escalations?open=true`, headers: auth(tok.viewer) })).json().items).toEqual([]);
    const all = await app.inject({ method: 'GET', url: `/api/v1/projects/${PROJECT}/escalations`, headers: auth(tok.viewer) });
    expect(all.json().items.map((e: { state: string }) => e.state)).toEqual(['resolved']);
    expect(all.json().items[0]).toMatchObject({ acknowledgementNote: 'checking the licence', resolutionNote: 'mailbox re-licensed' });
  });

  it('previews the weekly digest for a person and week, rendered as the email', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/projects/northwind-m365/digest?week=2027-W03', headers: auth(tok.viewer) });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.digest).toMatchObject({ project: { key: 'northwind-m365' }, week: '2027-W03' });
    expect(body.email.subject.length).toBeGreaterThan(0);
    expect(body.email.html).toContain('<html');
    const as = await app.inject({ method: 'GET', url: `/api/v1/projects/northwind-m365/digest?week=2027-W03&as=${body.person}`, headers: auth(tok.viewer) });
    expect(as.json().person).toBe(body.person);
    const nobody = await app.inject({ method: 'GET', url: '/api/v1/projects/northwind-m365/digest?as=no-such-person', headers: auth(tok.viewer) });
    expect(nobody.statusCode).toBe(404);
    const badWeek = await app.inject({ method: 'GET', url: '/api/v1/projects/northwind-m365/digest?week=W3', headers: auth(tok.viewer) });
    expect(badWeek.statusCode).toBe(400);

    const slack = await app.inject({ method: 'GET', url: '/api/v1/projects/northwind-m365/digest?week=2027-W03&channel=slack', headers: auth(tok.viewer) });
    expect(slack.statusCode, slack.body).toBe(200);
    const s = slack.json();
    expect(s.email).toBeUndefined();
    expect(s).toMatchObject({ person: body.person, digest: { week: '2027-W03' }, slack: { text: expect.any(String) } });
    expect(s.slack.blocks.length).toBeGreaterThan(0);
    expect(s.slack.blocks.length).toBeLessThanOrEqual(50);
    expect(s.slack.blocks[0].type).toBe('header');
    const badChannel = await app.inject({ method: 'GET', url: '/api/v1/projects/northwind-m365/digest?channel=sms', headers: auth(tok.viewer) });
    expect(badChannel.statusCode).toBe(400);
  });

  it('every registered /api/v1 route is in the OpenAPI 3.1 document', async () => {
    // A bare Fastify with the API plugin alone, to see every route it registers.
    const bare = Fastify();
    const reads = createHttpReads(db);
    const registered: string[] = [];
    bare.addHook('onRoute', (r) => {
      for (const m of [r.method].flat()) if (m !== 'HEAD') registered.push(`${m} ${r.url}`);
    });
    await bare.register(async (scope) => registerApi(scope, { db, idempotency: reads.idempotency, listProjects: reads.apiProjects, clock: systemClock }), {
      prefix: '/api/v1',
    });
    await bare.ready();
    const res = await bare.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    await bare.close();
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} /api/v1${p.replace(/\{(\w+)\}/g, ':$1')}`)),
    );
    const api = registered.filter((r) => r !== 'GET /api/v1/openapi.json');
    expect(api.length).toBeGreaterThanOrEqual(7);
    for (const r of api) expect([...documented], r).toContain(r);
    // The same app served by `herald serve` has it too.
    expect((await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).statusCode).toBe(200);
  });
});
