/**
 * The target of the hostile-input suite: the real composition root (`startServer`, as `herald
 * serve` runs it) on loopback, with Slack interactivity over HTTP (against the Slack sandbox), the
 * inbound mail webhook, the dashboard and link pages all switched on, an injected clock, and two
 * seeded projects (the response-test plan with sent messages, and the example plan, which has a
 * digest). Tests reach it over real HTTP with fetch or raw sockets.
 */
import { afterAll, beforeAll } from 'vitest';
import { applyPlan } from '../../src/app/apply-plan.ts';
import { createApiToken } from '../../src/app/api-tokens.ts';
import { loadPlanFile } from '../../src/app/load-plan.ts';
import { loadConfig } from '../../src/config/config.ts';
import { signToken, type TokenPayload } from '../../src/domain/tokens.ts';
import { startServer, type ServerRuntime } from '../../src/main/server.ts';
import { startSlackSandbox, type SlackSandbox } from '../../src/sandbox/slack-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_SECRET, TestClock } from '../support/delivery.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../support/redis.ts';
import { seedResponses, type SeededResponses } from '../support/responses.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';
import { signInCookie } from '../support/sign-in.ts';

export const SIGNING_SECRET = 'signing-secret-for-security-tests';
export const INBOUND_SECRET = 'inbound-secret-for-security-tests';
/** The injected "now": inside the example plan's weeks, so its digest and calendar have data. */
export const NOW = new Date('2027-01-11T15:00:00Z');
export const EXAMPLE_PROJECT = 'northwind-m365';

export interface Target {
  url: string;
  db: TestDatabase;
  seed: SeededResponses;
  clock: TestClock;
  srv: ServerRuntime;
  tokens: Record<'admin' | 'editor' | 'viewer' | 'feed' | 'otherProject', string>;
  /** A link token for a seeded message, valid for a year from NOW. */
  link(kind: TokenPayload['k'], messageId: string, personId: string, option?: string): string;
  close(): Promise<void>;
}

export async function startTarget(env: Record<string, string> = {}): Promise<Target> {
  const clock = new TestClock();
  clock.set(NOW);
  const db = await createTestDatabase();
  const seed = await seedResponses(db, clock.now());
  const example = await loadPlanFile('examples/m365-migration.plan.yaml');
  await applyPlan(db, { plan: example.plan, hash: example.hash, now: clock.now() });
  const slack: SlackSandbox = await startSlackSandbox({ perChannelPerSecond: 0, users: [] });
  const prefix = testRedisPrefix();
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    HERALD_SECRET: TEST_SECRET,
    INBOUND_WEBHOOK_SECRET: INBOUND_SECRET,
    PUBLIC_URL: 'http://127.0.0.1',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const srv = await startServer(config, { db, clock, port: 0, host: '127.0.0.1' });
  const now = clock.now();
  const make = async (role: string, name: string, projectKey?: string) =>
    (await createApiToken(db, { role, name, now, ...(projectKey ? { projectKey } : {}) })).token;
  const tokens = {
    admin: await make('admin', 'sec-admin'),
    editor: await make('editor', 'sec-editor'),
    viewer: await make('viewer', 'sec-viewer'),
    feed: await make('feed', 'sec-feed', EXAMPLE_PROJECT),
    otherProject: await make('admin', 'sec-other', EXAMPLE_PROJECT),
  };
  const exp = Math.floor(now.getTime() / 1000) + 365 * 86400;
  return {
    url: srv.url,
    db,
    seed,
    clock,
    srv,
    tokens,
    link: (k, m, p, o) => signToken(TEST_SECRET, { k, m, p, exp, ...(o === undefined ? {} : { o }) }),
    async close() {
      await srv.close();
      await slack.close();
      await cleanupRedisPrefix(TEST_REDIS_URL, prefix);
      await db.drop();
    },
  };
}

/** One target for the whole file: started before its tests, closed after. */
export function useTarget(env: Record<string, string> = {}): () => Target {
  let t: Target | undefined;
  beforeAll(async () => {
    t = await startTarget(env);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });
  return () => {
    if (!t) throw new Error('the target did not start');
    return t;
  };
}

/** Every limit out of the way, for tests that send thousands of requests from one address. */
export const NO_RATE_LIMITS = {
  HTTP_RATE_LIMIT_PER_MINUTE: '10000000',
  HTTP_RATE_LIMIT_SIGNIN_PER_MINUTE: '10000000',
  HTTP_RATE_LIMIT_API_PER_MINUTE: '10000000',
  HTTP_RATE_LIMIT_SLACK_PER_MINUTE: '10000000',
  HTTP_RATE_LIMIT_WEBHOOK_PER_MINUTE: '10000000',
};

/** Signs in to the dashboard with `token` through its form; returns the session cookie header. */
export async function dashboardCookie(t: Target, token: string): Promise<string> {
  return signInCookie(
    {
      origin: t.url,
      send: async (req) => {
        const r = await fetch(`${t.url}${req.path}`, {
          method: req.method,
          redirect: 'manual',
          headers: req.headers,
          ...(req.body === undefined ? {} : { body: req.body }),
        });
        return { status: r.status, body: await r.text(), setCookie: r.headers.getSetCookie() };
      },
    },
    token,
  );
}
