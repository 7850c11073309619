/**
 * The email-reply scenarios every inbound path must pass (SMTP listener, IMAP against Dovecot,
 * the webhook): replies from each mail client, a reply from another address, one matched only
 * by In-Reply-To (kept for a person: a quoted Message-ID is no credential), out-of-office
 * notices, a bounce to the signed return path, a delay notice, a read receipt, a mailing-list
 * copy, unmatched and unparseable mail, and a redelivered reply. Each must end as
 * exactly the response, pause or listed mail it should be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/config.ts';
import type { InboundMail } from '../../../src/generated/prisma/client.ts';
import { runCli } from '../../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TestClock } from '../../support/delivery.ts';
import { CLIENT_FIXTURES, mailFixture, type FixtureVars } from '../../support/mail-fixtures.ts';
import { sendForReplies, type SentReplies } from '../../support/replies.ts';

export interface InboundPath {
  /** Hands one raw mail to Herald the way this path does (SMTP DATA, IMAP APPEND, HTTP POST). */
  deliver(raw: Buffer, envelope: { from: string; to: string }): Promise<void>;
  close(): Promise<void>;
}

export interface SuiteContext {
  db: TestDatabase;
  clock: TestClock;
  /** Herald's configuration for the test (secret, public URL), as the harness built it. */
  config: Config;
}

const EXPECTED: Record<(typeof CLIENT_FIXTURES)[number], { option: string | null; comment: string }> = {
  'outlook-en': { option: 'minor', comment: 'Outlook keeps asking for my password\n\nThanks,\nBea' },
  'outlook-de': { option: 'minor', comment: 'Teams stürzt ständig ab, seit Montag\n\nViele Grüße\nBea' },
  'outlook-fr': { option: 'minor', comment: 'Teams plante au démarrage' },
  'gmail-en': { option: 'minor', comment: 'Teams keeps crashing when I share my screen.' },
  'gmail-de': { option: 'fine', comment: 'Danke, alles läuft!' },
  'apple-mail': { option: 'blocked', comment: 'my mailbox is empty since this morning.\n\nBea' },
  iphone: { option: null, comment: "I'd say 3, it mostly works but the calendar is slow." },
  thunderbird: { option: 'fine', comment: 'thanks. The new Outlook is faster.' },
  'html-only': { option: 'minor', comment: 'Password prompts every hour.' },
};

let unique = 0;

