import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import { NOT_YOURS } from '../../../src/http/slack/interactions.ts';
import { startServer } from '../../../src/main/server.ts';
import { blockActions, interactionBody, slackSignatureHeaders, viewClosed, viewSubmission } from '../../../src/sandbox/slack-payloads.ts';
import { startSlackSandbox, type PostedMessage, type SlackSandbox } from '../../../src/sandbox/slack-server.ts';
import { createTestDatabase } from '../../support/databases.ts';
import { TEST_SECRET } from '../../support/delivery.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../../support/redis.ts';
import { postSeededToSlack, seedResponses, type SeededMessage } from '../../support/responses.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

const SIGNING = 'signing-secret-for-tests';
const USERS = [
  { id: 'UANA00001', email: 'ana@herald.example', name: 'Ana' },
  { id: 'UBEN00001', email: 'ben@herald.example', name: 'Ben' },
];

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const surveyValue = (m: SeededMessage, o: string) => JSON.stringify({ m: m.id, o });
const text = (m: PostedMessage | undefined) => JSON.stringify(m?.blocks ?? []);

/** One shared set-up for HTTP and Socket Mode: a seeded project, the Slack sandbox with its messages, and `herald serve`. */
async function setUp(socket: boolean) {
  const db = await createTestDatabase();
  const seed = await seedResponses(db);
  const slack = await startSlackSandbox({ perChannelPerSecond: 0, users: USERS });
  await postSeededToSlack(db, seed, slack.url);
  const prefix = testRedisPrefix();
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING,
    ...(socket ? { SLACK_APP_TOKEN: 'xapp-test' } : {}),
    SLACK_API_URL: slack.url,
    HERALD_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
  });
  const srv = await startServer(config, { db, port: 0, host: '127.0.0.1' });
  return {
    db,
    seed,
    slack,
    srv,
    async close() {
      await srv.close();
      await slack.close();
      await cleanupRedisPrefix(TEST_REDIS_URL, prefix);
      await db.drop();
    },
  };
}

type Env = Awaited<ReturnType<typeof setUp>>;

function posted(slack: SlackSandbox, m: SeededMessage): PostedMessage {
  const p = slack.messages.find((x) => x.channel === m.providerChannel && x.ts === m.providerId);
  if (!p) throw new Error(`no sandbox message for ${m.comm}:${m.person}`);
  return p;
}

function click(env: Env, m: SeededMessage, actionId: string, value: string, user = m.slackId!) {
  const p = posted(env.slack, m);
  return blockActions({ user, message: { channel: p.channel, ts: p.ts, blocks: p.blocks ?? [] }, actionId, value });
}

const responseOf = (env: Env, m: SeededMessage) =>
  env.db.prisma.response.findFirst({ where: { personId: m.personId, comm: { key: m.comm } }, include: { history: true } });

