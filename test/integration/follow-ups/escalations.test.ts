import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnEscalation } from '../../../src/app/act-on-escalation.ts';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { escalateOverdue } from '../../../src/app/escalate-overdue.ts';
import { loadPlanFile, type LoadedPlan } from '../../../src/app/load-plan.ts';
import { recordResponse, type RecordResponseInput } from '../../../src/app/record-response.ts';
import { sendManual } from '../../../src/app/send-manual.ts';
import { verifyToken } from '../../../src/domain/tokens.ts';
import { runCli } from '../../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { sandboxUsersFor, startHarness, TEST_SECRET, TestClock, waitForQuiet, type Harness } from '../../support/delivery.ts';

const PROJECT = 'follow-ups-test';
// Tue 22 Jan 2030 06:00 UTC: 11:30 in Kolkata (Raj, the exchange owner), midnight in Chicago (Maria).
const T = new Date('2030-01-22T06:00:00Z');
const at = (minutes: number): Date => new Date(T.getTime() + minutes * 60_000);
let loaded: LoadedPlan;
let db: TestDatabase;
let h: Harness;
const clock = new TestClock();
const surveys = new Map<string, string>();

async function answer(comm: string, person: string, option: string | null, minutes: number, comment: string | null = null) {
  clock.set(at(minutes));
  const input: RecordResponseInput = {
    messageId: surveys.get(`${comm}:${person}`)!,
    option,
    comment,
    channel: 'slack',
    receivedAt: at(minutes),
    sourceRef: `slack:${comm}:${person}:${minutes}`,
  };
  return recordResponse({ stores: db.stores, clock }, input);
}

beforeAll(async () => {
  loaded = await loadPlanFile('test/fixtures/plans/follow-ups.plan.yaml');
  db = await createTestDatabase();
  await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date('2030-01-02T12:00:00Z') });
  await db.prisma.message.updateMany({ data: { status: 'cancelled' } });
  for (const comm of ['pulse', 'teams-pulse']) await sendManual(db, { project: PROJECT, comm, now: T, ignoreQuietHours: true });
  const rows = await db.prisma.message.findMany({ where: { kind: 'comm', status: 'planned' }, include: { comm: true, person: true } });
  for (const r of rows) surveys.set(`${r.comm.key}:${r.person.key}`, r.id);
  // As the worker would have: the surveys are out, their reminders do not matter here.
  await db.prisma.message.updateMany({ where: { kind: 'comm', status: 'planned' }, data: { status: 'sent', sentAt: T } });
  await db.prisma.message.updateMany({ where: { kind: 'reminder' }, data: { status: 'cancelled' } });
  h = await startHarness(db, { clock, slack: { users: sandboxUsersFor(loaded.plan) } });
});
afterAll(async () => {
  await h.close();
  await db.drop();
});

