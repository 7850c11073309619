/**
 * An acknowledged Slack click is never lost. Two real failures on this file's own PostgreSQL
 * database: the record's INSERT failing transiently (a trigger), and the whole database unreachable
 * (connections refused and dropped). Each time the click is queued, acked, and left to the click queue,
 * and once the database works again the answer is stored exactly once, even when Slack delivered
 * the click twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import { startServer, type ServerRuntime } from '../../../src/main/server.ts';
import { blockActions, interactionBody, slackSignatureHeaders } from '../../../src/sandbox/slack-payloads.ts';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack-server.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_SECRET } from '../../support/delivery.ts';
import { withAdmin } from '../../support/pg-admin.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../../support/redis.ts';
import { postSeededToSlack, seedResponses, type SeededResponses } from '../../support/responses.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';
import { setReachable, SIGNING, until, USERS } from '../../support/slack-clicks.ts';

describe('Slack clicks survive a database outage', () => {
  let db: TestDatabase;
  let seed: SeededResponses;
  let slack: SlackSandbox;
  let srv: ServerRuntime;
  const prefix = testRedisPrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    seed = await seedResponses(db);
    slack = await startSlackSandbox({ perChannelPerSecond: 0, users: USERS });
    await postSeededToSlack(db, seed, slack.url);
    const config = loadConfig({
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING,
      SLACK_API_URL: slack.url,
      HERALD_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
    });
    srv = await startServer(config, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await setReachable(db, true).catch(() => {});
    await srv?.close();
    await slack?.close();
    await cleanupRedisPrefix(TEST_REDIS_URL, prefix);
    await db?.drop();
  });

  const onDb = (sql: string) => withAdmin(db.url, (c) => c.query(sql));
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
    return { m, deliver: () => fetch(`${srv.url}/slack/events`, { method: 'POST', headers: slackSignatureHeaders(SIGNING, body), body }) };
  };

  it('a click whose record keeps failing is left to the click queue and recorded once afterwards', async () => {
    const { m, deliver } = clickOn('ana', 'good');
    // A real database failure on the record's INSERT only: a trigger raising admin_shutdown (57P01,
    // which Herald treats as transient) while the flag row exists.
    await onDb(`CREATE TABLE fail_response_inserts (on_ boolean PRIMARY KEY)`);
    await onDb(`INSERT INTO fail_response_inserts VALUES (true)`);
    await onDb(`CREATE FUNCTION fail_response_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF EXISTS (SELECT 1 FROM fail_response_inserts) THEN RAISE EXCEPTION 'forced outage' USING ERRCODE = 'admin_shutdown'; END IF; RETURN NEW; END $$`);
    await onDb(`CREATE TRIGGER fail_response_insert BEFORE INSERT ON "Response" FOR EACH ROW EXECUTE FUNCTION fail_response_insert()`);
    try {
      expect((await deliver()).status).toBe(200);
      // The immediate record and its retries (about 1.5 s at most) fail; the click waits in Redis.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await db.prisma.response.count({ where: { personId: m.personId, comm: { key: m.comm } } })).toBe(0);
    } finally {
      await onDb(`DELETE FROM fail_response_inserts`);
    }
    await until('the spooled answer', async () =>
      (await db.prisma.response.count({ where: { personId: m.personId, comm: { key: m.comm } } })) === 1 ? true : undefined,
    );
    const rows = await db.prisma.response.findMany({ where: { personId: m.personId, comm: { key: m.comm } }, include: { history: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ option: 'good', channel: 'slack' });
    expect(rows[0]!.history).toEqual([]);
  });

  it('a click acked while the database is down is recorded exactly once when it returns', async () => {
    const { m, deliver } = clickOn('ben', 'good');

    await setReachable(db, false);
    expect((await deliver()).status).toBe(200);
    // Slack's retry of the same click: the same job id, so it collapses into one job.
    expect((await deliver()).status).toBe(200);
    // Both deliveries have failed their immediate record and are on the queue (Redis, not the database).
    await new Promise((r) => setTimeout(r, 1_500));
    await setReachable(db, true);

    const rows = await until('the spooled answer', async () => {
      const found = await db.prisma.response.findMany({ where: { personId: m.personId, comm: { key: m.comm } }, include: { history: true } });
      return found.length > 0 ? found : undefined;
    });
    await new Promise((r) => setTimeout(r, 1_000));
    const after = await db.prisma.response.findMany({ where: { personId: m.personId, comm: { key: m.comm } }, include: { history: true } });
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ option: 'good', channel: 'slack', comment: null });
    expect(after[0]!.history).toEqual([]);
    expect(after[0]!.updatedAt).toEqual(rows[0]!.updatedAt);
  });
});
