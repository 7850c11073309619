import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { loadPlanFile, type LoadedPlan } from '../../../src/app/load-plan.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { sandboxUsersFor, startHarness, waitForQuiet, type Harness } from '../../support/delivery.ts';
import { PG_ADMIN_URL } from '../../support/run-id.ts';
import { EXAMPLE_NOW } from '../../fixtures/example-now.ts';
import pg from 'pg';

let loaded: LoadedPlan;
let db: TestDatabase | undefined;
let h: Harness | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  loaded = await loadPlanFile('examples/m365-migration.plan.yaml');
});
afterEach(async () => {
  await h?.close();
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await db?.drop();
  h = undefined;
  db = undefined;
});

/**
 * Applies the example plan and makes `limit` Slack messages due now; every other row is cancelled
 * by id, not by date, since the example's dates pass one by one on the real calendar.
 */
async function dueNow(target: TestDatabase, limit: number, channel = 'slack'): Promise<number> {
  await applyPlan(target, { plan: loaded.plan, hash: loaded.hash, now: new Date(EXAMPLE_NOW) });
  const chosen = `SELECT "id" FROM "Message" WHERE "channel"=$1 ORDER BY "key" LIMIT $2`;
  await target.prisma.$executeRawUnsafe(`UPDATE "Message" SET "dueAt"=now() WHERE "id" IN (${chosen})`, channel, limit);
  await target.prisma.$executeRawUnsafe(`UPDATE "Message" SET "status"='cancelled' WHERE "id" NOT IN (${chosen})`, channel, limit);
  return limit;
}

/** The environment of a `herald worker` child process pointed at this test's servers. */
function workerEnv(target: TestDatabase, harness: Harness): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: target.url,
    REDIS_URL: harness.config.REDIS_URL,
    REDIS_PREFIX: harness.prefix,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_API_URL: harness.config.SLACK_API_URL,
    SMTP_URL: harness.config.SMTP_URL,
    HERALD_SECRET: harness.config.HERALD_SECRET,
    LOG_LEVEL: 'silent',
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a worker killed with SIGKILL', () => {
  it('loses no message; duplicates are bounded by the sends in flight', async () => {
    db = await createTestDatabase({ poolSize: 10 });
    const total = await dueNow(db, 300);
    // Every post takes 300 ms, so many sends are in flight when the worker dies.
    h = await startHarness(db, { slack: { users: sandboxUsersFor(loaded.plan) } });
    h.slack.inject('chat.postMessage', { delayMs: 300, times: Infinity });
    const child = spawn(process.execPath, ['bin/herald.js', 'worker', '--lock-ms', '2000', '--slack-concurrency', '20'], {
      env: workerEnv(db, h),
      stdio: 'ignore',
    });
    children.push(child);
    const sent = () => db!.prisma.message.count({ where: { status: 'sent' } });
    await waitFor(async () => (await sent()) >= 60, 30_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const inFlight = await db.prisma.message.count({ where: { status: 'sending' } });
    expect(inFlight).toBeGreaterThan(0);

    // A replacement worker takes over the abandoned sends once their locks expire.
    await h.startWorker({ lockDurationMs: 2000, staleSendingMs: 3000, sweep: { intervalMs: 200, horizonMs: 2000, strandedAfterMs: 3000 } });
    const counts = await waitForQuiet(db, 60_000);
    expect(counts).toEqual({ sent: total, cancelled: expect.any(Number) });
    const duplicates = h.slack.messages.length - total;
    expect(duplicates).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    console.log(`SIGKILL: ${total} messages, ${inFlight} in flight at the kill, ${duplicates} sent twice, 0 lost`);
  }, 90_000);
});

describe('a worker stopped with SIGTERM', () => {
  it('finishes the sends in flight, takes no new ones, and exits 0', async () => {
    db = await createTestDatabase({ poolSize: 10 });
    const total = await dueNow(db, 200);
    h = await startHarness(db, { slack: { users: sandboxUsersFor(loaded.plan) } });
    h.slack.inject('chat.postMessage', { delayMs: 1_000, times: Infinity });
    const child = spawn(process.execPath, ['bin/herald.js', 'worker', '--slack-concurrency', '10'], { env: workerEnv(db, h), stdio: 'ignore' });
    children.push(child);
    await waitFor(async () => (await db!.prisma.message.count({ where: { status: 'sending' } })) >= 5, 30_000);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    // Nothing was left half-sent, and everything it sent is recorded.
    expect(await db.prisma.message.count({ where: { status: 'sending' } })).toBe(0);
    const sent = await db.prisma.message.count({ where: { status: 'sent' } });
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(total);
    expect(h.slack.messages).toHaveLength(sent);
    // The rest is still there for the next worker.
    h.slack.clearInjections();
    await h.startWorker();
    expect(await waitForQuiet(db, 60_000)).toEqual({ sent: total, cancelled: expect.any(Number) });
    expect(h.slack.messages).toHaveLength(total);
  }, 90_000);
});

describe('Redis going away for a while', () => {
  it('delays sends and loses none, even when Redis comes back empty', async () => {
    const port = await freePort();
    const startRedis = () => {
      const r = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      children.push(r);
      return r;
    };
    let redis = startRedis();
    await new Promise((r) => setTimeout(r, 300));
    db = await createTestDatabase({ poolSize: 10 });
    h = await startHarness(db, { redisUrl: `redis://127.0.0.1:${port}`, slack: { users: sandboxUsersFor(loaded.plan) } });
    // Messages due over the next few seconds, some of them while Redis is down. The rest are
    // cancelled by id before the worker starts: the example's own dates pass on the real calendar.
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date(EXAMPLE_NOW) });
    const chosen = `SELECT "id" FROM "Message" ORDER BY "key" LIMIT 200`;
    await db.prisma.$executeRawUnsafe(`UPDATE "Message" SET "dueAt"=now() + interval '1 second' + (random() * interval '4 seconds') WHERE "id" IN (${chosen})`);
    await db.prisma.$executeRawUnsafe(`UPDATE "Message" SET "status"='cancelled' WHERE "id" NOT IN (${chosen})`);
    await h.startWorker({ onError: () => {} });
    await new Promise((r) => setTimeout(r, 1_000));
    redis.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 3_000));
    redis = startRedis();
    const counts = await waitForQuiet(db, 60_000);
    expect(counts).toEqual({ sent: 200, cancelled: expect.any(Number) });
    expect(h.slack.messages.length + h.smtp.messages.length).toBeGreaterThanOrEqual(200);
  }, 90_000);
});

describe('PostgreSQL refusing connections for a while', () => {
  it('delays sends and loses none', async () => {
    db = await createTestDatabase({ poolSize: 10 });
    const total = await dueNow(db, 100);
    await db.prisma.$executeRawUnsafe(`UPDATE "Message" SET "dueAt"=now() + interval '2 seconds' WHERE "status"='planned'`);
    const name = new URL(db.url).pathname.slice(1);
    h = await startHarness(db, { slack: { users: sandboxUsersFor(loaded.plan) } });
    await h.startWorker({ onError: () => {} });
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
      await new Promise((r) => setTimeout(r, 4_000));
    } finally {
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    const counts = await waitForQuiet(db, 60_000);
    expect(counts).toEqual({ sent: total, cancelled: expect.any(Number) });
  }, 90_000);
});
