import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInbound } from '../../../src/main/inbound.ts';
import type { MicrosoftSandbox } from '../../../src/sandbox/microsoft-server.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TestClock } from '../../support/delivery.ts';
import { mailFixture } from '../../support/mail-fixtures.ts';
import { sendForReplies, type SentReplies } from '../../support/replies.ts';
import { describeInboundPath, waitForMail } from '../inbound/inbound-suite.ts';
import { SECRET, SECRET_APP, startTenant, TENANT } from './sandbox.ts';

/** The reply mailbox of test/fixtures/plans/replies.plan.yaml. */
const REPLY_BOX = 'it-pmo@northwind.example';

const graphEnv = (ms: MicrosoftSandbox) => ({
  INBOUND_GRAPH_MAILBOX: REPLY_BOX,
  INBOUND_GRAPH_POLL_SECONDS: 1,
  MS_TENANT_ID: TENANT,
  MS_CLIENT_ID: SECRET_APP,
  MS_CLIENT_SECRET: SECRET,
  MS_AUTHORITY_HOST: ms.url,
  MS_GRAPH_URL: ms.url,
});

describe('replies through Microsoft Graph (delta query on the reply mailbox)', () => {
  let ms: MicrosoftSandbox;
  beforeAll(async () => {
    ms = await startTenant({ mailboxes: [REPLY_BOX], secretApp: { mailboxes: [REPLY_BOX] } });
  });
  afterAll(async () => {
    await ms?.close();
  });

  describeInboundPath('Graph polling (Microsoft sandbox)', async ({ db, clock, config }) => {
    const inbound = await startInbound({ ...config, ...graphEnv(ms) }, { db, clock });
    return {
      async deliver(raw) {
        ms.deliver(REPLY_BOX, raw);
      },
      async close() {
        await inbound!.close();
      },
    };
  });

  describe('across restarts', () => {
    let db: TestDatabase;
    let sent: SentReplies;
    const clock = new TestClock();
    beforeAll(async () => {
      db = await createTestDatabase({ poolSize: 10 });
      sent = await sendForReplies(db, clock);
    }, 120_000);
    afterAll(async () => {
      await sent?.harness.close();
      await db?.drop();
    });

    it('records a reply once, marks it read, keeps the delta link, and a restarted poller goes on from it', async () => {
      const s = sent.sent('outlook-en');
      const messageId = `<graph-restart-${process.pid}@mail.example>`;
      const id = ms.deliver(REPLY_BOX, mailFixture('outlook-en', { MESSAGE_ID: messageId, TO: s.replyTo, FROM: s.email, IN_REPLY_TO: s.providerId }));
      const config = { ...sent.harness.config, ...graphEnv(ms) };
      const first = await startInbound(config, { db, clock });
      const mail = await waitForMail(db, { dedupeKey: `mid:${messageId}` }, 20_000);
      expect(mail.via).toBe('graph');
      expect(mail.outcome).toBe('recorded');
      await first!.graph!.pollNow();
      await first!.close();
      expect(ms.inbox(REPLY_BOX).find((m) => m.id === id)?.isRead).toBe(true);
      // The delta link of the last complete round is in the database.
      const cursor = await db.prisma.mailboxCursor.findUnique({ where: { mailbox: REPLY_BOX } });
      expect(cursor?.deltaLink).toMatch(/\$deltatoken=\d+$/);
      // Mail that arrives while Herald is down is read after the restart, from the stored link.
      const laterId = `<graph-restart-later-${process.pid}@mail.example>`;
      ms.deliver(REPLY_BOX, mailFixture('gmail-en', { MESSAGE_ID: laterId, TO: s.replyTo, FROM: s.email, IN_REPLY_TO: s.providerId }));

      const fetchedBefore = ms.requests.filter((r) => r.endpoint === 'mime').length;
      const second = await startInbound(config, { db, clock });
      await second!.graph!.pollNow();
      await second!.close();
      // Only the mail that came while it was down was fetched; the first one is not recorded again.
      expect(ms.requests.filter((r) => r.endpoint === 'mime').length).toBe(fetchedBefore + 1);
      expect(await db.prisma.inboundMail.count({ where: { dedupeKey: `mid:${messageId}` } })).toBe(1);
      expect(await db.prisma.inboundMail.count({ where: { dedupeKey: `mid:${laterId}`, via: 'graph' } })).toBe(1);
      expect(await db.prisma.response.count({ where: { personId: s.personId } })).toBe(1);
    });
  });
});
