/**
 * The approver's side of approval before send, over real services: the worker asks Maria (Slack)
 * and Raj (e-mail) to approve each occurrence of the go-live summary; Maria approves one with a
 * Slack button (a click by anyone else is refused) and requests changes to another through the
 * modal; Raj opens the /a/ page from his e-mail (a GET decides nothing) and approves with its form.
 * Bad, expired and stale links answer clear pages, never 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { approvalOption } from '../../../src/app/approval-outbound.ts';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { APPROVAL_ACTION_PREFIX } from '../../../src/app/render-approval.ts';
import { signToken } from '../../../src/domain/tokens.ts';
import { APPROVAL_CHANGES_CALLBACK, NOT_YOUR_APPROVAL } from '../../../src/http/slack/approval-actions.ts';
import type { ServerRuntime } from '../../../src/main/server.ts';
import { blockActions, interactionBody, slackSignatureHeaders, viewSubmission } from '../../../src/sandbox/slack-payloads.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { startHarness, TEST_SECRET, type Harness } from '../../support/delivery.ts';
import { serveWithSlack } from '../../support/serve-with-slack.ts';
import { SIGNING, until } from '../../support/slack-clicks.ts';

const PLAN = 'test/fixtures/plans/approval-links.plan.yaml';
let db: TestDatabase;
let h: Harness;
let srv: ServerRuntime;
let projectId: string;

const approvalOf = (occurrence: number) => db.prisma.approval.findFirstOrThrow({ where: { projectId, occurrence }, include: { votes: true } });

async function post(payload: Record<string, unknown>): Promise<Response> {
  const body = interactionBody(payload);
  return fetch(`${srv.url}/slack/events`, { method: 'POST', headers: slackSignatureHeaders(SIGNING, body), body });
}

/** The request DM Maria got for an occurrence, and its buttons' tokens. */
async function slackRequest(occurrence: number) {
  const a = await approvalOf(occurrence);
  const title = `Go-live summary ${occurrence + 1} of 3`;
  const dm = await until(`Maria's request for ${title}`, async () =>
    h.slack.messagesTo('UMARIA001').find((p) => p.updatedAt === undefined && JSON.stringify(p.blocks ?? []).includes(`Approval needed: ${title}`)),
  );
  const actions = (dm.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions')!;
  const value = (d: string) => actions.elements!.find((e) => e.action_id === `${APPROVAL_ACTION_PREFIX}${d}`)!.value;
  return { a, dm, approve: value('approve'), reject: value('reject') };
}

const shown = (ts: string) => JSON.stringify(h.slack.messagesTo('UMARIA001').find((p) => p.ts === ts && p.updatedAt !== undefined)?.blocks ?? '');

beforeAll(async () => {
  db = await createTestDatabase();
  const loaded = await loadPlanFile(PLAN);
  await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date() });
  projectId = (await db.prisma.project.findUniqueOrThrow({ where: { key: 'approval-test' } })).id;
  h = await startHarness(db, {
    slack: {
      users: [
        { id: 'UMARIA001', email: 'maria@herald.example', name: 'Maria' },
        { id: 'UBEN00001', email: 'ben@herald.example', name: 'Ben' },
        { id: 'UEVE00001', email: 'eve@x.example', name: 'Eve' },
      ],
    },
  });
  srv = await serveWithSlack(db, h, SIGNING, { PUBLIC_URL: 'http://herald.test' });
  await h.startWorker({ approvalSweepMs: 200 });
  // The worker's sweep asks the approvers two business days before each occurrence (in 2030): ask now instead.
  await until('three approvals', async () => (await db.prisma.approval.count({ where: { projectId } })) === 3);
  await db.prisma.message.updateMany({ where: { projectId, kind: 'approval-request', NOT: { key: { contains: ':remind' } } }, data: { dueAt: new Date() } });
}, 120_000);

afterAll(async () => {
  await srv?.close();
  await h?.close();
  await db?.drop();
});

