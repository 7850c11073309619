import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { sendManual } from '../../../src/app/send-manual.ts';
import { createGraphEmailChannel } from '../../../src/channels/email/graph-channel.ts';
import { createGraphClient } from '../../../src/channels/microsoft/graph-client.ts';
import { microsoftTokens } from '../../../src/channels/microsoft/ms-token.ts';
import { createSlackChannel } from '../../../src/channels/slack/slack-channel.ts';
import type { MicrosoftSandbox } from '../../../src/sandbox/microsoft-server.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { sandboxUsersFor, startHarness, TestClock, waitForQuiet, type Harness } from '../../support/delivery.ts';
import { SECRET, SECRET_APP, startTenant, TENANT } from './sandbox.ts';

const PROJECT = 'delivery-test';
/** The plan's sender (test/fixtures/plans/delivery.plan.yaml). */
const SENDER = 'pmo@herald.example';

/** The real worker and queue, with e-mail through Graph sendMail at the Microsoft sandbox. */
describe('delivery through Graph sendMail', () => {
  let db: TestDatabase;
  let h: Harness;
  let ms: MicrosoftSandbox;
  const clock = new TestClock();

  async function fire(comm: string) {
    const r = await sendManual(db, { project: PROJECT, comm, now: clock.now(), ignoreQuietHours: true });
    const where = `"key" LIKE '${comm}#${r.occurrence}:%' AND "channel" = 'email'`;
    await waitForQuiet(db, 20_000, where);
    return db.prisma.$queryRawUnsafe<Array<{ id: string; status: string; attempts: number; lastError: string | null }>>(
      `SELECT "id", "status"::text AS status, "attempts", "lastError" FROM "Message" WHERE ${where} ORDER BY "key"`,
    );
  }

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 10 });
    const loaded = await loadPlanFile('test/fixtures/plans/delivery.plan.yaml');
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date() });
    ms = await startTenant({ mailboxes: [SENDER, 'other@herald.example'], secretApp: { mailboxes: [SENDER] } });
    h = await startHarness(db, { clock, slack: { users: sandboxUsersFor(loaded.plan) } });
    await h.startWorker({
      channels: {
        slack: createSlackChannel({ token: 'xoxb-test', apiUrl: h.slack.url, perChannelPerSecond: 0 }),
        email: createGraphEmailChannel({
          graph: createGraphClient({
            graphUrl: ms.url,
            tokens: microsoftTokens({ tenantId: TENANT, clientId: SECRET_APP, clientSecret: SECRET, authorityHost: ms.url }),
          }),
          from: 'Herald <herald@herald.example>',
          messageIdDomain: 'herald.test',
        }),
      },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await ms?.close();
    await db?.drop();
  });

  it('429 with Retry-After: the send waits as told, then each message is sent exactly once', async () => {
    const before = ms.sent.length;
    ms.inject('sendMail', { status: 429, retryAfterSeconds: 1 });
    const rows = await fire('prep-both');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'sent'));
    const sent = ms.sent.slice(before).map((m) => m.headers['x-herald-message-id']);
    expect([...sent].sort()).toEqual(rows.map((r) => r.id).sort());
    const throttled = ms.requests.find((r) => r.endpoint === 'sendMail' && r.status === 429)!;
    const retried = rows.find((r) => r.attempts === 2);
    expect(retried).toBeDefined();
    const log = await db.prisma.delivery.findMany({ where: { messageId: retried!.id }, orderBy: { at: 'asc' } });
    expect(log.map((d) => d.outcome)).toEqual(['retry', 'sent']);
    expect(log[0]!.error).toMatch(/^429: Graph throttled/);
    // No send began at Graph for this mailbox during the pause; a request already on its way when
    // the 429 was written may arrive a few ms after it (up to four are in flight).
    const during = ms.requests.filter((r) => r.endpoint === 'sendMail' && r.startedAt > throttled.at + 100 && r.startedAt < throttled.at + 950);
    expect(during.map((r) => r.startedAt - throttled.at)).toEqual([]);
  });

  it('a mailbox the app may not use fails for good, with the hint on the message', async () => {
    ms.updateApp(SECRET_APP, { mailboxes: ['other@herald.example'] });
    try {
      const rows = await fire('prep-both');
      expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'failed'));
      expect(rows.map((r) => r.attempts)).toEqual(rows.map(() => 1));
      expect(rows[0]!.lastError).toContain('grant Mail.Send and scope the app to this mailbox with RBAC for Applications');
    } finally {
      ms.updateApp(SECRET_APP, { mailboxes: [SENDER] });
    }
  });

  it("stamps each mail's Date header with the delivery's clock, the same second as its recorded sent time", async () => {
    // A clock 40 days ahead of the wall clock: a Date header from wall time would not match.
    clock.set(new Date(Date.now() + 40 * 86_400_000));
    try {
      const before = ms.sent.length;
      const rows = await fire('prep-both');
      expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'sent'));
      const sentAt = new Map(
        (await db.prisma.message.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: { id: true, sentAt: true } })).map((m) => [m.id, m.sentAt!]),
      );
      const mails = ms.sent.slice(before);
      expect(mails).toHaveLength(rows.length);
      for (const m of mails) {
        const at = sentAt.get(m.headers['x-herald-message-id']!)!;
        expect(new Date(m.headers.date!).toISOString()).toBe(new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString());
      }
    } finally {
      clock.set(new Date());
    }
  });
});
