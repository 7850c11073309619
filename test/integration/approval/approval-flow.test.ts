import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { decideApproval } from '../../../src/app/decide-approval.ts';
import { loadPlanFile, type LoadedPlan } from '../../../src/app/load-plan.ts';
import { moveMilestone } from '../../../src/app/move-milestone.ts';
import { sendManual } from '../../../src/app/send-manual.ts';
import { syncApprovals } from '../../../src/app/sync-approvals.ts';
import { systemClock } from '../../../src/app/ports.ts';
import { buildEngine } from '../../../src/templates/builtin.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { sandboxUsersFor, startHarness, waitForQuiet, type Harness } from '../../support/delivery.ts';

const PROJECT = 'approval-test';
let debug: (() => Promise<string>) | undefined;

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${debug ? `: ${await debug()}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Real time: the worker runs on the system clock; the plan's milestones are in 2030. */
describe('approval before send, through the worker', () => {
  let db: TestDatabase;
  let h: Harness;
  let loaded: LoadedPlan;
  const deps = () => ({ stores: db.stores, clock: systemClock });

  beforeAll(async () => {
    loaded = await loadPlanFile('test/fixtures/plans/approval.plan.yaml');
  });
  beforeEach(async () => {
    db = await createTestDatabase({ poolSize: 20 });
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date() });
    h = await startHarness(db, { slack: { users: sandboxUsersFor(loaded.plan) } });
    debug = async () => JSON.stringify(await db.prisma.message.findMany({ select: { key: true, status: true, lastError: true, attempts: true, kind: true } }));
  });
  afterEach(async () => {
    await h.close();
    await db.drop();
  });

  const execMessages = () => db.prisma.message.findMany({ where: { kind: 'comm', comm: { key: 'exec-summary' } }, orderBy: { key: 'asc' } });
  const approvalOfExec = () => db.prisma.approval.findFirst({ where: { comm: { key: 'exec-summary' } } });
  const slackTextTo = (user: string) =>
    h.slack.messages
      .filter((m) => m.channel === h.slack.dmChannelOf(user))
      .map((m) => JSON.stringify(m))
      .join('\n');

  it('holds an executive summary without approval, tells the PM once, asks the approver, and sends within a second of approval', async () => {
    await h.startWorker();
    await sendManual(db, { project: PROJECT, comm: 'exec-summary', now: new Date(), ignoreQuietHours: true });
    // Maria and Cy (executives) each have one message: both held, neither sent.
    const held = await until('both held', async () => {
      const ms = await execMessages();
      return ms.length === 2 && ms.every((m) => m.status === 'held') && ms;
    });
    expect(held.map((m) => m.attempts)).toEqual([0, 0]);
    // Maria is asked on Slack (she has an id), with the preview and two buttons.
    const request = await until('the request to Maria', async () => slackTextTo('UMARIA001').includes('herald_approval_approve') && slackTextTo('UMARIA001'));
    expect(request).toContain('Approval needed: Go-live executive summary');
    expect(request).toContain('Mail and Teams now run in Microsoft 365.');
    // Ana (project owner and workstream owner) is told once that it is held.
    await until('the held notice to Ana', async () => slackTextTo('UANA00001').includes('Held for approval'));
    expect(h.slack.messages.filter((m) => m.channel === h.slack.dmChannelOf('UCY000001'))).toHaveLength(0);

    const a = (await approvalOfExec())!;
    const approvedAt = Date.now();
    const r = await decideApproval(deps(), { approvalId: a.id, decision: 'approve', approver: 'maria', actor: 'maria', via: 'slack' });
    expect(r).toMatchObject({ state: 'approved', changed: true, released: 2, skipped: 0 });
    await until('both sent', async () => (await execMessages()).every((m) => m.status === 'sent'));
    const sent = (await execMessages()).map((m) => m.sentAt!.getTime() - approvedAt);
    for (const ms of sent) expect(ms).toBeLessThan(1_000);
    expect(slackTextTo('UCY000001')).toContain('Mail and Teams now run in Microsoft 365.');
    // The held notice went once; the audit log has the whole story.
    expect(h.slack.messages.filter((m) => m.channel === h.slack.dmChannelOf('UANA00001') && JSON.stringify(m).includes('Held for approval'))).toHaveLength(1);
    const actions = (await db.prisma.auditEntry.findMany({ where: { projectKey: PROJECT }, orderBy: { seq: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['message.sent-manually', 'approval.requested', 'message.held', 'approval.given', 'message.released']));
    // A repeated click changes nothing.
    expect(await decideApproval(deps(), { approvalId: a.id, decision: 'approve', approver: 'maria', actor: 'maria', via: 'slack' })).toMatchObject({
      changed: false,
      released: 0,
    });
  }, 40_000);

  it('a rejection reaches the PM with its reason and keeps the messages held', async () => {
    await h.startWorker();
    await sendManual(db, { project: PROJECT, comm: 'exec-summary', now: new Date(), ignoreQuietHours: true });
    await until('held', async () => (await execMessages()).every((m) => m.status === 'held') && (await approvalOfExec()));
    const a = (await approvalOfExec())!;
    await expect(decideApproval(deps(), { approvalId: a.id, decision: 'reject', approver: 'maria', actor: 'maria', via: 'email' })).rejects.toMatchObject({
      code: 'APPROVAL_REASON_REQUIRED',
    });
    await expect(decideApproval(deps(), { approvalId: a.id, decision: 'approve', approver: 'cy', actor: 'cy', via: 'email' })).rejects.toMatchObject({
      code: 'APPROVAL_FORBIDDEN',
    });
    const r = await decideApproval(deps(), {
      approvalId: a.id,
      decision: 'reject',
      note: 'Name the hypercare end date.',
      approver: 'maria',
      actor: 'maria',
      via: 'email',
    });
    expect(r).toMatchObject({ state: 'rejected', changed: true });
    const notice = await until('the rejection notice to Ana', async () => {
      const text = slackTextTo('UANA00001');
      return text.includes('Changes requested') && text;
    });
    expect(notice).toContain('Maria Lopez requested changes');
    expect(notice).toContain('Name the hypercare end date.');
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await execMessages()).map((m) => m.status)).toEqual(['held', 'held']);
    expect(await db.prisma.auditEntry.findFirst({ where: { action: 'approval.refused' } })).toMatchObject({
      actor: 'maria',
      ref: 'exec-summary#0',
      detail: { approver: 'maria', via: 'email', note: 'Name the hypercare end date.' },
    });
    // A later approval of a rejected round decides nothing.
    expect(await decideApproval(deps(), { approvalId: a.id, decision: 'approve', approver: 'maria', actor: 'maria', via: 'email' })).toMatchObject({
      state: 'rejected',
      changed: false,
    });
  }, 40_000);

  it('two workers never send a held message twice', async () => {
    await h.startWorker();
    await h.startWorker();
    await sendManual(db, { project: PROJECT, comm: 'exec-summary', now: new Date(), ignoreQuietHours: true });
    await until('held', async () => (await execMessages()).every((m) => m.status === 'held') && (await approvalOfExec()));
    const a = (await approvalOfExec())!;
    // Two decisions at once (two approvers' clicks): one releases, the other sees it decided.
    const both = await Promise.all([
      decideApproval(deps(), { approvalId: a.id, decision: 'approve', approver: 'maria', actor: 'maria', via: 'slack' }),
      decideApproval(deps(), { approvalId: a.id, decision: 'approve', actor: 'pm@laptop', via: 'cli', onBehalfOf: 'maria' }),
    ]);
    expect(both.map((r) => r.released).sort()).toEqual([0, 2]);
    await waitForQuiet(db, 15_000, `"key" LIKE 'exec-summary#%'`);
    const msgs = await execMessages();
    expect(msgs.map((m) => [m.status, m.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
    const posts = h.slack.messages.filter(
      (m) => JSON.stringify(m).includes('Mail and Teams now run in Microsoft 365.') && !JSON.stringify(m).includes('Approval needed'),
    );
    const emails = h.smtp.messages.filter((m) => m.text?.includes('Mail and Teams now run') && !m.subject?.includes('Approval needed'));
    expect(posts.length + emails.length).toBe(2);
  }, 40_000);
});

describe('what a plan change does to an approval', () => {
  let db: TestDatabase;
  let loaded: LoadedPlan;
  const engine = buildEngine({ PUBLIC_URL: 'http://herald.test' });
  const now = new Date('2029-12-03T15:00:00Z');
  const clock = { now: () => now };

  beforeAll(async () => {
    loaded = await loadPlanFile('test/fixtures/plans/approval.plan.yaml');
  });
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  async function sync() {
    const stored = await db.stores.projects.load(PROJECT);
    const planUpdatedAt = await db.stores.projects.planVersion(stored.projectId);
    return syncApprovals(
      { stores: db.stores, engine, publicUrl: 'http://herald.test' },
      { projectId: stored.projectId, plan: stored.plan, planUpdatedAt, now },
    );
  }
  const notice = () => db.prisma.approval.findFirstOrThrow({ where: { comm: { key: 'cutover-notice' } } });
  const requests = () =>
    db.prisma.message.findMany({
      where: { kind: 'approval-request', comm: { key: 'cutover-notice' } },
      orderBy: { key: 'asc' },
      select: { key: true, status: true, dueAt: true },
    });

  it('asks each approver `before` ahead, keeps an approval when only the date moves, and withdraws it when the content changes', async () => {
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now });
    expect(await sync()).toEqual({ requested: 1, withdrawn: 0, kept: 0 });
    expect(await sync()).toEqual({ requested: 0, withdrawn: 0, kept: 0 });
    const first = await notice();
    // Cutover Tue 15 Jan 2030 → notice Thu 10 Jan 09:00 in each person's zone: Ben's (London) is first.
    // Each approver is asked 2 business days before that instant, in their own zone: Tue 8 Jan.
    expect(first.firstSendAt.toISOString()).toBe('2030-01-10T09:00:00.000Z');
    const asked = await requests();
    expect(asked.filter((m) => !m.key.includes('remind')).map((m) => [m.key.replace(first.id, 'A'), m.dueAt.toISOString()])).toEqual([
      ['approval:A:r1:ana:slack', '2030-01-08T09:00:00.000Z'],
      ['approval:A:r1:ben:email', '2030-01-08T09:00:00.000Z'],
    ]);
    expect(asked.filter((m) => m.key.includes('remind'))).toHaveLength(4);

    // One copy going out first (Ben's, London) does not read as a date move for the rest.
    const bens = { key: { startsWith: 'cutover-notice#0:ben:' } };
    await db.prisma.message.updateMany({ where: bens, data: { status: 'sent', sentAt: now } });
    expect(await sync()).toEqual({ requested: 0, withdrawn: 0, kept: 0 });
    await db.prisma.message.updateMany({ where: bens, data: { status: 'planned', sentAt: null } });

    // Needs all: Ana alone does not approve it; Ben too does.
    await decideApproval({ stores: db.stores, clock }, { approvalId: first.id, decision: 'approve', approver: 'ana', actor: 'ana', via: 'slack' });
    expect((await notice()).state).toBe('pending');
    await decideApproval({ stores: db.stores, clock }, { approvalId: first.id, decision: 'approve', approver: 'ben', actor: 'ben', via: 'email' });
    expect((await notice()).state).toBe('approved');
    expect((await requests()).every((m) => m.status === 'cancelled')).toBe(true);

    // Cutover a week later: same words, new date. The approval stays, and says so in the audit log.
    await moveMilestone(db, { project: PROJECT, milestone: 'cutover', when: '2030-01-22T18:00', now });
    expect(await sync()).toEqual({ requested: 0, withdrawn: 0, kept: 1 });
    const moved = await notice();
    expect(moved).toMatchObject({ state: 'approved', round: 1 });
    expect(moved.firstSendAt.toISOString()).toBe('2030-01-17T09:00:00.000Z');
    expect(await db.prisma.auditEntry.findFirst({ where: { action: 'approval.kept' } })).toMatchObject({ ref: 'cutover-notice#0' });

    // New words: withdrawn, round 2, asked again; the approve of round 1 decides nothing.
    const changed = {
      ...loaded.plan,
      milestones: loaded.plan.milestones.map((m) => (m.key === 'cutover' ? { ...m, at: '2030-01-22T18:00' } : m)),
      comms: loaded.plan.comms.map((c) => (c.key === 'cutover-notice' ? { ...c, data: { ...c.data, impact: 'Outlook and Teams will not sync.' } } : c)),
    };
    await applyPlan(db, { plan: changed, hash: 'changed', now });
    expect(await sync()).toEqual({ requested: 0, withdrawn: 1, kept: 0 });
    expect(await notice()).toMatchObject({ state: 'pending', round: 2 });
    expect((await requests()).filter((m) => m.status === 'planned').map((m) => m.key.replace(first.id, 'A'))).toEqual(
      expect.arrayContaining(['approval:A:r2:ana:slack', 'approval:A:r2:ben:email']),
    );
    await expect(
      decideApproval({ stores: db.stores, clock }, { approvalId: first.id, decision: 'approve', approver: 'ana', actor: 'ana', via: 'email', round: 1 }),
    ).rejects.toMatchObject({ code: 'APPROVAL_STALE' });
    expect(await db.prisma.auditEntry.findFirst({ where: { action: 'approval.withdrawn' } })).toMatchObject({ ref: 'cutover-notice#0' });
  });
});
