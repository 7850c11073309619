import { spawn, type ChildProcess } from 'node:child_process';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { loadPlanFile, type LoadedPlan } from '../../../src/app/load-plan.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { sandboxUsersFor, startHarness, waitForQuiet, type Harness } from '../../support/delivery.ts';
import { DIGEST_PLAN, seedDigestWeek } from '../../support/digest-seed.ts';

/** The digest of ISO week 2030-W07: its message keys are `exec-weekly#203007:<person>:<channel>`. */
const WEEK_KEYS = 'exec-weekly#203007:%';
const APPLIED_AT = new Date('2029-12-01T12:00:00Z');

let loaded: LoadedPlan;
let db: TestDatabase;
let h: Harness;
const children: ChildProcess[] = [];

beforeAll(async () => {
  loaded = await loadPlanFile(DIGEST_PLAN);
  db = await createTestDatabase({ poolSize: 10 });
  await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: APPLIED_AT });
  h = await startHarness(db, { slack: { users: sandboxUsersFor(loaded.plan) } });
});

afterAll(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await h?.close();
  await db?.drop();
});

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
    PUBLIC_URL: 'http://herald.test',
    LOG_LEVEL: 'silent',
  };
}

async function weekRows(): Promise<Array<{ key: string; status: string; dueAt: Date; person: { key: string; timezone: string } }>> {
  return db.prisma.message.findMany({
    where: { key: { startsWith: WEEK_KEYS.slice(0, -1) } },
    select: { key: true, status: true, dueAt: true, person: { select: { key: true, timezone: true } } },
    orderBy: { key: 'asc' },
  });
}

describe('the weekly digest is delivered exactly once per person, channel and week', () => {
  it('each executive’s digest is planned for Monday 08:00 in their own zone', async () => {
    const rows = await weekRows();
    expect(rows.map((r) => r.key)).toEqual([
      'exec-weekly#203007:eva:email',
      'exec-weekly#203007:eva:slack',
      'exec-weekly#203007:kai:email',
      'exec-weekly#203007:kai:slack',
      'exec-weekly#203007:ravi:email',
      // Ravi has no Slack id in the plan: it is looked up by email when the message is sent.
      'exec-weekly#203007:ravi:slack',
    ]);
    for (const r of rows) expect(DateTime.fromJSDate(r.dueAt, { zone: r.person.timezone }).toFormat('cccc yyyy-MM-dd HH:mm')).toBe('Monday 2030-02-11 08:00');
  });

  it('two worker processes, with a Slack 500 and an SMTP 451 on the way, send one digest to each, with this week’s news', async () => {
    await seedDigestWeek(db.prisma, new Date());
    await db.prisma.$executeRawUnsafe(`UPDATE "Message" SET "dueAt"=now() WHERE "key" LIKE $1`, WEEK_KEYS);
    await db.prisma.$executeRawUnsafe(`UPDATE "Message" SET "status"='cancelled' WHERE "status"='planned' AND "key" NOT LIKE $1`, WEEK_KEYS);
    h.slack.inject('chat.postMessage', { status: 500, times: 1 });
    h.smtp.inject({ code: 451, message: 'try again later', times: 1 });

    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, ['bin/herald.js', 'worker'], { env: workerEnv(), stdio: 'ignore' });
      children.push(child);
    }
    // Generous: two fresh worker processes start and retry on a shared, busy machine.
    const counts = await waitForQuiet(db, 150_000, `"key" LIKE 'exec-weekly#203007:%'`);
    expect(counts).toEqual({ sent: 6 });

    const mail = h.smtp.messages.filter((m) => m.subject.includes('weekly status'));
    expect(mail.map((m) => m.to.join(',')).sort()).toEqual(['eva@herald.example', 'kai@herald.example', 'ravi@herald.example']);
    for (const m of mail) {
      expect(m.subject).toMatch(/^Digest test project weekly status: red, \d{1,2} [A-Z][a-z]{2}$/);
      expect(m.html).toContain('Archive mailboxes over 100 GB fail to migrate');
      expect(m.html).toContain('data-section="escalations"');
      expect(m.text).toContain('DECISIONS NEEDED');
    }
    const posts = h.slack.messages;
    expect(posts.map((p) => p.user).sort()).toEqual(['UEVA00001', 'UFOUND0002', 'UKAI00001']);
    expect(JSON.stringify(posts[0]?.blocks)).toContain('Archive mailboxes over 100 GB fail to migrate');
    // The injected failures were retried, not dropped and not doubled.
    expect(h.slack.callsTo('chat.postMessage').length).toBe(4);
    const attempts = await db.prisma.delivery.groupBy({ by: ['outcome'], where: { message: { key: { startsWith: 'exec-weekly#203007:' } } }, _count: true });
    expect(Object.fromEntries(attempts.map((a) => [a.outcome, a._count]))).toEqual({ sent: 6, retry: 2 });
  }, 180_000);

  it('re-planning cannot make a second digest for a week already sent: keys name the week, the database refuses duplicates', async () => {
    // Re-apply unchanged, then with the schedule starting a week earlier: the sent week keeps its rows.
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date() });
    const earlier = { ...loaded.plan, milestones: loaded.plan.milestones.map((m) => (m.key === 'kickoff' ? { ...m, at: '2029-12-26T09:00' } : m)) };
    await applyPlan(db, { plan: earlier, hash: `${loaded.hash}-earlier`, now: new Date() });
    const rows = await weekRows();
    expect(rows.map((r) => [r.key, r.status])).toEqual([
      ['exec-weekly#203007:eva:email', 'sent'],
      ['exec-weekly#203007:eva:slack', 'sent'],
      ['exec-weekly#203007:kai:email', 'sent'],
      ['exec-weekly#203007:kai:slack', 'sent'],
      ['exec-weekly#203007:ravi:email', 'sent'],
      ['exec-weekly#203007:ravi:slack', 'sent'],
    ]);
    const any = await db.prisma.message.findFirstOrThrow({ where: { key: 'exec-weekly#203007:eva:email' } });
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = any;
    await expect(db.prisma.message.create({ data: { ...copy, status: 'planned' } })).rejects.toMatchObject({ code: 'P2002' });

    // The workers, still running, send nothing more.
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.smtp.messages.filter((m) => m.subject.includes('weekly status'))).toHaveLength(3);
    expect(h.slack.messages).toHaveLength(3);
  }, 60_000);
});