describe('approving from Slack', () => {
  it('the request shows every variant by its labels with a link to the approval page; Approve by Maria records and releases the held message, a click by anyone else does not', async () => {
    const { a, dm, approve } = await slackRequest(0);
    const blocks = JSON.stringify(dm.blocks);
    expect(blocks).toContain('Leadership team · Slack');
    expect(blocks).toContain('Everyone · E-mail');
    expect(blocks).toContain('Exchange Online goes live on Friday');
    expect(blocks).toMatch(/<http:\/\/herald\.test\/a\/[\w-]+\|Open the approval page>/);
    expect(blocks).not.toMatch(/end-users|go-live-summary/);
    expect(dm.blocks!.length).toBeLessThanOrEqual(50);

    // Ben's Slack message of this occurrence falls due: the gate holds it.
    const held = await db.prisma.message.findFirstOrThrow({ where: { projectId, occurrence: 0, kind: 'comm', person: { key: 'ben' }, channel: 'slack' } });
    await db.prisma.message.update({ where: { id: held.id }, data: { dueAt: new Date() } });
    await until('held', async () => (await db.prisma.message.findUniqueOrThrow({ where: { id: held.id } })).status === 'held');

    const click = (user: string) =>
      blockActions({
        user,
        message: { channel: dm.channel, ts: dm.ts, blocks: dm.blocks ?? [] },
        actionId: `${APPROVAL_ACTION_PREFIX}approve`,
        value: approve,
      });
    expect((await post(click('UEVE00001'))).status).toBe(200);
    await until('the refusal', async () => h.slack.ephemerals.find((e) => e.user === 'UEVE00001' && e.text === NOT_YOUR_APPROVAL));
    expect((await approvalOf(0)).state).toBe('pending');

    expect((await post(click('UMARIA001'))).status).toBe(200);
    await until('approved', async () => (await approvalOf(0)).state === 'approved');
    expect((await approvalOf(0)).votes).toEqual([
      expect.objectContaining({ approver: 'maria', decision: 'approve', via: 'slack', actor: 'maria', round: a.round }),
    ]);
    await until('the request updated', async () => shown(dm.ts).includes('You approved Go-live summary 1 of 3'));
    expect(shown(dm.ts)).toContain('1 held message goes out now');
    expect(shown(dm.ts)).not.toContain(`${APPROVAL_ACTION_PREFIX}approve`);
    await until('the held message sent', async () => (await db.prisma.message.findUniqueOrThrow({ where: { id: held.id } })).status === 'sent');

    // A second click changes nothing and says so.
    expect((await post(click('UMARIA001'))).status).toBe(200);
    await until('already approved', async () =>
      h.slack.messagesTo('UMARIA001').some((p) => p.ts === dm.ts && JSON.stringify(p.blocks).includes('It was already approved; nothing changed.')),
    );
  });

  it('Request changes opens a modal that needs a reason; its submission records the rejection with the reason', async () => {
    const { dm, reject } = await slackRequest(1);
    const payload = blockActions({
      user: 'UMARIA001',
      message: { channel: dm.channel, ts: dm.ts, blocks: dm.blocks ?? [] },
      actionId: `${APPROVAL_ACTION_PREFIX}reject`,
      value: reject,
    });
    expect((await post(payload)).status).toBe(200);
    const opened = await until('views.open', async () => h.slack.views.find((v) => v.triggerId === payload.trigger_id));
    const view = { ...(opened.view as { callback_id: string; private_metadata: string; blocks: unknown[] }), id: opened.viewId };
    expect(view.callback_id).toBe(APPROVAL_CHANGES_CALLBACK);
    expect(JSON.stringify(view.blocks)).toContain('What should change?');
    expect((await approvalOf(1)).state).toBe('pending');

    const empty = await post(viewSubmission({ user: 'UMARIA001', view, comment: '   ', field: 'reason' }));
    expect(await empty.json()).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringContaining('Say what should change') } });
    const stranger = await post(viewSubmission({ user: 'UEVE00001', view, comment: 'Looks wrong', field: 'reason' }));
    expect(await stranger.json()).toMatchObject({ response_action: 'errors', errors: { reason: NOT_YOUR_APPROVAL } });
    expect((await approvalOf(1)).state).toBe('pending');

    const ok = await post(viewSubmission({ user: 'UMARIA001', view, comment: 'The go-live date in the body is wrong', field: 'reason' }));
    expect(ok.status).toBe(200);
    await until('rejected', async () => (await approvalOf(1)).state === 'rejected');
    expect(await approvalOf(1)).toMatchObject({ note: 'The go-live date in the body is wrong' });
    expect((await approvalOf(1)).votes).toEqual([
      expect.objectContaining({ approver: 'maria', decision: 'reject', note: 'The go-live date in the body is wrong', via: 'slack' }),
    ]);
    await until('the request updated', async () =>
      shown(dm.ts).includes('You requested changes to Go-live summary 2 of 3: “The go-live date in the body is wrong”'),
    );
  });
});

