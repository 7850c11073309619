/**
 * An acknowledged Slack click is never lost: the database is made unreachable for the first record
 * attempt (connections refused and dropped on the click's own per-test PostgreSQL database), the
 * click is acked and spooled to the click queue, and once the database is back the answer is
 * stored exactly once, even though Slack delivered the click twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import { startServer, type ServerRuntime } from '../../../src/main.ts';
import { blockActions, interactionBody, slackSignatureHeaders } from '../../../src/sandbox/slack-payloads.ts';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack-server.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_SECRET } from '../../support/delivery.ts';
import { quoteIdent, withAdmin } from '../../support/pg-admin.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../../support/redis.ts';
import { postSeededToSlack, seedResponses, type SeededResponses } from '../../support/responses.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

const SIGNING = 'signing-secret-for-tests';
const USERS = [
  { id: 'UANA00001', email: 'ana@herald.example', name: 'Ana' },
  { id: 'UBEN00001', email: 'ben@herald.example', name: 'Ben' },
];

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Refuses new connections to the database and drops the open ones: a real outage for this database only. */
async function setReachable(db: TestDatabase, reachable: boolean): Promise<void> {
  const name = new URL(db.url).pathname.slice(1);
  await withAdmin(inject('heraldPgAdminUrl'), async (c) => {
    await c.query(`ALTER DATABASE ${quoteIdent(name)} WITH ALLOW_CONNECTIONS ${reachable ? 'true' : 'false'}`);
    if (!reachable) await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  });
}

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

  it('a click acked while the database is down is recorded exactly once when it returns', async () => {
    const m = seed.message('checkin', 'ben', 'slack');
    const p = slack.messages.find((x) => x.channel === m.providerChannel && x.ts === m.providerId)!;
    const payload = blockActions({ user: m.slackId!, message: { channel: p.channel, ts: p.ts, blocks: p.blocks ?? [] }, actionId: 'herald_survey_good', value: JSON.stringify({ m: m.id, o: 'good' }) });
    const body = interactionBody(payload);
    const deliver = () => fetch(`${srv.url}/slack/events`, { method: 'POST', headers: slackSignatureHeaders(SIGNING, body), body });

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
