import { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack-server.ts';

describe('Slack sandbox speaks enough of the Web API for the real clients', () => {
  let sandbox: SlackSandbox;
  let client: WebClient;

  beforeAll(async () => {
    sandbox = await startSlackSandbox({ perChannelPerSecond: 0, workspacePerMinute: 3, users: [{ id: 'U1', email: 'one@example.com', name: 'One' }] });
    client = new WebClient('xoxb-any', { slackApiUrl: sandbox.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
  });
  afterAll(() => sandbox.close());

  it('lets a Bolt app initialise (auth.test)', async () => {
    const app = new App({ token: 'xoxb-any', signingSecret: 'secret', clientOptions: { slackApiUrl: sandbox.url }, deferInitialization: true });
    await app.init();
    expect(sandbox.callsTo('auth.test').length).toBeGreaterThan(0);
  });

  it('answers users.info, users.lookupByEmail and unknown methods', async () => {
    const info = await client.users.info({ user: 'U1' });
    expect(info.user?.profile?.email).toBe('one@example.com');
    sandbox.users.add({ id: 'U2', email: 'two@example.com' });
    expect((await client.users.lookupByEmail({ email: 'two@example.com' })).user?.id).toBe('U2');
    await expect(client.users.info({ user: 'U404' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    await expect(client.apiCall('no.such.method')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });

  it('records posts, edits them with chat.update, and records views', async () => {
    const posted = await client.chat.postMessage({ channel: 'U1', text: 'hello' });
    await client.chat.update({ channel: posted.channel ?? '', ts: posted.ts ?? '', text: 'edited', blocks: [{ type: 'divider' }] });
    expect(sandbox.messagesTo('U1').at(-1)).toMatchObject({ text: 'edited', blocks: [{ type: 'divider' }], user: 'U1' });

    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Why?' }, blocks: [] };
    const opened = await client.views.open({ trigger_id: 't1', view });
    await client.views.update({ view_id: opened.view?.id ?? '', view });
    await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } });
    expect(sandbox.views.map((v) => v.method)).toEqual(['views.open', 'views.update', 'views.publish']);
  });

  it('applies the workspace limit with 429 and Retry-After', async () => {
    sandbox.clearRecords();
    // One post already counts from the previous test; three a minute allows two more.
    await client.chat.postMessage({ channel: 'C1', text: 'a' });
    await client.chat.postMessage({ channel: 'C2', text: 'b' });
    await expect(client.chat.postMessage({ channel: 'C3', text: 'c' })).rejects.toMatchObject({ retryAfter: expect.any(Number) });
    const limited = sandbox.calls.find((c) => c.status === 429);
    expect(limited).toMatchObject({ method: 'chat.postMessage', error: 'ratelimited' });
  });

  it('accepts JSON bodies with a bearer token, as Bolt sends them', async () => {
    const res = await fetch(`${sandbox.url}users.info`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-any', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ user: 'U1' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, user: { id: 'U1' } });
    const anonymous = await fetch(`${sandbox.url}auth.test`, { method: 'POST' });
    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
  });
});