/** The behaviours both transports must show, given a way to deliver a payload and read the ack. */
function interactivitySuite(
  name: string,
  socket: boolean,
  deliver: (env: Env, payload: Record<string, unknown>) => Promise<{ status: number; body: unknown }>,
) {
  describe(`Slack interactivity over ${name}`, () => {
    let env: Env;
    beforeAll(async () => {
      env = await setUp(socket);
      if (socket) await env.slack.socketMode.waitForConnection();
    });
    afterAll(async () => {
      await env.close();
    });

    it('a button click is acked, recorded once, and the message shows "You answered: … · change" in place', async () => {
      const m = env.seed.message('checkin', 'ben', 'slack');
      const payload = click(env, m, 'herald_survey_good', surveyValue(m, 'good'));
      const ack = await deliver(env, payload);
      expect(ack.status).toBe(200);
      const row = await until('the response', () => responseOf(env, m));
      expect(row).toMatchObject({ option: 'good', channel: 'slack', comment: null });
      const updated = await until('chat.update', () => (posted(env.slack, m).updatedAt !== undefined ? posted(env.slack, m) : undefined));
      expect(text(updated)).toContain('You answered: *Working well*');
      expect(text(updated)).toContain('"action_id":"herald_change"');
      expect(text(updated)).not.toContain('herald_survey_good');
      expect(text(updated)).toContain(`${m.comm} for ${m.person}`);
      // The same click delivered again changes nothing.
      await deliver(env, payload);
      await new Promise((r) => setTimeout(r, 200));
      const again = await responseOf(env, m);
      expect(again!.history).toEqual([]);
      expect(again!.updatedAt).toEqual(row!.updatedAt);
    });

    it('"change" puts the buttons back, and another click changes the answer with history', async () => {
      const m = env.seed.message('checkin', 'ben', 'slack');
      const before = posted(env.slack, m).updatedAt;
      await deliver(env, click(env, m, 'herald_change', JSON.stringify({ m: m.id })));
      await until('buttons back', () => posted(env.slack, m).updatedAt !== before && text(posted(env.slack, m)).includes('herald_survey_blocked'));
      await deliver(env, click(env, m, 'herald_survey_blocked', surveyValue(m, 'blocked')));
      const row = await until('the change', async () => ((await responseOf(env, m))?.option === 'blocked' ? responseOf(env, m) : undefined));
      expect(row!.history).toEqual([expect.objectContaining({ oldOption: 'good', newOption: 'blocked', channel: 'slack' })]);
      await until('answer shown', () => text(posted(env.slack, m)).includes("You answered: *I can't work*"));
    });

    it('someone else clicking gets an ephemeral notice and records nothing', async () => {
      const m = env.seed.message('checkin', 'ana', 'slack');
      await deliver(env, click(env, m, 'herald_survey_good', surveyValue(m, 'good'), 'UBEN00001'));
      const notice = await until('the ephemeral', () => env.slack.ephemerals.find((e) => e.user === 'UBEN00001'));
      expect(notice.text).toBe(NOT_YOURS);
      expect(await responseOf(env, m)).toBeNull();
    });

    it('an option that wants a comment opens a modal; closing it records nothing; submitting records the comment', async () => {
      const m = env.seed.message('checkin', 'ana', 'slack');
      const payload = click(env, m, 'herald_survey_minor', surveyValue(m, 'minor'));
      await deliver(env, payload);
      const opened = await until('views.open', () => env.slack.views.find((v) => v.triggerId === payload.trigger_id));
      const view = { ...(opened.view as { callback_id: string; private_metadata: string; blocks: unknown[] }), id: opened.viewId };
      expect(view.callback_id).toBe('herald_comment');
      expect(JSON.stringify(view.blocks)).toContain('Please add a short comment');

      const closed = await deliver(env, viewClosed({ user: 'UANA00001', view }));
      expect(closed.status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      expect(await responseOf(env, m)).toBeNull();

      const empty = await deliver(env, viewSubmission({ user: 'UANA00001', view, comment: '  ' }));
      expect(empty.body).toMatchObject({ response_action: 'errors', errors: { comment: 'Please add a short comment.' } });
      expect(await responseOf(env, m)).toBeNull();

      const ok = await deliver(env, viewSubmission({ user: 'UANA00001', view, comment: 'Teams keeps crashing' }));
      expect(ok.status).toBe(200);
      const row = await until('the response', () => responseOf(env, m));
      expect(row).toMatchObject({ option: 'minor', comment: 'Teams keeps crashing', channel: 'slack' });
      await until('answer shown', () => text(posted(env.slack, m)).includes('You answered: *Some issues* — “Teams keeps crashing”'));
      expect(text(posted(env.slack, m))).toContain('checkin for ana');
    });

    it('"unsubscribe from tips" on an optional message opts the person out and says so in place', async () => {
      const m = env.seed.message('tips', 'ben', 'slack');
      expect(text(posted(env.slack, m))).toContain('Unsubscribe from tips');
      await deliver(env, click(env, m, 'herald_unsubscribe', JSON.stringify({ m: m.id })));
      await until('the opt-out', () => env.db.prisma.optOut.findFirst({ where: { personId: m.personId, commKey: 'tips' } }));
      await until('message updated', () => text(posted(env.slack, m)).includes('You unsubscribed from these messages'));
    });
  });
}

interactivitySuite('HTTP (POST /slack/events)', false, async (env, payload) => {
  const body = interactionBody(payload);
  const res = await fetch(`${env.srv.url}/slack/events`, { method: 'POST', headers: slackSignatureHeaders(SIGNING, body), body });
  const raw = await res.text();
  return { status: res.status, body: raw ? (JSON.parse(raw) as unknown) : '' };
});

interactivitySuite('Socket Mode (SLACK_APP_TOKEN)', true, async (env, payload) => {
  const ack = await env.slack.socketMode.deliver('interactive', payload);
  return { status: 200, body: ack.payload ?? '' };
});

describe('POST /slack/events: signatures and retries', () => {
  let env: Env;
  beforeAll(async () => {
    env = await setUp(false);
  });
  afterAll(async () => {
    await env.close();
  });

  it('a bad signature or a timestamp more than 5 minutes off is 401 and records nothing', async () => {
    const m = env.seed.message('status', 'ana', 'slack');
    const body = interactionBody(click(env, m, 'herald_survey_green', surveyValue(m, 'green')));
    const forged = await fetch(`${env.srv.url}/slack/events`, { method: 'POST', headers: slackSignatureHeaders('not-the-secret', body), body });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'INVALID_SIGNATURE' });
    const stale = await fetch(`${env.srv.url}/slack/events`, {
      method: 'POST',
      headers: slackSignatureHeaders(SIGNING, body, Math.floor(Date.now() / 1000) - 6 * 60),
      body,
    });
    expect(stale.status).toBe(401);
    const unsigned = await fetch(`${env.srv.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(unsigned.status).toBe(401);
    expect(await responseOf(env, m)).toBeNull();
  });

  it('Slack retries (X-Slack-Retry-Num) of a handled delivery are acked and never record twice', async () => {
    const m = env.seed.message('status', 'ana', 'slack');
    const body = interactionBody(click(env, m, 'herald_survey_amber', surveyValue(m, 'amber')));
    const first = await fetch(`${env.srv.url}/slack/events`, { method: 'POST', headers: slackSignatureHeaders(SIGNING, body), body });
    expect(first.status).toBe(200);
    const row = await until('the response', () => responseOf(env, m));
    await until('chat.update', () => posted(env.slack, m).updatedAt);
    const updates = env.slack.callsTo('chat.update').length;
    for (const n of [1, 2]) {
      const retry = await fetch(`${env.srv.url}/slack/events`, {
        method: 'POST',
        headers: { ...slackSignatureHeaders(SIGNING, body), 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_timeout' },
        body,
      });
      expect(retry.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(env.slack.callsTo('chat.update').length).toBe(updates);
    const after = await responseOf(env, m);
    expect(after!.updatedAt).toEqual(row!.updatedAt);
    expect(after!.history).toEqual([]);
    // A workstream-status answer also sets the workstreams Ana owns.
    const ws = await env.db.prisma.workstream.findMany({ where: { ownerKey: 'ana' }, select: { status: true } });
    expect(ws.map((w) => w.status)).toEqual(['amber', 'amber']);
  });

  it('answers the Events API URL check', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    const res = await fetch(`${env.srv.url}/slack/events`, {
      method: 'POST',
      headers: { ...slackSignatureHeaders(SIGNING, body), 'content-type': 'application/json' },
      body,
    });
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });
});
