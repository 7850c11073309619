import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/channels/channel.ts';
import { failureOf } from './failure-of.ts';
import { createSlackChannel, type SlackChannel } from '../../../src/channels/slack/slack-channel.ts';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack-server.ts';

const TOKEN = 'xoxb-herald-test';

function outbound(recipient: Partial<OutboundMessage['recipient']>, text = 'Hello from Herald'): OutboundMessage {
  return {
    messageId: `m-${Math.random().toString(36).slice(2)}`,
    projectKey: 'p',
    commKey: 'c',
    optional: false,
    recipient: { id: 'person', name: 'Person', timezone: 'Europe/Paris', locale: 'en', ...recipient },
    rendered: { channel: 'slack', subject: 'Subject', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
  };
}

describe('Slack channel against the local Slack sandbox', () => {
  let sandbox: SlackSandbox;
  const channels: SlackChannel[] = [];
  const channel = (opts: { token?: string; apiUrl?: string; timeoutMs?: number } = {}): SlackChannel => {
    const c = createSlackChannel({ token: opts.token ?? TOKEN, apiUrl: opts.apiUrl ?? sandbox.url, timeoutMs: opts.timeoutMs ?? 5000 });
    channels.push(c);
    return c;
  };

  beforeAll(async () => {
    sandbox = await startSlackSandbox({
      token: TOKEN,
      users: [
        { id: 'U001', email: 'ada@example.com' },
        { id: 'U002', email: 'bob@example.com' },
        { id: 'U003', email: 'cyd@example.com' },
        { id: 'U004', email: 'dee@example.com' },
      ],
    });
  });
  afterEach(() => sandbox.clearInjections());
  afterAll(async () => {
    await Promise.all(channels.map((c) => c.close()));
    await sandbox.close();
  });

  it('answers auth.test for the real WebClient (as Bolt calls it at start)', async () => {
    const res = await channel().client.auth.test();
    expect(res.ok).toBe(true);
    expect(res.user_id).toBe('U0HERALD');
  });

  it('posts Block Kit with a text fallback to the user id, without conversations.open, and returns ts and DM channel', async () => {
    const slack = channel();
    const first = await slack.send(outbound({ slackId: 'U001' }, 'first'));
    const second = await slack.send(outbound({ slackId: 'U001' }, 'second'));

    const dm = sandbox.dmChannelOf('U001');
    expect(dm).toMatch(/^D/);
    expect(first.providerChannel).toBe(dm);
    expect(second.providerChannel).toBe(dm);
    expect(first.providerId).not.toBe(second.providerId);
    expect(first.discoveredSlackId).toBeUndefined();
    expect(sandbox.callsTo('conversations.open')).toHaveLength(0);
    expect(sandbox.callsTo('chat.postMessage').filter((c) => c.body.channel === 'U001')).toHaveLength(2);

    const posted = sandbox.messagesTo('U001');
    expect(posted.map((m) => m.text)).toEqual(['first', 'second']);
    expect(posted[0]?.ts).toBe(first.providerId);
    expect(posted[0]?.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'first' } }]);
    const post = sandbox.callsTo('chat.postMessage').find((c) => c.body.text === 'first');
    expect(post?.body.unfurl_links).toBe('false');
  });

  it('looks a missing Slack id up by email and hands it back for caching', async () => {
    const slack = channel();
    const result = await slack.send(outbound({ email: 'Bob@Example.com' }));
    expect(result.discoveredSlackId).toBe('U002');
    expect(sandbox.messagesTo('U002').at(-1)?.ts).toBe(result.providerId);
  });

  it('treats an unknown email as a rejected recipient and no address at all as permanent', async () => {
    const slack = channel();
    const unknown = await failureOf(slack.send(outbound({ email: 'nobody@example.com' })));
    expect(unknown).toMatchObject({ reason: 'users_not_found', retryable: false, recipientRejected: true });
    const none = await failureOf(slack.send(outbound({})));
    expect(none).toMatchObject({ reason: 'no_address', retryable: false, recipientRejected: false });
  });

  it('classifies 429 with Retry-After as retryable with retryAfterMs, without the client waiting', async () => {
    sandbox.inject('chat.postMessage', { status: 429, retryAfter: 7 });
    const err = await failureOf(channel().send(outbound({ slackId: 'U003' })));
    expect(err).toMatchObject({ reason: 'ratelimited', retryable: true, retryAfterMs: 7000, recipientRejected: false });
    expect(sandbox.callsTo('chat.postMessage').filter((c) => c.status === 429 && c.body.channel === 'U003')).toHaveLength(1);
  });

  it('classifies HTTP 500 as retryable and does not let the client repeat the post', async () => {
    const before = sandbox.callsTo('chat.postMessage').length;
    sandbox.inject('chat.postMessage', { status: 500 });
    const err = await failureOf(channel().send(outbound({ slackId: 'U003' })));
    expect(err).toMatchObject({ reason: 'http_500', retryable: true });
    expect(sandbox.callsTo('chat.postMessage').length - before).toBe(1);
  });

  it('calls beforeSend before the post and afterSend once Slack answered, also on a failure (a rate limit uses both)', async () => {
    const seen: string[] = [];
    const posts = (): number => sandbox.callsTo('chat.postMessage').length;
    const hooks = { beforeSend: async () => void seen.push(`before:${posts()}`), afterSend: async () => void seen.push(`after:${posts()}`) };
    const n = posts();
    await channel().send(outbound({ slackId: 'U004' }), hooks);
    expect(seen).toEqual([`before:${n}`, `after:${n + 1}`]);
    seen.length = 0;
    sandbox.inject('chat.postMessage', { status: 500 });
    await failureOf(channel().send(outbound({ slackId: 'U004' }), hooks));
    expect(seen).toEqual([`before:${n + 1}`, `after:${n + 2}`]);
  });

  it('classifies transient Slack error codes as retryable', async () => {
    sandbox.inject('chat.postMessage', { error: 'service_unavailable' });
    const err = await failureOf(channel().send(outbound({ slackId: 'U003' })));
    expect(err).toMatchObject({ reason: 'service_unavailable', retryable: true });
  });

  it('classifies user_not_found and an unknown user (channel_not_found, as Slack answers) as permanent rejected recipients', async () => {
    sandbox.inject('chat.postMessage', { error: 'user_not_found' });
    const injected = await failureOf(channel().send(outbound({ slackId: 'U004' })));
    expect(injected).toMatchObject({ reason: 'user_not_found', retryable: false, recipientRejected: true });

    const real = await failureOf(channel().send(outbound({ slackId: 'U999' })));
    expect(real).toMatchObject({ reason: 'channel_not_found', retryable: false, recipientRejected: true });
  });

  it('classifies invalid_auth as a permanent configuration problem', async () => {
    const err = await failureOf(channel({ token: 'xoxb-wrong' }).send(outbound({ slackId: 'U001' })));
    expect(err).toMatchObject({ reason: 'invalid_auth', retryable: false, recipientRejected: false });
  });

  it('tells an inactive recipient from an inactive bot account', async () => {
    sandbox.inject('chat.postMessage', { error: 'account_inactive' });
    const recipient = await failureOf(channel().send(outbound({ slackId: 'U002' })));
    expect(recipient).toMatchObject({ reason: 'account_inactive', retryable: false, recipientRejected: true });

    sandbox.inject('chat.postMessage', { error: 'account_inactive' });
    sandbox.inject('auth.test', { error: 'account_inactive' });
    const token = await failureOf(channel().send(outbound({ slackId: 'U002' })));
    expect(token).toMatchObject({ reason: 'account_inactive', retryable: false, recipientRejected: false });
  });

  it('classifies a timeout and an unreachable server as retryable', async () => {
    // U004: the sandbox still accepts this post after the client gave up, and U003 is paced in a later test.
    sandbox.inject('chat.postMessage', { delayMs: 1500 });
    const slow = await failureOf(channel({ timeoutMs: 200 }).send(outbound({ slackId: 'U004' })));
    expect(slow).toMatchObject({ reason: 'timeout', retryable: true });

    const down = await startSlackSandbox();
    const url = down.url;
    await down.close();
    const refused = await failureOf(channel({ apiUrl: url }).send(outbound({ slackId: 'U003' })));
    expect(refused).toMatchObject({ reason: 'ECONNREFUSED', retryable: true });
  });

  it('paces one DM channel to one message a second but not different channels', async () => {
    const slack = channel();
    // Earlier tests posted to these people from other channel instances, which pace on their own.
    await new Promise((r) => setTimeout(r, 1100));
    sandbox.clearRecords();

    await Promise.all([
      slack.send(outbound({ slackId: 'U001' }, 'a1')),
      slack.send(outbound({ slackId: 'U001' }, 'a2')),
      slack.send(outbound({ slackId: 'U002' }, 'b1')),
      slack.send(outbound({ slackId: 'U003' }, 'c1')),
    ]);

    expect(sandbox.calls.filter((c) => c.status === 429)).toEqual([]);
    const [a1, a2] = sandbox.messagesTo('U001');
    expect(a2!.at - a1!.at).toBeGreaterThanOrEqual(1000);
    const firsts = [a1!, ...sandbox.messagesTo('U002'), ...sandbox.messagesTo('U003')].map((m) => m.at);
    expect(Math.max(...firsts) - Math.min(...firsts)).toBeLessThan(1000);
  });
});
