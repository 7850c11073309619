/**
 * Issue 15 §1.2 and §1.6: inbound mail is an unauthenticated channel, so its headers are no
 * credentials. A quoted Message-ID (which viewers see and every forwarded thread carries), a
 * delivery report naming a Herald message and a victim's address, or an out-of-office with a
 * victim's From must change nothing; only Herald's signed tokens act (the reply token in the
 * Reply-To, the bounce token in the VERP return path), or, where the admin opts in, DMARC pass
 * from a trusted receiver. Mail of no known project is shown only to readers of every project.
 *
 * Real services: a fresh PostgreSQL database, the survey really sent through a worker to the
 * SMTP sink (its envelope sender is the signed return path), and the receive use case that the
 * SMTP listener, the IMAP poller and the webhook all call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignInboundMail } from '../../src/app/assign-inbound-mail.ts';
import { listInbox } from '../../src/app/list-inbox.ts';
import { receiveInboundMail, type InboundDeps } from '../../src/app/receive-inbound-mail.ts';
import { showInboundMail } from '../../src/app/show-inbound-mail.ts';
import { bounceAddress } from '../../src/app/deliver-message.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { InboundVia } from '../../src/db/repo/inbound-store.ts';
import { signBounceToken, signReplyToken, verifyBounceToken } from '../../src/domain/tokens.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TestClock } from '../support/delivery.ts';
import { mailFixture } from '../support/mail-fixtures.ts';
import { REPLIES_PROJECT, sendForReplies, type SentReplies } from '../support/replies.ts';

let db: TestDatabase;
let sent: SentReplies;
let deps: InboundDeps;
const clock = new TestClock();
let seq = 0;

beforeAll(async () => {
  db = await createTestDatabase({ poolSize: 10 });
  sent = await sendForReplies(db, clock);
  deps = { stores: db.stores, clock, secret: sent.harness.config.HERALD_SECRET!, publicUrl: sent.harness.config.PUBLIC_URL };
}, 120_000);
afterAll(async () => {
  await sent?.harness.close();
  await db?.drop();
});

interface Mail {
  from: string;
  to?: string;
  inReplyTo?: string;
  subject?: string;
  headers?: string[];
  body: string;
}

function raw(m: Mail): Buffer {
  return Buffer.from(
    [
      ...(m.headers ?? []),
      `From: ${m.from}`,
      `To: ${m.to ?? 'it-pmo@northwind.example'}`,
      `Subject: ${m.subject ?? 'Re: How is Outlook working for you after the move?'}`,
      `Message-ID: <attack-${process.pid}-${++seq}@mail.example>`,
      ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`, `References: ${m.inReplyTo}`] : []),
      'Date: Tue, 19 Jan 2027 11:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      m.body,
    ].join('\r\n'),
  );
}

function receive(bytes: Buffer, via: InboundVia = 'smtp', extra: Partial<InboundDeps> = {}) {
  return receiveInboundMail({ ...deps, ...extra }, bytes, { via });
}

async function stored(id: string) {
  return db.prisma.inboundMail.findUniqueOrThrow({ where: { id }, omit: { raw: true } });
}

async function responseOf(person: string) {
  return db.prisma.response.findFirst({ where: { personId: sent.sent(person).personId } });
}

async function personOf(person: string) {
  return db.prisma.person.findUniqueOrThrow({ where: { id: sent.sent(person).personId } });
}

describe('a quoted Message-ID is no credential', () => {
  it('does not record an answer for the person whose message a forged reply quotes; the inbox gets it to assign', async () => {
    const victim = sent.sent('outlook-en');
    const r = await receive(raw({ from: victim.email, inReplyTo: victim.providerId, body: '3 - everything is broken, escalate' }));
    expect(r.outcome).toBe('unmatched');
    expect(await responseOf('outlook-en')).toBeNull();
    // Placed in the project, on the message it quotes, with what it seems to say: a person decides.
    const row = await stored(r.id);
    expect(row).toMatchObject({
      kind: 'reply',
      projectId: sent.projectId,
      messageId: victim.messageId,
      personId: victim.personId,
      option: 'blocked',
      responseId: null,
      fromOtherAddress: false,
    });
    expect(row.reason).toMatch(/anyone can copy/);
    expect((await listInbox(db, REPLIES_PROJECT)).map((e) => e.id)).toContain(r.id);
    expect(await db.prisma.escalation.count({ where: { personId: victim.personId } })).toBe(0);
  });

  it('cannot change an answer or clear its "sent from another address" flag', async () => {
    const s = sent.sent('other-address');
    const first = await receive(raw({ from: 'someone.else@mail.example', to: s.replyTo, body: '2 - still no shared mailbox' }));
    expect(first.outcome).toBe('recorded');
    expect(await responseOf('other-address')).toMatchObject({ option: 'minor', fromOtherAddress: true });
    // The same person's own From and the quoted Message-ID, but no token: nothing changes.
    const forged = await receive(raw({ from: s.email, inReplyTo: s.providerId, body: '1 - all good now' }));
    expect(forged.outcome).toBe('unmatched');
    expect(await responseOf('other-address')).toMatchObject({ option: 'minor', comment: 'still no shared mailbox', fromOtherAddress: true });
  });

  it('keeps the project of an expired token without recording', async () => {
    const s = sent.sent('iphone');
    // Reply tokens expire at the end of a UTC day: two days back is past any rounding.
    const expired = signReplyToken(deps.secret, { m: s.messageId, exp: Math.floor(clock.now().getTime() / 1000) - 2 * 86_400 });
    const r = await receive(raw({ from: s.email, to: `it-pmo+${expired}@northwind.example`, body: '1' }));
    expect(r.outcome).toBe('unmatched');
    expect(await stored(r.id)).toMatchObject({ projectId: sent.projectId, messageId: s.messageId, responseId: null });
    expect(await responseOf('iphone')).toBeNull();
  });
});

describe('opt-in: DMARC pass from a trusted receiver for the person’s own address', () => {
  const trusted = { trustedAuthservIds: ['mx.google.com'] };
  const pass =
    'Authentication-Results: mx.google.com; dkim=pass header.i=@northwind.example; spf=pass smtp.mailfrom=northwind.example; dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=northwind.example';

  it('does not count with the setting off, over the SMTP listener, or with a forged header under the receiver’s own', async () => {
    const s = sent.sent('gmail-de');
    const mail = { from: s.email, inReplyTo: s.providerId, headers: [pass], body: '1' };
    expect((await receive(raw(mail), 'imap')).outcome).toBe('unmatched');
    expect((await receive(raw(mail), 'smtp', trusted)).outcome).toBe('unmatched');
    const fail = 'Authentication-Results: mx.google.com; dmarc=fail (p=NONE) header.from=northwind.example';
    expect((await receive(raw({ ...mail, headers: [fail, pass] }), 'imap', trusted)).outcome).toBe('unmatched');
    const otherDomain = 'Authentication-Results: mx.google.com; dmarc=pass header.from=mail.example';
    expect((await receive(raw({ ...mail, headers: [otherDomain] }), 'imap', trusted)).outcome).toBe('unmatched');
    const untrusted = pass.replace('mx.google.com', 'mx.attacker.example');
    expect((await receive(raw({ ...mail, headers: [untrusted] }), 'imap', trusted)).outcome).toBe('unmatched');
    expect((await receive(raw({ ...mail, from: 'gmail-de@mail.example' }), 'imap', trusted)).outcome).toBe('unmatched');
    expect(await responseOf('gmail-de')).toBeNull();
  });

  it('counts when the topmost header of a trusted id says dmarc=pass for the person’s own From', async () => {
    const s = sent.sent('gmail-de');
    const r = await receive(raw({ from: s.email, inReplyTo: s.providerId, headers: [pass], body: '1 - fine' }), 'imap', trusted);
    expect(r.outcome).toBe('recorded');
    expect(r.reason).toContain('DMARC');
    expect(await responseOf('gmail-de')).toMatchObject({ option: 'fine', fromOtherAddress: false });
  });
});

describe('bounces count only at the signed return path', () => {
  it('sends with a VERP envelope sender bound to the message and the recipient', () => {
    const s = sent.sent('gone');
    const token = /^it-pmo\+(b[a-z2-7]+)@northwind\.example$/.exec(s.returnPath)?.[1];
    expect(token).toBeDefined();
    expect(s.returnPath.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(verifyBounceToken(deps.secret, token!, s.email)).toBe(s.messageId);
    expect(() => verifyBounceToken(deps.secret, token!, 'someone.else@northwind.example')).toThrow(/not valid/);
    expect(bounceAddress('a-very-long-mailbox-name-here@x.example', token!)).toBeUndefined();
  });

  it('does not fail a send or reject an address on a forged report naming the Herald message and the victim', async () => {
    const victim = sent.sent('slow');
    const vars = { RCPT: victim.email, IN_REPLY_TO: victim.providerId, HERALD_ID: victim.messageId };
    const plain = await receive(mailFixture('bounce', { ...vars, TO: 'it-pmo@northwind.example' }));
    expect(plain).toMatchObject({ kind: 'bounce', outcome: 'unmatched' });
    expect(await stored(plain.id)).toMatchObject({ projectId: sent.projectId, messageId: victim.messageId });
    // The attacker's own signed return path names the attacker's own message and address, whatever the report says.
    const attacker = sent.sent('reader');
    const own = await receive(mailFixture('bounce', { ...vars, TO: attacker.returnPath }));
    expect(own).toMatchObject({ kind: 'bounce', outcome: 'bounced' });
    expect(await stored(own.id)).toMatchObject({ messageId: attacker.messageId, personId: attacker.personId });
    // A qmail-style plain-text report quoting the message, to the plain reply address.
    const q = await receive(mailFixture('corpus/plain-qmail', { ...vars, TO: 'it-pmo@northwind.example' }));
    expect(q).toMatchObject({ kind: 'bounce', outcome: 'unmatched' });
    // A bounce token with one character changed.
    const t = victim.returnPath.replace(/\+b(.)/, (_m, c: string) => `+b${c === 'a' ? 'b' : 'a'}`);
    expect((await receive(mailFixture('bounce', { ...vars, TO: t }))).outcome).toBe('unmatched');
    const p = await personOf('slow');
    expect(p.emailRejectedAt).toBeNull();
    expect((await db.prisma.message.findUniqueOrThrow({ where: { id: victim.messageId } })).status).toBe('sent');
    expect((await db.prisma.person.findMany({ where: { emailRejectedAt: { not: null } }, select: { key: true } })).map((p) => p.key)).toEqual(['reader']);
  });

  it('fails the send on a qmail plain-text bounce to the signed return path, never as an answer', async () => {
    const s = sent.sent('thunderbird');
    const r = await receive(mailFixture('corpus/plain-qmail', { RCPT: s.email, IN_REPLY_TO: s.providerId, HERALD_ID: s.messageId, TO: s.returnPath }), 'imap');
    expect(r).toMatchObject({ kind: 'bounce', outcome: 'bounced' });
    expect(await responseOf('thunderbird')).toBeNull();
    expect((await personOf('thunderbird')).emailRejectReason).toContain('5.1.1');
  });
});

describe('an out-of-office pauses only the person a valid token names', () => {
  it('pauses nobody for a forged notice with the victim’s From, quoting their message or not', async () => {
    const victim = sent.sent('ooo');
    const body = 'I am out of the office until Friday, January 22, 2027. I will be back on Monday, January 25.';
    for (const inReplyTo of [undefined, victim.providerId]) {
      const r = await receive(
        raw({ from: victim.email, subject: 'Automatic reply: survey', headers: ['Auto-Submitted: auto-replied'], body, ...(inReplyTo ? { inReplyTo } : {}) }),
      );
      expect(r.kind).toBe('auto-reply');
      expect(r.outcome).not.toBe('paused');
    }
    expect((await personOf('ooo')).remindersPausedUntil).toBeNull();
  });

  it('pauses the person of the signed Reply-To, and only them', async () => {
    const s = sent.sent('ooo-de');
    const r = await receive(
      raw({
        from: 'ooo@northwind.example',
        to: s.replyTo,
        subject: 'Automatic reply: survey',
        headers: ['Auto-Submitted: auto-replied'],
        body: 'Back on Monday, January 25.',
      }),
    );
    expect(r.outcome).toBe('paused');
    expect((await personOf('ooo-de')).remindersPausedUntil).not.toBeNull();
    expect((await personOf('ooo')).remindersPausedUntil).toBeNull();
  });
});

describe('mail of no known project', () => {
  it('is listed, shown and assignable only for readers of every project', async () => {
    const r = await receive(raw({ from: 'stranger@mail.example', to: 'nobody@elsewhere.example', body: 'hello' }));
    expect(await stored(r.id)).toMatchObject({ projectId: null });
    expect((await listInbox(db, REPLIES_PROJECT, { projectless: false })).map((e) => e.id)).not.toContain(r.id);
    expect((await listInbox(db, REPLIES_PROJECT)).map((e) => e.id)).toContain(r.id);
    await expect(showInboundMail(db, REPLIES_PROJECT, r.id, { projectless: false })).rejects.toThrow(/inbox item/);
    const s = sent.sent('html-only');
    await expect(
      assignInboundMail(
        { stores: db.stores, clock },
        {
          project: REPLIES_PROJECT,
          inboundId: r.id,
          person: 'html-only',
          messageId: s.messageId,
          option: 'fine',
          comment: null,
          by: 'scoped',
          projectless: false,
        },
      ),
    ).rejects.toThrow(/inbox item/);
    expect(await responseOf('html-only')).toBeNull();
  });
});

describe('signed tokens', () => {
  it('a bounce token is not a reply token and cannot record an answer', async () => {
    const s = sent.sent('apple-mail');
    const r = await receive(raw({ from: s.email, to: s.returnPath, body: '1 - fine' }));
    expect(r.outcome).not.toBe('recorded');
    expect(await responseOf('apple-mail')).toBeNull();
    expect(signBounceToken(deps.secret, s.messageId, s.email)).toBe(/\+(b[a-z2-7]+)@/.exec(s.returnPath)![1]);
  });
});

describe('configuration', () => {
  it('parses the trusted authserv-ids and refuses a bounce address that cannot carry a token', () => {
    expect(loadConfig({ INBOUND_TRUSTED_AUTHSERV_IDS: ' mx.google.com, Exchange-Online ,' }).INBOUND_TRUSTED_AUTHSERV_IDS).toEqual([
      'mx.google.com',
      'exchange-online',
    ]);
    expect(loadConfig({}).INBOUND_TRUSTED_AUTHSERV_IDS).toEqual([]);
    expect(() => loadConfig({ INBOUND_TRUSTED_AUTHSERV_IDS: 'mx.google.com; dmarc=pass' })).toThrow(/INBOUND_TRUSTED_AUTHSERV_IDS/);
    expect(loadConfig({ BOUNCE_ADDRESS: 'bounces@herald.example' }).BOUNCE_ADDRESS).toBe('bounces@herald.example');
    for (const bad of [
      'a-very-long-mailbox-name@herald.example',
      'bounces+x@herald.example',
      'Herald <bounces@herald.example>',
      'bounces@herald.example\r\nBcc: x@y.example',
    ]) {
      expect(() => loadConfig({ BOUNCE_ADDRESS: bad })).toThrow(/BOUNCE_ADDRESS/);
    }
  });
});