describe('escalations (PostgreSQL, Slack sandbox, SMTP sink)', () => {
  it('escalate: true opens one for the workstream owner, batched for the next full hour; a second joins the same message', async () => {
    const a = await answer('pulse', 'bea', 'minor', 0, 'Outlook keeps asking for my password');
    expect(a.followUps.escalation).toMatchObject({ action: 'open', urgency: 'normal' });
    const b = await answer('pulse', 'omar', 'minor', 20);
    expect(b.followUps.escalation?.noticeId).toBe(a.followUps.escalation?.noticeId);
    const notice = await db.prisma.message.findUniqueOrThrow({
      where: { id: a.followUps.escalation!.noticeId! },
      include: { escalationNotices: true, person: true },
    });
    expect(notice).toMatchObject({ kind: 'escalation', channel: 'slack', status: 'planned', dueAt: new Date('2030-01-22T07:00:00Z') });
    expect(notice.person.key).toBe('raj');
    expect(notice.escalationNotices).toHaveLength(2);
    const e = await db.prisma.escalation.findUniqueOrThrow({ where: { id: a.followUps.escalation!.id } });
    // Four of Raj's working hours from 12:30 IST (07:00 UTC): 16:30 IST.
    expect(e).toMatchObject({
      state: 'open',
      level: 1,
      urgency: 'normal',
      option: 'minor',
      comment: 'Outlook keeps asking for my password',
      escalateAt: new Date('2030-01-22T11:00:00Z'),
    });
  });

  it("urgent goes out at once, even inside the owner's quiet hours", async () => {
    // 16:00 UTC = 21:30 in Kolkata: quiet hours for Raj.
    const r = await answer('pulse', 'gia', 'blocked', 600, 'Cannot open any mail');
    const notice = await db.prisma.message.findUniqueOrThrow({ where: { id: r.followUps.escalation!.noticeId! } });
    expect(Math.abs(notice.dueAt.getTime() - at(600).getTime())).toBeLessThan(2_000);
    expect(r.followUps.escalation).toMatchObject({ action: 'open', urgency: 'urgent' });
  });

  it('a changed answer that no longer escalates closes nothing; one that became urgent is sent again at once', async () => {
    const calm = await answer('pulse', 'bea', 'good', 601);
    expect(calm.followUps.escalation).toBeUndefined();
    expect((await db.prisma.escalation.findMany({ where: { person: { key: 'bea' } } })).map((e) => e.state)).toEqual(['open']);
    const worse = await answer('pulse', 'omar', 'blocked', 602, 'Now nothing works');
    expect(worse.followUps.escalation).toMatchObject({ action: 'raise', urgency: 'urgent' });
    const e = await db.prisma.escalation.findFirstOrThrow({ where: { person: { key: 'omar' } } });
    expect(e).toMatchObject({ urgency: 'urgent', option: 'blocked', comment: 'Now nothing works' });
  });

  it('the worker sends each notice once through Slack with who, what, their words and acknowledge/resolve buttons', async () => {
    clock.set(at(610));
    await h.startWorker();
    const raj = await db.prisma.person.findFirstOrThrow({ where: { key: 'raj' } });
    await waitForQuiet(db, 20_000, `"kind"='escalation' AND "personId"='${raj.id}'`);
    const dms = h.slack.messagesTo('URAJ00001');
    // The 07:00 batch (bea + omar, omar now urgent and shown as such), gia's urgent one, omar's raise.
    expect(dms).toHaveLength(3);
    const batch = dms.find((m) => JSON.stringify(m.blocks).includes('Bea Meyer'))!;
    const text = JSON.stringify(batch.blocks);
    expect(text).toContain('Outlook keeps asking for my password');
    expect(text).toContain('Omar Price');
    const actions = (batch.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).filter((b) => b.type === 'actions');
    expect(actions).toHaveLength(2);
    expect(actions[0]!.elements!.map((b) => b.action_id)).toEqual(['herald_escalation_acknowledge', 'herald_escalation_resolve']);
  });

  it("unacknowledged past 4 business hours it goes to the workstream's escalation person, once, by email with confirm-page links", async () => {
    // The worker's own sweeper took them to level 2 when it started (16:10 UTC, past 11:00): urgent
    // ones at once, Bea's in Maria's 17:00 UTC batch. Nothing is left to escalate, however often asked.
    clock.set(new Date('2030-01-22T17:01:00Z'));
    const again = await Promise.all([escalateOverdue({ stores: db.stores, clock }), escalateOverdue({ stores: db.stores, clock })]);
    expect(again).toEqual([0, 0]);
    const seconds = await db.prisma.escalationNotice.groupBy({ by: ['escalationId'], where: { role: 'second' }, _count: true });
    // Gia's (opened at 21:30 in Kolkata) waits for four of Raj's working hours from his next morning.
    expect(seconds.map((g) => g._count)).toEqual([1, 1]);
    await waitForQuiet(db, 20_000, `"kind"='escalation'`);
    const mails = h.smtp.messages.filter((m) => m.to.includes('maria@herald.example'));
    expect(mails.length).toBeGreaterThanOrEqual(1);
    const body = mails.map((m) => m.html).join('\n');
    expect(body).toContain('Bea Meyer');
    const link = /href="http:\/\/herald\.test\/e\/([A-Za-z0-9_-]+)"/.exec(body)![1]!;
    const token = verifyToken(TEST_SECRET, link, Math.floor(clock.now().getTime() / 1000));
    expect(token).toMatchObject({ k: 'escalation', o: 'acknowledge' });
    const levels = await db.prisma.escalation.findMany({ include: { person: true } });
    expect(Object.fromEntries(levels.map((e) => [e.person.key, e.level]))).toEqual({ bea: 2, omar: 2, gia: 1 });
  });

  it("acknowledging tells the person who answered that the owner's team is on it; repeats change nothing", async () => {
    const e = await db.prisma.escalation.findFirstOrThrow({ where: { person: { key: 'bea' } } });
    const raj = await db.prisma.person.findFirstOrThrow({ where: { key: 'raj' } });
    const jun = await db.prisma.person.findFirstOrThrow({ where: { key: 'jun' } });
    await expect(actOnEscalation({ stores: db.stores, clock }, { escalationId: e.id, action: 'acknowledge', by: jun.id })).rejects.toMatchObject({
      code: 'ESCALATION_FORBIDDEN',
    });
    const r = await actOnEscalation({ stores: db.stores, clock }, { escalationId: e.id, action: 'acknowledge', by: raj.id });
    expect(r).toMatchObject({ state: 'acknowledged', changed: true });
    expect(await actOnEscalation({ stores: db.stores, clock }, { escalationId: e.id, action: 'acknowledge', by: raj.id })).toMatchObject({ changed: false });
    await waitForQuiet(db, 20_000, `"kind"='escalation-update'`);
    const told = h.slack.messagesTo('UBEA00001');
    expect(told.map((m) => m.text).join('\n')).toContain("Raj's team is on it");
  });

  it('herald escalations and herald responses show it all', async () => {
    const env = { DATABASE_URL: db.url, HERALD_DATA_DIR: '/nonexistent' };
    const esc = await runCli(['escalations', PROJECT, '--format', 'json'], env);
    expect(esc.code).toBe(0);
    const list = JSON.parse(esc.stdout) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(3);
    expect(list.find((x) => x.person === 'bea')).toMatchObject({ owner: 'maria', level: 2, state: 'acknowledged', urgency: 'normal', comm: 'pulse' });
    expect(list.find((x) => x.person === 'gia')).toMatchObject({ owner: 'raj', level: 1, state: 'open', urgency: 'urgent' });
    const open = JSON.parse((await runCli(['escalations', PROJECT, '--open', '--format', 'json'], env)).stdout) as unknown[];
    expect(open).toHaveLength(3);
    const table = await runCli(['escalations', PROJECT], env);
    expect(table.stdout).toMatch(/acknowledged\s+2\s+\S+\s+Maria Lopez/);

    const resp = JSON.parse((await runCli(['responses', PROJECT, '--comm', 'pulse', '--format', 'json'], env)).stdout) as Array<Record<string, unknown>>;
    const bea = resp.find((x) => x.person === 'bea')!;
    expect(bea, JSON.stringify(bea)).toMatchObject({ comm: 'pulse', occurrence: 0, channel: 'slack', option: 'good' });
    expect(bea.history).toEqual([expect.objectContaining({ from: 'minor', to: 'good', channel: 'slack' })]);
    expect(typeof bea.answeredAt).toBe('string');
    const summary = await runCli(['responses', PROJECT], env);
    expect(summary.stdout).toContain('Some issues');
    expect(summary.stdout).toMatch(/end-users\s+3\/5\s+60%/);
    expect(summary.stdout).toContain('Cannot open any mail');
  });

  it('herald escalation ack|resolve --note stores the note, and herald escalations shows it (table and JSON)', async () => {
    const env = { DATABASE_URL: db.url, HERALD_DATA_DIR: '/nonexistent' };
    const gia = await db.prisma.escalation.findFirstOrThrow({ where: { person: { key: 'gia' } } });
    const id = gia.id.slice(0, 8);
    const ack = await runCli(['escalation', 'ack', PROJECT, id, '--note', 'Raj is calling the vendor'], env);
    expect(ack.code, ack.stderr).toBe(0);
    expect(ack.stdout).toContain('acknowledged, with your note');
    const resolve = await runCli(['escalation', 'resolve', PROJECT, id, '--note', 'Licence reassigned;\nmail flows again'], env);
    expect(resolve.code, resolve.stderr).toBe(0);
    const repeat = await runCli(['escalation', 'resolve', PROJECT, id, '--note', 'another'], env);
    expect(repeat.stdout).toContain('already resolved; nothing changed (the note was not stored)');
    expect(await db.prisma.escalation.findUniqueOrThrow({ where: { id: gia.id } })).toMatchObject({
      state: 'resolved',
      acknowledgementNote: 'Raj is calling the vendor',
      resolutionNote: 'Licence reassigned;\nmail flows again',
    });
    const list = JSON.parse((await runCli(['escalations', PROJECT, '--format', 'json'], env)).stdout) as Array<Record<string, unknown>>;
    expect(list.find((x) => x.id === gia.id)).toMatchObject({
      acknowledgementNote: 'Raj is calling the vendor',
      resolutionNote: 'Licence reassigned;\nmail flows again',
    });
    expect(list.find((x) => x.person === 'bea')).toMatchObject({ acknowledgementNote: null, resolutionNote: null });
    const table = (await runCli(['escalations', PROJECT], env)).stdout;
    expect(table).toContain('acknowledged: Raj is calling the vendor');
    expect(table).toContain('resolved: Licence reassigned; mail flows again');
  });
});
