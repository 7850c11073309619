import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { sendManual } from '../../../src/app/send-manual.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { sandboxUsersFor, startHarness, TestClock, waitForQuiet, type Harness } from '../../support/delivery.ts';

const PROJECT = 'delivery-test';
const ANA = 'UANA00001';
const CY = 'UCY000001';

/** Each test fires one manual comm and follows only that firing's messages. */
describe('delivery failures, classified and handled', () => {
  let db: TestDatabase;
  let h: Harness;
  const clock = new TestClock();

  async function fire(comm: string): Promise<{
    where: string;
    rows: () => Promise<Array<{ id: string; key: string; status: string; attempts: number; lastError: string | null; personKey: string; channel: string }>>;
  }> {
    const r = await sendManual(db, { project: PROJECT, comm, now: clock.now(), ignoreQuietHours: true });
    const where = `"key" LIKE '${comm}#${r.occurrence}:%'`;
    return {
      where,
      rows: () =>
        db.prisma.$queryRawUnsafe(
          `SELECT m."id", m."key", m."status"::text AS status, m."attempts", m."lastError", p."key" AS "personKey", m."channel"
           FROM "Message" m JOIN "Person" p ON p."id"=m."personId" WHERE m.${where} ORDER BY m."key"`,
        ),
    };
  }
  const deliveries = (messageId: string) => db.prisma.delivery.findMany({ where: { messageId }, orderBy: { at: 'asc' } });

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 10 });
    const loaded = await loadPlanFile('test/fixtures/plans/delivery.plan.yaml');
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date() });
    h = await startHarness(db, { clock, slack: { users: sandboxUsersFor(loaded.plan) } });
    await h.startWorker();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('429 with Retry-After: waits as told, then sends; nothing is lost', async () => {
    h.slack.inject('chat.postMessage', { status: 429, retryAfter: 1, times: 1 });
    const f = await fire('prep-both');
    await waitForQuiet(db, 20_000, f.where);
    const rows = await f.rows();
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'sent'));
    const retried = rows.find((r) => r.attempts === 2)!;
    const log = await deliveries(retried.id);
    expect(log.map((d) => d.outcome)).toEqual(['retry', 'sent']);
    expect(log[0]!.error).toMatch(/ratelimited/);
    expect(log[1]!.at.getTime() - log[0]!.at.getTime()).toBeGreaterThanOrEqual(950);
  });

  it('a 5xx is transient: retried with backoff, then sent', async () => {
    h.slack.inject('chat.postMessage', { status: 500, times: 1 });
    const f = await fire('prep-both');
    await waitForQuiet(db, 20_000, f.where);
    const rows = await f.rows();
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const retried = rows.find((r) => r.attempts === 2)!;
    expect((await deliveries(retried.id)).map((d) => d.outcome)).toEqual(['retry', 'sent']);
  });

  it('user_not_found on Slack is permanent; with channels [preferred] it falls back to e-mail', async () => {
    // Herald posts to the user id itself: that post is what fails.
    h.slack.inject('chat.postMessage', { error: 'user_not_found', times: 1, match: (b) => b.channel === ANA });
    const f = await fire('prep-preferred');
    await waitForQuiet(db, 20_000, f.where);
    const rows = await f.rows();
    const anaSlack = rows.find((r) => r.personKey === 'ana' && r.channel === 'slack')!;
    expect(anaSlack).toMatchObject({ status: 'failed', attempts: 1 });
    expect(anaSlack.lastError).toMatch(/user_not_found/);
    expect((await deliveries(anaSlack.id)).map((d) => d.outcome)).toEqual(['fallback']);
    const anaEmail = rows.find((r) => r.personKey === 'ana' && r.channel === 'email')!;
    expect(anaEmail.status).toBe('sent');
    expect(h.smtp.messages.some((m) => m.headers['x-herald-message-id'] === anaEmail.id)).toBe(true);
  });

  it('invalid_auth is permanent and never retried; without an e-mail address there is no fallback', async () => {
    h.slack.inject('chat.postMessage', { error: 'invalid_auth', times: 1, match: (b) => b.channel === CY });
    const f = await fire('prep-preferred');
    await waitForQuiet(db, 20_000, f.where);
    const cy = (await f.rows()).filter((r) => r.personKey === 'cy');
    expect(cy).toHaveLength(1);
    expect(cy[0]).toMatchObject({ status: 'failed', attempts: 1, channel: 'slack' });
    expect(cy[0]!.lastError).toMatch(/invalid_auth/);
  });

  it('an SMTP 4xx is transient: retried, then sent', async () => {
    h.smtp.inject({ code: 451, times: 1, match: (rcpt) => rcpt.startsWith('ben@') });
    const f = await fire('prep-both');
    await waitForQuiet(db, 20_000, f.where);
    const ben = (await f.rows()).find((r) => r.personKey === 'ben' && r.channel === 'email')!;
    expect(ben).toMatchObject({ status: 'sent', attempts: 2 });
    expect((await deliveries(ben.id)).map((d) => d.outcome)).toEqual(['retry', 'sent']);
  });

  it('an SMTP 550 is permanent: the message fails and the address is marked rejected', async () => {
    h.smtp.inject({ code: 550, times: 1, match: (rcpt) => rcpt.startsWith('ben@') });
    const f = await fire('prep-both');
    await waitForQuiet(db, 20_000, f.where);
    const ben = (await f.rows()).find((r) => r.personKey === 'ben' && r.channel === 'email')!;
    expect(ben).toMatchObject({ status: 'failed', attempts: 1 });
    const person = await db.prisma.person.findFirstOrThrow({ where: { key: 'ben' } });
    expect(person.emailRejectedAt).not.toBeNull();
    // Later e-mail to a rejected address fails at once, without contacting the server.
    const toBen = () => h.smtp.messages.filter((m) => m.to.some((t) => t.includes('ben@'))).length;
    const before = toBen();
    const g = await fire('prep-both');
    await waitForQuiet(db, 20_000, g.where);
    const again = (await g.rows()).find((r) => r.personKey === 'ben' && r.channel === 'email')!;
    expect(again.status).toBe('failed');
    expect(again.lastError).toMatch(/address_rejected/);
    expect(toBen()).toBe(before);
  });
});
