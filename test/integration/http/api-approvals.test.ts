/**
 * /api/v1 approvals on PostgreSQL: a viewer lists them (pending first, paged, filtered by state)
 * and reads one with its variants; an editor approves on an approver's behalf or requests changes
 * as the token, recorded in ApprovalVote and the audit log; bad input is a coded 4xx, never a 500.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/app/api-tokens.ts';
import { buildHttpServer } from '../../../src/main/http.ts';
import { APPROVALS_PROJECT as P, seedApprovals } from '../../support/approvals-seed.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

// Fri 15 Feb 2030 09:00 UTC: Kai's copy of the executive summary came due and is held.
const NOW = new Date('2030-02-15T09:00:00Z');
let db: TestDatabase;
let app: FastifyInstance;
let closeExtras: () => Promise<void>;
const tok = { viewer: '', editor: '', other: '' };
const auth = (t: string) => ({ authorization: `Bearer ${t}` });
const base = `/api/v1/projects/${P}/approvals`;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedApprovals(db, { holdDueBy: NOW });
  ({ app, closeExtras } = await buildHttpServer({ db, redisUrl: TEST_REDIS_URL, clock: { now: () => new Date(NOW) } }));
  await app.ready();
  tok.viewer = (await createApiToken(db, { role: 'viewer', name: 'viewer', now: NOW })).token;
  tok.editor = (await createApiToken(db, { role: 'editor', name: 'ci', now: NOW })).token;
  await db.prisma.project.create({ data: { key: 'other', name: 'Other', timezone: 'UTC', plan: {}, planHash: 'x' } });
  tok.other = (await createApiToken(db, { role: 'editor', projectKey: 'other', name: 'other-editor', now: NOW })).token;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await closeExtras?.();
  await db?.drop();
});

const get = (url: string, t = tok.viewer) => app.inject({ method: 'GET', url, headers: auth(t) });
const post = (url: string, payload?: unknown, t = tok.editor) =>
  app.inject({ method: 'POST', url, headers: auth(t), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
const idOf = async (comm: string, occurrence = 0): Promise<string> =>
  (await get(`${base}?limit=500`)).json().items.find((a: { comm: string; occurrence: number }) => a.comm === comm && a.occurrence === occurrence).id;

describe('GET /projects/:project/approvals', () => {
  it('lists them pending first, soonest first send first, with names and held counts, without the variants; pages with cursors', async () => {
    const r = await get(base);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((a: { title: string }) => a.title)).toEqual([
      'Cutover ops briefing 1 of 3',
      'Cutover ops briefing 2 of 3',
      'Cutover ops briefing 3 of 3',
      'Go-live executive summary',
    ]);
    expect(body.items[3]).toMatchObject({
      comm: 'go-live-summary',
      occurrence: 0,
      state: 'pending',
      needs: 'any',
      held: 1,
      firstSendAt: '2030-02-15T08:00:00.000Z',
      approvers: [
        { person: 'maria', name: 'Maria Lopez', decision: null },
        { person: 'raj', name: 'Raj Patel', decision: null },
      ],
      others: [],
    });
    expect(body.items[3].variants).toBeUndefined();
    const first = (await get(`${base}?limit=3`)).json();
    expect(first.items).toHaveLength(3);
    const rest = (await get(`${base}?limit=3&cursor=${first.nextCursor}`)).json();
    expect(rest).toMatchObject({ items: [{ comm: 'go-live-summary' }], nextCursor: null });
  });

  it('GET one gives the preview of every variant', async () => {
    const id = await idOf('go-live-summary');
    const r = await get(`${base}/${id}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().variants).toEqual([
      expect.objectContaining({ audience: 'executives', channel: 'slack', locale: 'en-US', sample: 'Eva Lind', subject: 'Go-live: what changes on Monday' }),
      expect.objectContaining({ audience: 'executives', channel: 'email', locale: 'de-DE', sample: 'Kai Berg' }),
    ]);
    expect(r.json().variants[1].text).toContain('Hi Kai,');
  });

  it('bad input is a coded 4xx: an unknown state, a bad cursor, an id that is not a uuid or not there, another project', async () => {
    const cases: Array<[string, number, string, string?]> = [
      [`${base}?state=waiting`, 400, 'VALIDATION_FAILED'],
      [`${base}?cursor=zzz`, 400, 'CURSOR_INVALID'],
      [`${base}/not-a-uuid`, 400, 'VALIDATION_FAILED'],
      [`${base}/00000000-0000-4000-8000-000000000000`, 404, 'NOT_FOUND'],
      ['/api/v1/projects/no-such-project/approvals', 404, 'NOT_FOUND'],
      [base, 403, 'FORBIDDEN_PROJECT', tok.other],
    ];
    for (const [url, status, code, t] of cases) {
      const r = await get(url, t);
      expect(r.statusCode, `${url}: ${r.body}`).toBe(status);
      expect(r.json().code, url).toBe(code);
    }
    // An approval of this project asked for under another project's key is not found there.
    const id = await idOf('go-live-summary');
    const elsewhere = await post(`/api/v1/projects/other/approvals/${id}/approve`, {}, tok.other);
    expect(elsewhere.statusCode, elsewhere.body).toBe(404);
    expect(elsewhere.json()).toMatchObject({ code: 'NOT_FOUND', details: { hint: expect.stringContaining('herald approvals other') } });
  });
});

describe('POST /projects/:project/approvals/:id/approve|reject', () => {
  it('a viewer may not decide (403), and nothing changes', async () => {
    const id = await idOf('go-live-summary');
    for (const d of ['approve', 'reject']) {
      const r = await post(`${base}/${id}/${d}`, { note: 'x' }, tok.viewer);
      expect(r.statusCode).toBe(403);
      expect(r.json().code).toBe('FORBIDDEN_ROLE');
    }
    expect((await get(`${base}/${id}`)).json().state).toBe('pending');
  });

  it("approves on an approver's behalf: the held message is released, the vote and the audit name the token", async () => {
    const id = await idOf('go-live-summary');
    const stale = await post(`${base}/${id}/approve`, { onBehalfOf: 'maria', round: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('APPROVAL_STALE');
    const notApprover = await post(`${base}/${id}/approve`, { onBehalfOf: 'eva' });
    expect(notApprover.statusCode).toBe(422);
    expect(notApprover.json()).toMatchObject({ code: 'APPROVER_UNKNOWN', message: expect.stringContaining('approvers: maria, raj') });

    const r = await post(`${base}/${id}/approve`, { onBehalfOf: 'maria', note: 'Numbers checked', round: 1 });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      approvalId: id,
      projectKey: P,
      commKey: 'go-live-summary',
      occurrence: 0,
      state: 'approved',
      changed: true,
      released: 1,
      skipped: 0,
    });
    const vote = await db.prisma.approvalVote.findFirstOrThrow({ where: { approvalId: id } });
    expect(vote).toMatchObject({ approver: 'maria', decision: 'approve', via: 'api', actor: 'ci', note: 'Numbers checked' });
    const audit = await db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'approval.given' } });
    expect(audit).toMatchObject({ actor: 'ci', ref: 'go-live-summary#0' });
    expect(audit.detail).toMatchObject({ approver: 'maria', via: 'api', onBehalfOf: 'maria' });
    expect((await get(`${base}/${id}`)).json()).toMatchObject({
      state: 'approved',
      held: 0,
      approvers: [{ decision: 'approve', actor: 'ci' }, { decision: null }],
    });
    // Decided: a repeat changes nothing, whatever it says.
    const again = await post(`${base}/${id}/reject`, { note: 'too late' });
    expect(again.json()).toMatchObject({ state: 'approved', changed: false });
    expect((await get(`${base}?state=approved`)).json().items.map((a: { id: string }) => a.id)).toEqual([id]);
  });

  it('requests changes as the token, with a reason (required)', async () => {
    const id = await idOf('ops-briefing', 1);
    for (const payload of [undefined, {}, { note: '   ' }]) {
      const r = await post(`${base}/${id}/reject`, payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(422);
      expect(r.json().code).toBe('APPROVAL_REASON_REQUIRED');
    }
    const tooLong = await post(`${base}/${id}/reject`, { note: 'x'.repeat(2001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().code).toBe('VALIDATION_FAILED');
    const r = await post(`${base}/${id}/reject`, { note: 'The window is Saturday, not Friday' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ state: 'rejected', changed: true, released: 0 });
    const one = (await get(`${base}/${id}`)).json();
    expect(one).toMatchObject({ state: 'rejected', note: 'The window is Saturday, not Friday' });
    expect(one.others).toEqual([{ actor: 'ci', decision: 'reject', note: 'The window is Saturday, not Friday', at: NOW.toISOString(), via: 'api' }]);
    expect((await get(`${base}?state=rejected`)).json().items.map((a: { id: string }) => a.id)).toEqual([id]);
    // Decided ones come after those still waiting.
    const states = (await get(base)).json().items.map((a: { state: string }) => a.state);
    expect(states).toEqual(['pending', 'pending', 'rejected', 'approved']);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/projects/{project}/approvals']!)).toEqual(['get']);
    expect(Object.keys(doc.paths['/projects/{project}/approvals/{id}']!)).toEqual(['get']);
    expect(Object.keys(doc.paths['/projects/{project}/approvals/{id}/approve']!)).toEqual(['post']);
    expect(Object.keys(doc.paths['/projects/{project}/approvals/{id}/reject']!)).toEqual(['post']);
  });
});