export function describeInboundPath(name: string, open: (ctx: SuiteContext) => Promise<InboundPath>, timeoutMs = 20_000): void {
  describe(`email replies over ${name}`, () => {
    let db: TestDatabase;
    let sent: SentReplies;
    let path: InboundPath;
    const clock = new TestClock();

    beforeAll(async () => {
      db = await createTestDatabase({ poolSize: 10 });
      sent = await sendForReplies(db, clock);
      path = await open({ db, clock, config: sent.harness.config });
    }, 120_000);
    afterAll(async () => {
      await path?.close();
      await sent?.harness.close();
      await db?.drop();
    });

    /** Sends a fixture and waits until Herald has finished with it. */
    async function deliver(fixture: string, vars: FixtureVars = {}): Promise<InboundMail> {
      const messageId = `<${fixture}-${process.pid}-${++unique}@mail.example>`;
      const raw = mailFixture(fixture, { MESSAGE_ID: messageId, ...vars });
      await path.deliver(raw, { from: vars.FROM ?? 'sender@mail.example', to: vars.TO ?? 'it-pmo@northwind.example' });
      return waitForMail(db, { dedupeKey: `mid:${messageId}` }, timeoutMs);
    }

    /** The variables of a reply by `person` to the survey Herald sent them. */
    function replyOf(person: string): FixtureVars {
      const s = sent.sent(person);
      return { TO: s.replyTo, FROM: s.email, IN_REPLY_TO: s.providerId };
    }

    async function responseOf(person: string) {
      const s = sent.sent(person);
      return db.prisma.response.findFirst({ where: { personId: s.personId }, include: { history: true } });
    }

    for (const client of CLIENT_FIXTURES) {
      it(`records the reply from ${client} as exactly its option and words`, async () => {
        const mail = await deliver(client, replyOf(client));
        expect(mail).toMatchObject({ kind: 'reply', outcome: 'recorded', fromOtherAddress: false, messageId: sent.sent(client).messageId });
        const r = await responseOf(client);
        expect(r).toMatchObject({ channel: 'email-reply', option: EXPECTED[client].option, comment: EXPECTED[client].comment, fromOtherAddress: false });
        expect(r!.sourceRef).toMatch(/^mail:<.+@mail\.example>$/);
      }, 30_000);
    }

    it('records a reply from another address, flagged, and lists it in the inbox', async () => {
      const mail = await deliver('other-address', { ...replyOf('other-address'), FROM: 'bea.private@mail.example' });
      expect(mail).toMatchObject({ outcome: 'recorded', fromOtherAddress: true, fromAddress: 'bea.private@mail.example' });
      expect(await responseOf('other-address')).toMatchObject({ option: 'minor', comment: 'still no shared mailbox', fromOtherAddress: true });
    });

    it('keeps a reply without the signed Reply-To, matched only by In-Reply-To, for a person to assign', async () => {
      const mail = await deliver('in-reply-to-only', { ...replyOf('in-reply-to-only'), TO: 'it-pmo@northwind.example' });
      // Anyone can copy a Message-ID: it places the mail (project, person, what it seems to say) but records nothing.
      expect(mail).toMatchObject({
        kind: 'reply',
        outcome: 'unmatched',
        projectId: sent.projectId,
        messageId: sent.sent('in-reply-to-only').messageId,
        option: 'blocked',
        comment: 'My laptop does not start Outlook at all.',
        fromOtherAddress: false,
      });
      expect(mail.reason).toContain('In-Reply-To');
      expect(await responseOf('in-reply-to-only')).toBeNull();
    });

    it('records a redelivered reply once', async () => {
      const vars = { ...replyOf('twice'), MESSAGE_ID: `<twice-${process.pid}-${++unique}@mail.example>` };
      const raw = mailFixture('gmail-en', vars);
      await path.deliver(raw, { from: vars.FROM!, to: vars.TO! });
      await waitForMail(db, { dedupeKey: `mid:${vars.MESSAGE_ID}` }, timeoutMs);
      await path.deliver(raw, { from: vars.FROM!, to: vars.TO! });
      await new Promise((r) => setTimeout(r, 300));
      expect(await db.prisma.inboundMail.count({ where: { dedupeKey: `mid:${vars.MESSAGE_ID}` } })).toBe(1);
      const r = await responseOf('twice');
      expect(r).toMatchObject({ option: 'minor' });
      expect(r!.history).toHaveLength(0);
    });

    it('pauses reminders until the return date of an out-of-office (English and German), records nothing', async () => {
      for (const [person, fixture] of [
        ['ooo', 'out-of-office'],
        ['ooo-de', 'out-of-office-de'],
      ] as const) {
        const mail = await deliver(fixture, replyOf(person));
        expect(mail).toMatchObject({ kind: 'auto-reply', outcome: 'paused' });
        const p = await db.prisma.person.findUniqueOrThrow({ where: { id: sent.sent(person).personId } });
        // Back on Monday 25 January 2027, from midnight in the person's own zone.
        const zone = p.timezone === 'Europe/Berlin' ? '+01:00' : '-06:00';
        expect(p.remindersPausedUntil?.toISOString()).toBe(new Date(`2027-01-25T00:00:00${zone}`).toISOString());
        expect(await responseOf(person)).toBeNull();
      }
    });

    it('keeps an out-of-office without a date and a read receipt as auto-replies that answer nothing', async () => {
      const ooo = await deliver('out-of-office-fr', replyOf('ooo-fr'));
      expect(ooo).toMatchObject({ kind: 'auto-reply', outcome: 'ignored' });
      const receipt = await deliver('read-receipt', replyOf('reader'));
      expect(receipt).toMatchObject({ kind: 'auto-reply', outcome: 'ignored' });
      for (const person of ['ooo-fr', 'reader']) {
        expect(await responseOf(person)).toBeNull();
        expect((await db.prisma.person.findUniqueOrThrow({ where: { id: sent.sent(person).personId } })).remindersPausedUntil).toBeNull();
      }
    });

    it('fails the message and rejects the address on a bounce, with the status code', async () => {
      const s = sent.sent('gone');
      expect(s.returnPath).toMatch(/^it-pmo\+b[a-z2-7]+@northwind\.example$/);
      const mail = await deliver('bounce', { RCPT: s.email, IN_REPLY_TO: s.providerId, HERALD_ID: s.messageId, TO: s.returnPath });
      expect(mail).toMatchObject({ kind: 'bounce', outcome: 'bounced', messageId: s.messageId });
      const m = await db.prisma.message.findUniqueOrThrow({ where: { id: s.messageId }, include: { person: true, deliveries: { orderBy: { at: 'asc' } } } });
      expect(m.status).toBe('failed');
      expect(m.lastError).toContain('5.1.1');
      expect(m.person.emailRejectedAt).not.toBeNull();
      expect(m.person.emailRejectReason).toContain('5.1.1');
      expect(m.deliveries.at(-1)).toMatchObject({ outcome: 'failed', error: expect.stringContaining('550 5.1.1') });
    });

    it('marks nothing failed on a delay notice', async () => {
      const s = sent.sent('slow');
      const mail = await deliver('delay', { RCPT: s.email, IN_REPLY_TO: s.providerId, HERALD_ID: s.messageId, TO: s.returnPath });
      expect(mail).toMatchObject({ kind: 'delay', outcome: 'ignored', messageId: s.messageId });
      const m = await db.prisma.message.findUniqueOrThrow({ where: { id: s.messageId }, include: { person: true } });
      expect(m.status).toBe('sent');
      expect(m.person.emailRejectedAt).toBeNull();
    });

    it('keeps a mailing-list copy, records nothing', async () => {
      const mail = await deliver('list-copy', { ...replyOf('listed'), TO: 'all-finance@northwind.example' });
      expect(mail).toMatchObject({ kind: 'list', outcome: 'listed', projectId: sent.projectId });
      expect(await responseOf('listed')).toBeNull();
    });

    it('keeps unmatched and unparseable mail, in the project it was sent to where that is known', async () => {
      const unmatched = await deliver('unmatched');
      expect(unmatched).toMatchObject({ kind: 'reply', outcome: 'unmatched', projectId: sent.projectId, messageId: null });
      const before = await db.prisma.inboundMail.count({ where: { outcome: 'unparseable' } });
      await path.deliver(mailFixture('unparseable'), { from: 'x@mail.example', to: 'it-pmo@northwind.example' });
      const bad = await waitForMail(db, { outcome: 'unparseable' }, timeoutMs, before);
      expect(bad.raw.length).toBeGreaterThan(0);
    });

    it('keeps a reply to a message that asks nothing for a person to read', async () => {
      const s = sent.sent('outlook-en', 'notice');
      const mail = await deliver('thunderbird', { TO: s.replyTo, FROM: s.email, IN_REPLY_TO: s.providerId });
      expect(mail).toMatchObject({ kind: 'reply', outcome: 'kept', messageId: s.messageId });
    });

    it('lists in `herald inbox` exactly the mail that recorded nothing, and replies from other addresses', async () => {
      const run = await runCli(['inbox', 'replies-test', '--format', 'json'], { DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
      expect(run.stderr).toBe('');
      const list = JSON.parse(run.stdout) as Array<{ outcome: string; kind: string; fromOtherAddress: boolean; person: string | null; inProject: boolean }>;
      const seen = list.map((m) => `${m.kind}:${m.outcome}${m.fromOtherAddress ? ':other' : ''}`).sort();
      expect(seen).toEqual(['list:listed', 'reply:kept', 'reply:recorded:other', 'reply:unmatched', 'reply:unmatched', 'unparseable:unparseable']);
      expect(list.find((m) => m.fromOtherAddress)?.person).toBe('other-address');
      expect(list.find((m) => m.kind === 'unparseable')?.inProject).toBe(false);
      const table = await runCli(['inbox', 'replies-test'], { DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
      expect(table.stdout).toContain('[sent from another address]');
      expect(table.stdout).toContain('unmatched');
    });
  });
}

/** Polls until a finished InboundMail row matching `where` exists (the `skip`-th and later). */
export async function waitForMail(db: TestDatabase, where: { dedupeKey?: string; outcome?: string }, timeoutMs: number, skip = 0): Promise<InboundMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.prisma.inboundMail.findMany({ where: { ...where, NOT: { outcome: 'processing' } }, orderBy: { receivedAt: 'asc' } });
    if (rows.length > skip) return rows[skip]!;
    if (Date.now() > deadline) throw new Error(`no inbound mail ${JSON.stringify(where)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
