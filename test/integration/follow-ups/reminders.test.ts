import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { queryCalendar } from '../../../src/app/calendar-view.ts';
import { loadPlanFile, type LoadedPlan } from '../../../src/app/load-plan.ts';
import { moveMilestone } from '../../../src/app/move-milestone.ts';
import { recordResponse } from '../../../src/app/record-response.ts';
import { sendManual } from '../../../src/app/send-manual.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { sandboxUsersFor, startHarness, TestClock, waitForQuiet, type Harness } from '../../support/delivery.ts';

const PLAN = 'test/fixtures/plans/follow-ups.plan.yaml';
const PROJECT = 'follow-ups-test';
const APPLIED = new Date('2030-01-02T12:00:00Z');
let loaded: LoadedPlan;
let db: TestDatabase;

const localOf = async (key: string): Promise<{ localAt: string; status: string; kind?: string } | undefined> => {
  const { entries } = await queryCalendar(db, { project: PROJECT, includeCancelled: true });
  return entries.find((e) => e.key === key);
};

beforeAll(async () => {
  loaded = await loadPlanFile(PLAN);
  db = await createTestDatabase();
  await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: APPLIED });
});
afterAll(async () => {
  await db.drop();
});

describe('survey reminders in the calendar (PostgreSQL)', () => {
  it('are calendar rows: 2 business days after the survey, at its local time, on the same channel', async () => {
    // Go-live is Mon 21 Jan 2030, Martin Luther King Jr. Day: the survey is Tue 22 Jan, the reminder Thu 24 Jan.
    expect(await localOf('checkin#0:bea:slack')).toMatchObject({ localAt: '2030-01-22T14:00:00-06:00', status: 'planned' });
    expect(await localOf('checkin#0~r1:bea:slack')).toMatchObject({ localAt: '2030-01-24T14:00:00-06:00', status: 'planned', kind: 'reminder', occurrence: 0 });
    expect(await localOf('checkin#0:bea:slack')).not.toHaveProperty('kind');
    expect(await localOf('checkin#0~r1:jun:email')).toMatchObject({ localAt: '2030-01-24T14:00:00+05:30' });
    const rows = await db.prisma.message.findMany({ where: { key: { contains: '~r' } }, select: { kind: true, occurrence: true } });
    expect(rows.length).toBe(10);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['reminder']));
  });

  it('follow a re-plan: moving go-live moves each reminder with its survey', async () => {
    await moveMilestone(db, { project: PROJECT, milestone: 'go-live', when: '2030-01-28', now: APPLIED });
    expect(await localOf('checkin#0:bea:slack')).toMatchObject({ localAt: '2030-01-29T14:00:00-06:00' });
    expect(await localOf('checkin#0~r1:bea:slack')).toMatchObject({ localAt: '2030-01-31T14:00:00-06:00', status: 'planned' });
  });

  it('are cancelled the moment the person answers, and a re-apply does not bring them back', async () => {
    const survey = await db.prisma.message.findFirstOrThrow({ where: { key: 'checkin#0:bea:slack' } });
    await db.prisma.message.update({ where: { id: survey.id }, data: { status: 'sent', sentAt: APPLIED } });
    const r = await recordResponse(
      { stores: db.stores, clock: { now: () => APPLIED } },
      { messageId: survey.id, option: 'good', comment: null, channel: 'slack', receivedAt: APPLIED, sourceRef: 'slack:r1' },
    );
    expect(r.followUps.remindersCancelled).toBe(1);
    expect(await localOf('checkin#0~r1:bea:slack')).toMatchObject({ status: 'cancelled' });
    expect(await localOf('checkin#1~r1:bea:slack')).toMatchObject({ status: 'planned' });
    await applyPlan(db, {
      plan: { ...loaded.plan, milestones: loaded.plan.milestones.map((m) => ({ ...m, at: '2030-01-28T08:00' })) },
      hash: 'changed',
      now: APPLIED,
    });
    expect(await localOf('checkin#0~r1:bea:slack')).toMatchObject({ status: 'cancelled' });
  });

  it('wait for an out-of-office pause, then leave quiet hours', async () => {
    // Sat 2 Feb 2030 03:00 UTC = Fri 1 Feb 21:00 in Chicago, inside quiet hours.
    await db.prisma.person.updateMany({ where: { key: 'omar' }, data: { remindersPausedUntil: new Date('2030-02-02T03:00:00Z') } });
    await applyPlan(db, {
      plan: { ...loaded.plan, milestones: loaded.plan.milestones.map((m) => ({ ...m, at: '2030-01-28T08:00' })) },
      hash: 'changed-2',
      now: APPLIED,
    });
    expect(await localOf('checkin#0~r1:omar:slack')).toMatchObject({ localAt: '2030-02-02T08:00:00-05:00' });
  });
});

