import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { recordResponse } from '../../../src/app/record-response.ts';
import { sendManual } from '../../../src/app/send-manual.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { sandboxUsersFor, startHarness, waitForQuiet, type Harness } from '../../support/delivery.ts';

const PROJECT = 'follow-ups-test';
let db: TestDatabase;
let h: Harness;
const children: ChildProcess[] = [];

function workerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: db.url,
    REDIS_URL: h.config.REDIS_URL,
    REDIS_PREFIX: h.prefix,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_API_URL: h.config.SLACK_API_URL,
    SMTP_URL: h.config.SMTP_URL,
    HERALD_SECRET: h.config.HERALD_SECRET,
    EMAIL_RATE_PER_MINUTE: '6000',
    LOG_LEVEL: 'error',
  };
}

beforeAll(async () => {
  const loaded = await loadPlanFile('test/fixtures/plans/follow-ups.plan.yaml');
  db = await createTestDatabase({ poolSize: 10 });
  h = await startHarness(db, { slack: { users: sandboxUsersFor(loaded.plan) } });
  const now = new Date();
  await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date('2030-01-02T12:00:00Z') });
  await db.prisma.message.updateMany({ data: { status: 'cancelled' } });
  for (const comm of ['pulse', 'teams-pulse']) await sendManual(db, { project: PROJECT, comm, now, ignoreQuietHours: true });
  await db.prisma.message.updateMany({ where: { kind: 'comm', status: 'planned' }, data: { status: 'sent', sentAt: now } });
  await db.prisma.message.updateMany({ where: { kind: 'reminder' }, data: { status: 'cancelled' } });
});
afterAll(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await h.close();
  await db.drop();
});

async function waitFor(cond: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('two `herald worker` processes', () => {
  it('batch exactly one notice per owner per hour, and send each escalation once at each level', async () => {
    const surveys = await db.prisma.message.findMany({ where: { kind: 'comm', status: 'sent' }, include: { comm: true, person: true } });
    expect(surveys).toHaveLength(10);
    const clock = { now: () => new Date() };
    // Ten answers at once (two owners, five people each); then two of them turn urgent, also at once.
    await Promise.all(
      surveys.map((s) =>
        recordResponse(
          { stores: db.stores, clock },
          {
            messageId: s.id,
            option: 'minor',
            comment: `${s.person.key} on ${s.comm.key}`,
            channel: 'slack',
            receivedAt: new Date(),
            sourceRef: `slack:${s.id}`,
          },
        ),
      ),
    );
    const raised = surveys.filter((s) => s.person.key === 'bea');
    await Promise.all(
      raised.map((s) =>
        recordResponse(
          { stores: db.stores, clock },
          { messageId: s.id, option: 'blocked', comment: 'nothing works', channel: 'slack', receivedAt: new Date(), sourceRef: `slack:${s.id}:2` },
        ),
      ),
    );

    const batches = await db.prisma.message.findMany({
      where: { kind: 'escalation', key: { startsWith: 'escalations:' } },
      include: { person: true, escalationNotices: true },
    });
    expect(batches.map((b) => [b.person.key, b.escalationNotices.length]).sort()).toEqual([
      ['lee', 5],
      ['raj', 5],
    ]);
    expect(await db.prisma.message.count({ where: { kind: 'escalation', key: { startsWith: 'escalation:' } } })).toBe(2);

    // The test cannot wait for the next full hour: make the batches due now, and every escalation overdue.
    await db.prisma.message.updateMany({ where: { kind: 'escalation' }, data: { dueAt: new Date() } });
    await db.prisma.escalation.updateMany({ data: { escalateAt: new Date(Date.now() - 60_000) } });
    for (let i = 0; i < 2; i++)
      children.push(spawn(process.execPath, ['bin/herald.js', 'worker'], { env: workerEnv(), stdio: ['ignore', 'ignore', 'inherit'] }));

    // Both workers sweep escalations as they start (a slow start on a loaded machine): each goes to level 2 once.
    await waitFor(async () => (await db.prisma.escalation.count({ where: { level: 2 } })) === 10, 150_000);
    await db.prisma.message.updateMany({ where: { kind: 'escalation', status: 'planned' }, data: { dueAt: new Date() } });
    await waitFor(
      async () => (await db.prisma.message.count({ where: { kind: 'escalation', status: { in: ['planned', 'queued', 'sending'] } } })) === 0,
      90_000,
    );

    expect(h.slack.messagesTo('URAJ00001')).toHaveLength(2); // raj's batch + bea's urgent pulse
    expect(h.slack.messagesTo('ULEE00001')).toHaveLength(2); // lee's batch + bea's urgent teams-pulse
    const toMaria = h.smtp.messages.filter((m) => m.to.includes('maria@herald.example'));
    // Level 2: the eight normal ones in one batch (one per hour for Maria), the two urgent ones each at once.
    const batchMail = toMaria.filter((m) => !m.subject.startsWith('Urgent'));
    expect(batchMail).toHaveLength(1);
    expect(toMaria).toHaveLength(3);
    for (const person of ['jun', 'omar', 'gia', 'kai']) expect(batchMail[0]!.html).toContain(surveys.find((s) => s.person.key === person)!.person.name);
    const sent = await db.prisma.delivery.groupBy({ by: ['messageId'], where: { outcome: 'sent', message: { kind: 'escalation' } }, _count: true });
    expect(sent.every((s) => s._count === 1)).toBe(true);
    expect(sent).toHaveLength(2 + 2 + 3);
    await waitForQuiet(db, 5_000, `"kind"='escalation'`);
  }, 300_000);
});
