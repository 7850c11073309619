import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../../src/domain/tokens.ts';
import { issueFormProof } from '../../../src/http/form-proof.ts';
import { blockActions, interactionBody, slackSignatureHeaders } from '../../../src/sandbox/slack-payloads.ts';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack-server.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_SECRET } from '../../support/delivery.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../../support/redis.ts';
import { postSeededToSlack, seedResponses, type SeededResponses } from '../../support/responses.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';
import { startServeProcess } from '../../support/serve-process.ts';

const SIGNING = 'two-process-signing-secret';

describe('two `herald serve` processes at once', () => {
  let db: TestDatabase;
  let seed: SeededResponses;
  let slack: SlackSandbox;
  let prefix: string;
  let serves: Array<Awaited<ReturnType<typeof startServeProcess>>> = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    seed = await seedResponses(db);
    slack = await startSlackSandbox({
      perChannelPerSecond: 0,
      users: [
        { id: 'UANA00001', email: 'ana@herald.example' },
        { id: 'UBEN00001', email: 'ben@herald.example' },
      ],
    });
    await postSeededToSlack(db, seed, slack.url);
    prefix = testRedisPrefix();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      HERALD_SECRET: TEST_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: slack.url,
    };
    serves = await Promise.all([startServeProcess(env), startServeProcess(env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(serves.map((s) => s.stop()));
    await slack.close();
    await cleanupRedisPrefix(TEST_REDIS_URL, prefix);
    await db.drop();
  });

  it('the same Slack click and the same answer form, sent to both at once, record each answer once', async () => {
    const slackMsgs = ['checkin:ana:slack', 'checkin:ben:slack', 'status:ana:slack'].map((k) => seed.messages.get(k)!);
    const clicks = slackMsgs.map((m) => {
      const p = slack.messages.find((x) => x.ts === m.providerId)!;
      const body = interactionBody(
        blockActions({
          user: m.slackId!,
          message: { channel: p.channel, ts: p.ts, blocks: p.blocks ?? [] },
          actionId: 'herald_survey_blocked',
          value: JSON.stringify({ m: m.id, o: m.comm === 'status' ? 'red' : 'blocked' }),
        }),
      );
      return { path: '/slack/events', headers: slackSignatureHeaders(SIGNING, body), body };
    });
    const nowS = Math.floor(Date.now() / 1000);
    const forms = ['checkin:cy:email', 'status:ana:email'].map((k) => {
      const m = seed.messages.get(k)!;
      const token = signToken(TEST_SECRET, { k: 'answer', m: m.id, p: m.personId, exp: nowS + 3600 });
      const body = new URLSearchParams({ proof: issueFormProof(TEST_SECRET, token, nowS), option: m.comm === 'status' ? 'green' : 'good' }).toString();
      return { path: `/r/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
    });
    const sends = [...clicks, ...forms].flatMap((r) =>
      serves.flatMap((s) => [0, 1].map(() => fetch(`${s.url}${r.path}`, { method: 'POST', headers: r.headers, body: r.body }))),
    );
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);

    // Listeners finish after the ack: wait until every answer is in, then a little longer for stragglers.
    const end = Date.now() + 15_000;
    while ((await db.prisma.response.count()) < 4 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    const rows = await db.prisma.response.findMany({
      include: { history: true, comm: true, person: true },
      orderBy: [{ comm: { key: 'asc' } }, { person: { key: 'asc' } }],
    });
    // status:ana answered on Slack (red) and by link (green): one answer for (comm, occurrence, person), the later one kept with history.
    expect(rows.map((r) => `${r.comm.key}:${r.person.key}`)).toEqual(['checkin:ana', 'checkin:ben', 'checkin:cy', 'status:ana']);
    for (const r of rows.filter((x) => x.comm.key === 'checkin')) expect(r.history).toEqual([]);
    expect(rows.find((r) => r.comm.key === 'status')!.history.length).toBeLessThanOrEqual(1);
    const changes = await db.prisma.responseChange.count();
    expect(changes).toBeLessThanOrEqual(1);
  }, 60_000);
});