describe('reminders through the delivery pipeline', () => {
  let h: Harness;
  const clock = new TestClock();
  beforeAll(async () => {
    h = await startHarness(db, { clock, slack: { users: sandboxUsersFor(loaded.plan) } });
  });
  afterAll(async () => {
    await h.close();
  });

  it("go out with the survey's buttons, record the same answer, and stop when answered", async () => {
    const t0 = new Date('2030-03-05T15:00:00Z'); // Tue 09:00 in Chicago, 10:00 in New York
    clock.set(t0);
    // Only the pulse survey is on the wire here: the scheduled check-ins (in January) stay out of it.
    await db.prisma.message.updateMany({ where: { key: { startsWith: 'checkin#' } }, data: { status: 'cancelled' } });
    await sendManual(db, { project: PROJECT, comm: 'pulse', now: t0, ignoreQuietHours: true });
    await h.startWorker();
    await waitForQuiet(db, 20_000, `"kind"='comm'`);
    const omar = (await db.prisma.person.findFirstOrThrow({ where: { key: 'omar' } })).id;
    const survey = await db.prisma.message.findFirstOrThrow({ where: { personId: omar, kind: 'comm', comm: { key: 'pulse' } } });
    expect(survey.status).toBe('sent');

    clock.set(new Date(t0.getTime() + 31 * 60_000));
    const deadline = Date.now() + 20_000;
    while (h.slack.messagesTo('UOMAR0001').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const [first, reminder] = h.slack.messagesTo('UOMAR0001');
    expect(reminder).toBeDefined();
    const header = (reminder!.blocks as Array<{ type: string; text?: { text: string } }>).find((b) => b.type === 'header');
    expect(header?.text?.text).toMatch(/^Reminder: /);
    const buttons = (blocks: unknown[]) =>
      (blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>)
        .filter((b) => b.type === 'actions')
        .flatMap((b) => b.elements ?? []);
    expect(buttons(reminder!.blocks!).map((b) => b.action_id)).toEqual(buttons(first!.blocks!).map((b) => b.action_id));
    // The sandbox has the post a moment before the worker records the outcome.
    const sentReminder = () => db.prisma.message.findFirst({ where: { key: { startsWith: 'pulse#' }, personId: omar, kind: 'reminder', status: 'sent' } });
    let reminderRow = await sentReminder();
    for (let i = 0; !reminderRow && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      reminderRow = await sentReminder();
    }
    if (!reminderRow) throw new Error('the reminder was never recorded as sent');
    expect(JSON.parse(buttons(reminder!.blocks!)[0]!.value)).toMatchObject({ m: reminderRow.id });

    // Answering through the reminder records the survey's answer and cancels the second reminder.
    const r = await recordResponse(
      { stores: db.stores, clock },
      { messageId: reminderRow.id, option: 'good', comment: null, channel: 'slack', receivedAt: clock.now(), sourceRef: 'slack:omar-1' },
    );
    expect(r.response).toMatchObject({ occurrence: survey.occurrence, commId: survey.commId, option: 'good' });
    expect(r.followUps.remindersCancelled).toBe(1);
  });

  it('a reminder that slipped past the cancellation is skipped at send time, never sent', async () => {
    const bea = (await db.prisma.person.findFirstOrThrow({ where: { key: 'bea' } })).id;
    const survey = await db.prisma.message.findFirstOrThrow({ where: { personId: bea, kind: 'comm', comm: { key: 'pulse' } } });
    await recordResponse(
      { stores: db.stores, clock },
      { messageId: survey.id, option: 'good', comment: null, channel: 'slack', receivedAt: clock.now(), sourceRef: 'slack:bea-1' },
    );
    // As if the cancellation had lost a race: the reminder is due and planned again.
    await db.prisma.message.updateMany({ where: { personId: bea, kind: 'reminder', comm: { key: 'pulse' } }, data: { status: 'planned', dueAt: clock.now() } });
    const before = h.slack.messagesTo('UBEA00001').length;
    await waitForQuiet(db, 20_000, `"kind"='reminder' AND "personId"='${bea}'`);
    const rows = await db.prisma.message.findMany({ where: { personId: bea, kind: 'reminder', comm: { key: 'pulse' } }, include: { deliveries: true } });
    expect(rows.map((m) => m.status)).toEqual(['skipped', 'skipped']);
    expect(rows.map((m) => m.deliveries.sort((a, b) => a.at.getTime() - b.at.getTime()).at(-1)).map((d) => [d?.outcome, d?.error])).toEqual([
      ['skipped', 'answered'],
      ['skipped', 'answered'],
    ]);
    expect(h.slack.messagesTo('UBEA00001').length).toBe(before);
  });
});
