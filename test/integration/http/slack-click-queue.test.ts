/**
 * Every Slack answer is in the click queue (Redis) before Slack gets its ack. On the fast path the
 * server records it and removes the job; when the server dies between the ack and the record, the
 * job is recorded by the next `herald serve` once its grace period ends, and the message is still
 * replaced in place with "You answered: …". Slack's retry of the same click records nothing twice.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import { startServer, type ServerRuntime } from '../../../src/main/server.ts';
import { blockActions, interactionBody, slackSignatureHeaders } from '../../../src/sandbox/slack-payloads.ts';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack-server.ts';
import { JOB_CATALOGUE } from '../../../jobs/catalogue.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_SECRET } from '../../support/delivery.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../../support/redis.ts';
import { postSeededToSlack, seedResponses, type SeededResponses } from '../../support/responses.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';
import { setReachable, SIGNING, until, USERS } from '../../support/slack-clicks.ts';
import { startServeProcess } from '../../support/serve-process.ts';

const { name: RECORD_CLICK_QUEUE, graceMs: CLICK_GRACE_MS } = JOB_CATALOGUE.recordSlackClick;

describe('the Slack click queue', () => {
  let db: TestDatabase;
  let seed: SeededResponses;
  let slack: SlackSandbox;
  let srv: ServerRuntime | undefined;
  let redis: Redis;
  const prefix = testRedisPrefix();
  const childPrefix = testRedisPrefix();
  const env = () => ({
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING,
    SLACK_API_URL: slack.url,
    HERALD_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = await seedResponses(db);
    slack = await startSlackSandbox({ perChannelPerSecond: 0, users: USERS });
    await postSeededToSlack(db, seed, slack.url);
    redis = new Redis(TEST_REDIS_URL);
    srv = await startServer(loadConfig({ ...env(), REDIS_PREFIX: prefix }), { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await setReachable(db, true).catch(() => {});
    await srv?.close();
    await slack?.close();
    redis?.disconnect();
    await cleanupRedisPrefix(TEST_REDIS_URL, prefix);
    await cleanupRedisPrefix(TEST_REDIS_URL, childPrefix);
    await db?.drop();
  });

  const responses = (personId: string) => db.prisma.response.findMany({ where: { personId, comm: { key: 'checkin' } }, include: { history: true } });
  const queued = async (p: string) => (await redis.zcard(`${p}:${RECORD_CLICK_QUEUE}:delayed`)) + (await redis.llen(`${p}:${RECORD_CLICK_QUEUE}:wait`));
  const clickOn = (person: string, option: string) => {
    const m = seed.message('checkin', person, 'slack');
    const p = slack.messages.find((x) => x.channel === m.providerChannel && x.ts === m.providerId)!;
    const payload = blockActions({
      user: m.slackId!,
      message: { channel: p.channel, ts: p.ts, blocks: p.blocks ?? [] },
      actionId: `herald_survey_${option}`,
      value: JSON.stringify({ m: m.id, o: option }),
    });
    const body = interactionBody(payload);
    const headers = slackSignatureHeaders(SIGNING, body);
    return {
      m,
      posted: p,
      deliver: (url: string, retry?: number) =>
        fetch(`${url}/slack/events`, {
          method: 'POST',
          headers: retry === undefined ? headers : { ...headers, 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' },
          body,
        }),
    };
  };

  it('a click and Slack retries of it (X-Slack-Retry-Num), at once and later, record one answer and leave no job behind', async () => {
    const { m, posted, deliver } = clickOn('ana', 'good');
    const acks = await Promise.all([deliver(srv!.url), deliver(srv!.url, 1), deliver(srv!.url, 2)]);
    expect(acks.map((r) => r.status)).toEqual([200, 200, 200]);
    await until('the answer', async () => (await responses(m.personId)).length === 1);
    await until('chat.update', async () => posted.updatedAt);
    expect(await deliver(srv!.url, 3).then((r) => r.status)).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const rows = await responses(m.personId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ option: 'good', channel: 'slack' });
    expect(rows[0]!.history).toEqual([]);
    // Recorded on the fast path: the queued copies were removed, none waits to run again.
    expect(await queued(prefix)).toBe(0);
  });

  it('a click acked by a server that dies before recording it is recorded, and its message replaced, by the next server', async () => {
    const { m, posted, deliver } = clickOn('ben', 'good');
    const first = await startServeProcess({ ...env(), REDIS_PREFIX: childPrefix });
    let second: Awaited<ReturnType<typeof startServeProcess>> | undefined;
    try {
      // The database is down, so the server cannot record the click after acking it; then it dies.
      await setReachable(db, false);
      expect((await deliver(first.url)).status).toBe(200);
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      await setReachable(db, true);
      expect(await responses(m.personId)).toHaveLength(0);
      expect(await queued(childPrefix)).toBe(1);

      const t0 = Date.now();
      second = await startServeProcess({ ...env(), REDIS_PREFIX: childPrefix });
      await until('the queued answer', async () => (await responses(m.personId)).length === 1, CLICK_GRACE_MS + 20_000);
      await until('chat.update from the queue', async () => posted.updatedAt);
      expect(JSON.stringify(posted.blocks)).toContain('You answered: *Working well*');
      expect(JSON.stringify(posted.blocks)).toContain('herald_change');
      expect(Date.now() - t0).toBeLessThan(CLICK_GRACE_MS + 20_000);

      // Slack's own retry of that click, arriving at the new server: still one answer.
      expect((await deliver(second.url, 1)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      const rows = await responses(m.personId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ option: 'good', channel: 'slack' });
      expect(rows[0]!.history).toEqual([]);
      await until('an empty queue', async () => (await queued(childPrefix)) === 0);
    } finally {
      await setReachable(db, true);
      await first.stop();
      await second?.stop();
    }
  }, 50_000);
});
