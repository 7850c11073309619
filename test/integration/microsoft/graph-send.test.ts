import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChannelError } from '../../../src/channels/channel.ts';
import { createGraphEmailChannel } from '../../../src/channels/email/graph-channel.ts';
import { createGraphClient } from '../../../src/channels/microsoft/graph-client.ts';
import { microsoftTokens, type MicrosoftCredentials } from '../../../src/channels/microsoft/ms-token.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { buildChannels } from '../../../src/main/adapters.ts';
import type { MicrosoftSandbox } from '../../../src/sandbox/microsoft-server.ts';
import { CERT_APP, msEnv, msTls, OPS, outbound, PMO, SECRET, SECRET_APP, startTenant, TENANT } from './sandbox.ts';

async function failureOf(p: Promise<unknown>): Promise<ChannelError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ChannelError);
  return e as ChannelError;
}

describe('Graph sendMail with msal-node against the Microsoft sandbox', () => {
  let ms: MicrosoftSandbox;
  const creds = (over: Partial<MicrosoftCredentials> = {}): MicrosoftCredentials => ({
    tenantId: TENANT,
    clientId: SECRET_APP,
    clientSecret: SECRET,
    authorityHost: ms.url,
    ...over,
  });
  /** A Graph channel at a sandbox (by default this file's tenant) with the given credentials. */
  const channelFor = (c: MicrosoftCredentials = creds(), at: MicrosoftSandbox = ms) =>
    createGraphEmailChannel({
      graph: createGraphClient({ graphUrl: at.url, tokens: microsoftTokens({ ...c, authorityHost: at.url }), timeoutMs: 5000 }),
      from: `Herald <${PMO}>`,
      messageIdDomain: 'herald.test',
    });

  beforeAll(async () => {
    ms = await startTenant();
  });
  afterEach(() => ms.clearInjections());
  afterAll(async () => {
    await ms.close();
  });

  it('sends the MIME as the sender mailbox with every Herald header kept', async () => {
    const url = 'https://herald.example.org/u/abc.def';
    const msg = outbound({ optional: true, unsubscribeUrl: url, replyTo: 'reply+tok123@herald.test' });
    const result = await channelFor().send(msg);
    const [got] = (await ms.waitForSent(1)).slice(-1);
    expect(got?.mailbox).toBe(PMO);
    expect(result.providerId).toBe(`<${msg.messageId}@herald.test>`);
    expect(got?.headers['message-id']).toBe(result.providerId);
    expect(got?.headers['reply-to']).toBe('reply+tok123@herald.test');
    expect(got?.headers['list-unsubscribe']).toBe(`<${url}>`);
    expect(got?.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(got?.headers['auto-submitted']).toBe('auto-generated');
    expect(got?.headers['x-herald-message-id']).toBe(msg.messageId);
    expect(got?.headers.from).toBe('"PMO" <pmo@contoso.example>');
    expect(got?.subject).toBe('Cutover this weekend');
    expect(got?.text.trim()).toBe('Plain words.');
  });

  it('is what the composition root builds for EMAIL_TRANSPORT=graph with the MS_* settings', async () => {
    const config = loadConfig({ EMAIL_TRANSPORT: 'graph', ...msEnv(ms) });
    const { email } = buildChannels(config);
    const msg = outbound();
    const before = ms.sent.length;
    await email!.send(msg);
    expect((await ms.waitForSent(before + 1)).at(-1)?.headers['x-herald-message-id']).toBe(msg.messageId);
    await email!.close();
  });

  it('asks for one token, keeps it, and fetches a new one when Graph refuses it', async () => {
    const channel = channelFor();
    const before = ms.grants.length;
    await Promise.all([channel.send(outbound()), channel.send(outbound()), channel.send(outbound())]);
    await channel.send(outbound());
    expect(ms.grants.length - before).toBe(1);
    ms.expireTokens();
    await channel.send(outbound());
    expect(ms.grants.length - before).toBe(2);
    expect(ms.requests.filter((r) => r.endpoint === 'sendMail' && r.status === 401)).toHaveLength(1);
  });

  it('renews a token before it expires (msal-node renews within five minutes of expiry)', async () => {
    const short = await startTenant({ tokenLifetimeSeconds: 301 });
    try {
      const channel = channelFor(creds(), short);
      await channel.send(outbound());
      await channel.send(outbound());
      expect(short.grants).toHaveLength(1);
      await sleep(2100);
      await channel.send(outbound());
      expect(short.grants).toHaveLength(2);
      // Never a 401: the old token was replaced before Graph could refuse it.
      expect(short.requests.filter((r) => r.status === 401)).toHaveLength(0);
    } finally {
      await short.close();
    }
  });

  it('signs in with a certificate (client assertion) as well as a secret', async () => {
    const channel = channelFor({ tenantId: TENANT, clientId: CERT_APP, certificatePath: msTls().clientPemPath, authorityHost: ms.url });
    const before = ms.sent.length;
    await channel.send(outbound());
    await ms.waitForSent(before + 1);
    expect(ms.grants.at(-1)).toMatchObject({ clientId: CERT_APP, credential: 'certificate' });
  });

  it('honours 429 Retry-After: the mailbox pauses, and the message is sent once afterwards', async () => {
    const channel = channelFor();
    const before = ms.sent.length;
    ms.inject('sendMail', { status: 429, retryAfterSeconds: 1 });
    const msg = outbound();
    const first = await failureOf(channel.send(msg));
    expect(first).toMatchObject({ retryable: true, retryAfterMs: 1000, reason: '429' });
    const sendCalls = ms.requests.filter((r) => r.endpoint === 'sendMail').length;
    // Another message for the paused mailbox is not sent to Graph before the pause ends.
    const paused = await failureOf(channel.send(outbound()));
    expect(paused.reason).toBe('paced');
    expect(paused.retryAfterMs).toBeGreaterThan(0);
    expect(paused.retryAfterMs).toBeLessThanOrEqual(1000);
    expect(ms.requests.filter((r) => r.endpoint === 'sendMail')).toHaveLength(sendCalls);
    await sleep(first.retryAfterMs!);
    await channel.send(msg);
    const sent = (await ms.waitForSent(before + 1)).slice(before);
    expect(sent.map((s) => s.headers['x-herald-message-id'])).toEqual([msg.messageId]);
  });

  it('treats 503 with Retry-After as retryable too', async () => {
    ms.inject('sendMail', { status: 503, retryAfterSeconds: 0 });
    const e = await failureOf(channelFor().send(outbound()));
    expect(e).toMatchObject({ retryable: true, retryAfterMs: 0, reason: '503' });
  });

  it('keeps at most four requests in flight per mailbox', async () => {
    const slow = await startTenant({ latencyMs: 300, secretApp: { mailboxes: [PMO, OPS] } });
    try {
      const channel = channelFor(creds(), slow);
      await channel.send(outbound());
      const ops = { email: OPS };
      await Promise.all(Array.from({ length: 12 }, (_, i) => channel.send(outbound(i % 2 ? { sender: ops } : {}))));
      expect(slow.maxInFlight).toEqual({ [PMO]: 4, [OPS]: 4 });
      expect(slow.sent).toHaveLength(13);
    } finally {
      await slow.close();
    }
  });

  it('fails a denied mailbox for good, with the RBAC hint', async () => {
    const e = await failureOf(channelFor().send(outbound({ sender: { email: OPS } })));
    expect(e.retryable).toBe(false);
    expect(e.reason).toBe('ErrorAccessDenied');
    expect(e.message).toContain('grant Mail.Send and scope the app to this mailbox with RBAC for Applications');
  });

  it('fails an unknown sender mailbox for good, naming it', async () => {
    const e = await failureOf(channelFor().send(outbound({ sender: { email: 'nobody@contoso.example' } })));
    expect(e.retryable).toBe(false);
    expect(e.reason).toBe('mailbox_not_found');
    expect(e.message).toContain('nobody@contoso.example does not exist');
  });

  it('fails an expired secret for good, saying to make a new one', async () => {
    ms.updateApp(SECRET_APP, { secretExpired: true });
    try {
      const e = await failureOf(channelFor().send(outbound()));
      expect(e.retryable).toBe(false);
      expect(e.reason).toBe('token_refused');
      expect(e.message).toMatch(/AADSTS7000222/);
      expect(e.message).toContain('the client secret has expired');
    } finally {
      ms.updateApp(SECRET_APP, { secretExpired: false });
    }
  });

  it('fails a wrong secret for good, with its hint', async () => {
    const e = await failureOf(channelFor(creds({ clientSecret: 'not-the-secret' })).send(outbound()));
    expect(e).toMatchObject({ retryable: false, reason: 'token_refused' });
    expect(e.message).toContain("use the secret's Value");
  });
});
