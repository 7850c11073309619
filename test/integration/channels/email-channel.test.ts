import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter, OutboundMessage } from '../../../src/channels/channel.ts';
import { failureOf } from './failure-of.ts';
import { createEmailChannel, type EmailChannelOptions } from '../../../src/channels/email/email-channel.ts';
import { startSmtpSink, type SmtpSink } from '../../../src/sandbox/smtp-sink.ts';

const DOMAIN = 'herald.test';
function outbound(over: Partial<OutboundMessage> = {}, email: string | null = 'ada@example.com'): OutboundMessage {
  return {
    messageId: `m${Math.random().toString(36).slice(2, 10)}`,
    projectKey: 'p',
    commKey: 'c',
    optional: false,
    recipient: { id: 'ada', name: 'Ada Lovelace', timezone: 'Europe/London', locale: 'en', ...(email ? { email } : {}) },
    rendered: {
      channel: 'email',
      subject: 'Cutover this weekend',
      text: 'Plain words.',
      html: '<html><body><p style="color:#333">Plain <b>words</b>.</p></body></html>',
    },
    ...over,
  };
}

describe('email channel against the local SMTP sink', () => {
  let sink: SmtpSink;
  const opened: ChannelAdapter[] = [];
  const channel = (over: Partial<EmailChannelOptions> = {}): ChannelAdapter => {
    const c = createEmailChannel({ smtpUrl: sink.url, from: 'Herald <herald@example.org>', messageIdDomain: DOMAIN, timeoutMs: 5000, ...over });
    opened.push(c);
    return c;
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    sink.clearInjections();
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await sink.close();
  });

  it('sends HTML and text with Message-ID, Reply-To, From and Herald headers', async () => {
    const msg = outbound({ replyTo: 'reply+tok123@herald.test', sender: { email: 'pm@example.org', replyTo: 'ignored@example.org' } });
    const result = await channel().send(msg);
    const [got] = (await sink.waitFor(1)).slice(-1);

    expect(result.providerId).toBe(`<${msg.messageId}@${DOMAIN}>`);
    expect(got?.messageId).toBe(result.providerId);
    expect(got?.headers['message-id']).toBe(result.providerId);
    expect(got?.headers['reply-to']).toBe('reply+tok123@herald.test');
    expect(got?.from).toBe('pm@example.org');
    expect(got?.to).toEqual(['ada@example.com']);
    expect(got?.envelope.rcptTo).toEqual(['ada@example.com']);
    expect(got?.subject).toBe('Cutover this weekend');
    expect(got?.text.trim()).toBe('Plain words.');
    expect(got?.html).toContain('<p style="color:#333">Plain <b>words</b>.</p>');
    expect(got?.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(got?.headers['auto-submitted']).toBe('auto-generated');
    expect(got?.headers['x-herald-message-id']).toBe(msg.messageId);
    expect(got?.headers['list-unsubscribe']).toBeUndefined();
    expect(got?.headers['list-unsubscribe-post']).toBeUndefined();
  });

  it('falls back to the sender reply-to and the default From, and adds List-Unsubscribe on optional comms', async () => {
    const url = 'https://herald.example.org/u/eyJtIjoibTEiLCJwIjoiYWRhIn0.c2lnbmF0dXJlLXRoYXQtaXMtcmF0aGVyLWxvbmc';
    const msg = outbound({ optional: true, unsubscribeUrl: url, sender: { replyTo: 'team@example.org' } });
    const before = sink.messages.length;
    await channel().send(msg);
    const got = (await sink.waitFor(before + 1))[before];

    expect(got?.from).toBe('"Herald" <herald@example.org>');
    expect(got?.headers['reply-to']).toBe('team@example.org');
    expect(got?.headers['list-unsubscribe']).toBe(`<${url}>`);
    expect(got?.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  });

  it('sends List-Unsubscribe-Post (one-click) only with an https unsubscribe link (RFC 8058)', async () => {
    const url = 'http://herald.example.org/u/abc';
    const before = sink.messages.length;
    await channel().send(outbound({ optional: true, unsubscribeUrl: url }));
    const got = (await sink.waitFor(before + 1))[before];
    expect(got?.headers['list-unsubscribe']).toBe(`<${url}>`);
    expect(got?.headers['list-unsubscribe-post']).toBeUndefined();
  });

  it('reuses one pooled connection for consecutive messages', async () => {
    const email = channel();
    const connectionsBefore = sink.connections.length;
    const before = sink.messages.length;
    for (let i = 0; i < 4; i++) await email.send(outbound());
    const got = (await sink.waitFor(before + 4)).slice(before);
    expect(sink.connections.length - connectionsBefore).toBe(1);
    expect(new Set(got.map((m) => m.sessionId)).size).toBe(1);
  });

  it('calls beforeSend before the transaction and afterSend once the server answered, also on a failure', async () => {
    const c = channel();
    const seen: string[] = [];
    const hooks = {
      beforeSend: async () => void seen.push(`before:${sink.messages.length}`),
      afterSend: async () => void seen.push(`after:${sink.messages.length}`),
    };
    const before = sink.messages.length;
    await c.send(outbound(), hooks);
    expect(seen).toEqual([`before:${before}`, `after:${before + 1}`]);
    seen.length = 0;
    sink.inject({ code: 451 });
    await failureOf(c.send(outbound(), hooks));
    expect(seen).toEqual([`before:${before + 1}`, `after:${before + 1}`]);
    // A send that never got as far as beforeSend (no address) is not reported as finished.
    seen.length = 0;
    await failureOf(c.send(outbound({}, null), hooks));
    expect(seen).toEqual([]);
  });

  it('classifies SMTP 4xx at RCPT as retryable', async () => {
    sink.inject({ code: 451 });
    const err = await failureOf(channel().send(outbound()));
    expect(err).toMatchObject({ channel: 'email', reason: '451', retryable: true, recipientRejected: false });
  });

  it('classifies 452 at DATA as retryable', async () => {
    sink.inject({ code: 452, stage: 'data' });
    const err = await failureOf(channel().send(outbound()));
    expect(err).toMatchObject({ reason: '452', retryable: true });
  });

  it('classifies 550 at RCPT as a permanently rejected recipient', async () => {
    sink.inject({ code: 550, match: (rcpt) => rcpt === 'gone@example.com' });
    const err = await failureOf(channel().send(outbound({}, 'gone@example.com')));
    expect(err).toMatchObject({ reason: '550', retryable: false, recipientRejected: true });
  });

  it('classifies 554 at DATA as permanent but not a bad address', async () => {
    sink.inject({ code: 554, stage: 'data', message: 'Message rejected as spam' });
    const err = await failureOf(channel().send(outbound()));
    expect(err).toMatchObject({ reason: '554', retryable: false, recipientRejected: false });
  });

  it('keeps sending on the pool after a rejected recipient', async () => {
    const email = channel();
    sink.inject({ code: 553 });
    await failureOf(email.send(outbound()));
    const before = sink.messages.length;
    await email.send(outbound());
    await sink.waitFor(before + 1);
  });

  it('refuses a person without an email address as permanent', async () => {
    const err = await failureOf(channel().send(outbound({}, null)));
    expect(err).toMatchObject({ reason: 'no_address', retryable: false });
  });

  it('reports a wait for mail that never comes', async () => {
    await expect(sink.waitFor(sink.messages.length + 1, 50)).rejects.toThrow(/after 50 ms/);
  });

  it('classifies an unreachable server as retryable', async () => {
    const down = await startSmtpSink();
    const url = down.url;
    await down.close();
    const err = await failureOf(channel({ smtpUrl: url }).send(outbound()));
    expect(err.retryable).toBe(true);
    expect(['ECONNREFUSED', 'ECONNECTION', 'ESOCKET']).toContain(err.reason);
  });
});