describe('the approval page /a/', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const exp = () => Math.floor(Date.now() / 1000) + 3600;

  it("Raj's e-mail links open a page that shows the preview and decides nothing; its form approves", async () => {
    const mail = await until("Raj's request for occurrence 3", async () =>
      h.smtp.messages.find((m) => m.to.includes('raj@herald.example') && m.subject.includes('Approval needed: Go-live summary 3 of 3')),
    );
    expect(mail.html).toContain('role="presentation"');
    expect(mail.html).toMatch(/<html lang="[\w-]+">/);
    expect(mail.text).toContain('Leadership team · E-mail');
    const token = /http:\/\/herald\.test\/a\/([\w-]+)/.exec(mail.text)![1]!;
    const url = `${srv.url}/a/${token}`;

    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    const get = await fetch(url);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-security-policy')).toContain("script-src 'none'");
    const html = await get.text();
    expect(html).toContain('Approve “Go-live summary 3 of 3”?');
    expect(html).toContain('Leadership team · Slack · American English (as Maria Lopez gets it)');
    expect(html).toContain('Everyone · E-mail');
    expect(html).toContain('Exchange Online goes live on Friday');
    expect(html).toMatch(/from \w{3}, \w{3} \d+, 2030, \d+:\d\d\s?[AP]M GMT\+5:30/);
    expect(html).toMatch(/<textarea id="reject-note" name="note" maxlength="2000" required>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/go-live-summary|end-users|>raj</);
    const a = await approvalOf(2);
    expect(a).toMatchObject({ state: 'pending', votes: [] });

    const noProof = await fetch(url, { method: 'POST', headers: form, body: 'decision=approve' });
    expect(noProof.status).toBe(400);
    const proof = /name="proof" value="([^"]+)"/.exec(html)![1]!;
    const reason = await fetch(url, { method: 'POST', headers: form, body: `proof=${encodeURIComponent(proof)}&decision=reject&note=+` });
    expect(reason.status).toBe(422);
    expect(await reason.text()).toContain('Say what should change');
    const nonsense = await fetch(url, { method: 'POST', headers: form, body: `proof=${encodeURIComponent(proof)}&decision=maybe` });
    expect(nonsense.status).toBe(400);
    const long = await fetch(url, { method: 'POST', headers: form, body: `proof=${encodeURIComponent(proof)}&decision=approve&note=${'x'.repeat(2001)}` });
    expect(long.status).toBe(422);
    expect((await approvalOf(2)).state).toBe('pending');

    const done = await fetch(url, {
      method: 'POST',
      headers: form,
      body: `proof=${encodeURIComponent(proof)}&decision=approve&note=${encodeURIComponent('Fine by me')}`,
    });
    expect(done.status).toBe(200);
    const text = await done.text();
    expect(text).toContain('Approved');
    expect(text).toContain('You approved Go-live summary 3 of 3.');
    expect(await approvalOf(2)).toMatchObject({
      state: 'approved',
      votes: [expect.objectContaining({ approver: 'raj', decision: 'approve', note: 'Fine by me', via: 'email', actor: 'raj' })],
    });

    const again = await fetch(url, { method: 'POST', headers: form, body: `proof=${encodeURIComponent(proof)}&decision=reject&note=late` });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('was already approved');
    const after = await (await fetch(url)).text();
    expect(after).toContain('was approved on');
    expect(after).toContain('Raj Patel (you)');
    expect(after).not.toContain('<form');
  });

  it('tampered, expired, foreign and stale links answer clear pages, never 500', async () => {
    const a = await approvalOf(1);
    const raj = await db.prisma.person.findFirstOrThrow({ where: { projectId, key: 'raj' } });
    const ben = await db.prisma.person.findFirstOrThrow({ where: { projectId, key: 'ben' } });
    const sign = (o: Partial<Parameters<typeof signToken>[1]>) =>
      signToken(TEST_SECRET, { k: 'approval', m: a.id, p: raj.id, o: approvalOption('approve', a.round), exp: exp(), ...o });
    const good = sign({});
    const cases: Array<[string, number, string]> = [
      [`${good.slice(0, -2)}xx`, 400, 'This link is not valid'],
      [sign({ exp: Math.floor(Date.now() / 1000) - 10 }), 410, 'This link has expired'],
      [sign({ p: ben.id }), 403, 'no longer one of the approvers'],
      [sign({ o: 'approve' }), 400, 'not an approval link'],
      [sign({ k: 'answer' }), 400, 'wrong kind of link'],
      [sign({ m: '00000000-0000-4000-8000-000000000000' }), 400, 'no longer exists'],
      [sign({ o: approvalOption('approve', a.round + 5) }), 409, 'This request is out of date'],
      ['%00%3Cscript%3E', 400, 'This link is not valid'],
    ];
    for (const [t, status, words] of cases) {
      for (const method of ['GET', 'POST'] as const) {
        const r = await fetch(`${srv.url}/a/${t}`, { method, ...(method === 'POST' ? { headers: form, body: 'decision=approve' } : {}) });
        // A POST without the page's form is refused (400) once the token itself is found good.
        expect(r.status, `${method} ${words}`).toBe(method === 'POST' && status !== 410 ? 400 : status);
        expect(r.headers.get('content-type')).toContain('text/html');
        if (method === 'GET') expect(await r.text()).toContain(words);
      }
    }
    // A stale round with a good form: the form's POST says so too.
    const stale = sign({ o: approvalOption('approve', a.round + 5) });
    const page = await (await fetch(`${srv.url}/a/${good}`)).text();
    expect(page).toContain('Changes to Go-live summary 2 of 3 were requested');
    const proof = (await import('../../../src/http/form-proof.ts')).issueFormProof(TEST_SECRET, stale, Math.floor(Date.now() / 1000));
    const r = await fetch(`${srv.url}/a/${stale}`, { method: 'POST', headers: form, body: `proof=${encodeURIComponent(proof)}&decision=approve` });
    expect(r.status).toBe(409);
    expect(await r.text()).toContain('changed after this request was sent');
  });
});
