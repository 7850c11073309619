/**
 * npm run test:chaos — faults against real processes on loopback: `herald worker` killed and
 * stopped, Redis and PostgreSQL restarted, the mail server deferring and rejecting, Slack rate
 * limiting and failing, two workers and two servers at once. Every scenario has a hard timeout
 * and stops itself; the table (scenario, due, delivered, lost, duplicates) prints at the end.
 * HERALD_CHAOS_SEED replays a run's random kill points (the seed is printed).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelPending, makeDue, pickEmail, pickSlackOnePerPerson, sandboxUsers } from '../../bench/delivery-fixture.ts';
import type { SandboxUser } from '../../src/sandbox/slack-server.ts';
import { answerLinkRequest, markSurveysSent, postedSurvey, slackClickRequest } from '../support/answer-requests.ts';
import { createEmptyTestDatabase } from '../support/databases.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';
import { CHAOS_SECRET, CHAOS_SIGNING, seedPlan, seededRandom, statusCounts, stopWorker, waitUntilSettled } from './support/chaos-fixture.ts';
import { startPrivatePostgres, startPrivateRedis } from './support/private-services.ts';
import { countDelivered, withScenario } from './support/scenario.ts';
import { chaosTable, type ChaosRow } from './support/table.ts';

const SEED = Number(process.env.HERALD_CHAOS_SEED ?? Math.floor(Math.random() * 1e9));
// 2,000 e-mail calendar messages per 1,000 people, and the scenarios on this database take 6,500
// e-mail messages between them (a sent one is never picked again): 3,500 people give 7,000.
const PEOPLE = 3_500;

const rows: ChaosRow[] = [];
const t0 = Date.now();
/** Progress with the seconds since the file started, so a stuck scenario shows where it stopped. */
const step = (line: string): void => console.log(`[chaos +${((Date.now() - t0) / 1000).toFixed(1)} s] ${line}`);
let database: Awaited<ReturnType<typeof createEmptyTestDatabase>>;
let c: pg.Client;
let users: SandboxUser[];

beforeAll(async () => {
  console.log(`chaos seed ${SEED} (HERALD_CHAOS_SEED=${SEED} replays the kill points)`);
  database = await createEmptyTestDatabase();
  await seedPlan(database.url, PEOPLE);
  step(`plan applied for ${PEOPLE} people`);
  c = new pg.Client({ connectionString: database.url });
  await c.connect();
  users = await sandboxUsers(c);
}, 180_000);

afterAll(async () => {
  await c?.end().catch(() => {});
  await database?.drop();
  console.log(`\nChaos suite (seed ${SEED}):\n${chaosTable(rows)}\n`);
});

/** Cancels whatever an earlier scenario left, then makes `email` e-mail and `slack` Slack messages (one per person) due now. */
async function dueNow(email: number, slack: number): Promise<string[]> {
  await cancelPending(c);
  const ids = [...(await pickEmail(c, email)), ...(await pickSlackOnePerPerson(c, slack))];
  await makeDue(c, ids, new Date());
  return ids;
}

async function sentCount(ids: readonly string[]): Promise<number> {
  const { rows: r } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Message" WHERE id = ANY($1::uuid[]) AND status='sent'`, [ids]);
  return Number(r[0]?.n ?? 0);
}

/** Rows of `ids` in `sending` claimed since `since`: the sends in flight in the worker started then. */
async function inFlightSince(ids: readonly string[], since: Date): Promise<number> {
  const { rows: r } = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Message" WHERE id = ANY($1::uuid[]) AND status='sending' AND "updatedAt" >= $2`,
    [ids, since],
  );
  return Number(r[0]?.n ?? 0);
}

describe('chaos: workers killed and stopped', () => {
  it('SIGKILL at ten random points while 5,000 messages are due: every message delivered, duplicates ≤ sends in flight at the kills', async () => {
    const random = seededRandom(SEED);
    const due = await dueNow(4_000, 1_000);
    // Rates that make the run last ~20 s, so the kills land while sends are in flight.
    await withScenario(
      {
        databaseUrl: database.url,
        redisUrl: TEST_REDIS_URL,
        users,
        timeoutMs: 460_000,
        env: { EMAIL_RATE_PER_MINUTE: '12000', SLACK_WORKSPACE_RATE_PER_MINUTE: '3000' },
      },
      async (s) => {
        const inFlight: number[] = [];
        for (let k = 0; k < 10; k++) {
          const startedAt = new Date();
          const w = s.worker();
          await w.ready;
          // A random point in the sending: after 50–400 more messages went out (or 20 s, whichever first).
          const target = (await sentCount(due)) + 50 + Math.floor(random() * 350);
          const until = Date.now() + 20_000;
          while ((await sentCount(due)) < target && Date.now() < until) await sleep(50 + random() * 100);
          await stopWorker(w, 'SIGKILL');
          inFlight.push(await inFlightSince(due, startedAt));
          step(`SIGKILL ${k + 1}: ${inFlight.at(-1)} in flight, ${JSON.stringify(await statusCounts(c, due))}`);
        }
        s.worker();
        const counts = await waitUntilSettled(c, due, 240_000, 'after ten SIGKILLs');
        const row = await countDelivered(c, s, due);
        const bound = inFlight.reduce((a, b) => a + b, 0);
        rows.push({ scenario: 'worker SIGKILL ×10', ...row, notes: `in flight at the kills: ${inFlight.join(', ')} (Σ ${bound})` });
        expect(counts).toEqual({ sent: due.length });
        expect(row.lost).toBe(0);
        expect(row.duplicates).toBeLessThanOrEqual(bound);
      },
    );
  }, 480_000);

  it('SIGTERM three times mid-run: the sends in flight finish, none is sent twice', async () => {
    const due = await dueNow(1_000, 100);
    await withScenario(
      {
        databaseUrl: database.url,
        redisUrl: TEST_REDIS_URL,
        users,
        timeoutMs: 230_000,
        env: { EMAIL_RATE_PER_MINUTE: '6000', SLACK_WORKSPACE_RATE_PER_MINUTE: '1200' },
      },
      async (s) => {
        const codes: Array<number | null> = [];
        for (let k = 0; k < 3; k++) {
          // The default job lock (30 s): with the 2 s one of the SIGKILL run, a send held up longer than
          // 10 s on a starved machine counts as abandoned and is claimed again (see README "Reliability").
          const w = s.worker(['--lock-ms', '30000']);
          await w.ready;
          // Stop it while it is sending: after 100 more messages went out (or 20 s).
          const target = (await sentCount(due)) + 100;
          const until = Date.now() + 20_000;
          while ((await sentCount(due)) < target && Date.now() < until) await sleep(100);
          codes.push(await stopWorker(w, 'SIGTERM'));
          step(`SIGTERM ${k + 1}: exit ${codes.at(-1)}, ${JSON.stringify(await statusCounts(c, due))}`);
        }
        s.worker(['--lock-ms', '30000']);
        const counts = await waitUntilSettled(c, due, 120_000, 'after three SIGTERMs');
        const row = await countDelivered(c, s, due);
        rows.push({ scenario: 'worker SIGTERM ×3', ...row, notes: `exit codes ${codes.join(', ')}` });
        expect(codes).toEqual([0, 0, 0]);
        expect(counts).toEqual({ sent: due.length });
        expect(row.lost).toBe(0);
        expect(row.duplicates).toBe(0);
      },
    );
  }, 240_000);
});

describe('chaos: providers failing', () => {
  it('SMTP answers 421/451 for 30 s then recovers, and 550 for one address; Slack answers 429 in bursts and 5xx at random', async () => {
    const random = seededRandom(SEED + 1);
    const email = await pickEmail(c, 500);
    await cancelPending(c);
    const slackIds = await pickSlackOnePerPerson(c, 200);
    const due = [...email, ...slackIds];
    // One address is refused for good: every message of the run to it fails at once, untried again.
    const { rows: bad } = await c.query<{ email: string; ids: string[] }>(
      `SELECT p.email, array_agg(m.id::text) AS ids FROM "Message" m JOIN "Person" p ON p.id = m."personId" WHERE m.id = ANY($1::uuid[]) GROUP BY p.email ORDER BY p.email LIMIT 1`,
      [email],
    );
    const badAddress = bad[0]!.email;
    const badIds = bad[0]!.ids;
    await withScenario(
      {
        databaseUrl: database.url,
        redisUrl: TEST_REDIS_URL,
        users,
        // Slack's own limits, enforced by the sandbox, with Herald configured to the same workspace rate.
        slack: { perChannelPerSecond: 1, workspacePerMinute: 600 },
        env: { SLACK_WORKSPACE_RATE_PER_MINUTE: '600', EMAIL_RATE_PER_MINUTE: '3000' },
        timeoutMs: 290_000,
      },
      async (s) => {
        s.smtp.inject({ code: 550, stage: 'rcpt', times: Infinity, match: (r) => r === badAddress });
        s.smtp.inject({ code: 421, stage: 'rcpt', forMs: 30_000, match: (r) => Number(/\d+/.exec(r)?.[0] ?? 0) % 2 === 0 });
        s.smtp.inject({ code: 451, stage: 'data', forMs: 30_000 });
        s.slack.inject('chat.postMessage', { status: 503, probability: 0.05, random, times: Infinity });
        await makeDue(c, due, new Date());
        // Ten bursts of 429s (Retry-After 2 s): the first before the worker's first post (its limiter lets
        // a minute's allowance out at once on a fast machine), then one every 4 s while messages go out.
        let burstsLeft = 9;
        s.slack.inject('chat.postMessage', { status: 429, retryAfter: 2, times: 10 });
        // Only while at least a burst's worth of Slack messages is still to go: injected 429s wait until a
        // post takes them, so a burst added when one or two messages are left was drained at one 429 per
        // Retry-After and outlasted the scenario's 180 s (seen once: 1 message "queued" after 80 retries).
        const bursts = setInterval(() => {
          const posted = s.slack.callsTo('chat.postMessage').filter((p) => p.status === 200).length;
          if (slackIds.length - posted < 20) burstsLeft = 0;
          if (burstsLeft-- > 0) s.slack.inject('chat.postMessage', { status: 429, retryAfter: 2, times: 10 });
        }, 4_000);
        s.worker();
        let counts: Record<string, number>;
        try {
          counts = await waitUntilSettled(c, due, 180_000, 'SMTP and Slack faults');
        } finally {
          clearInterval(bursts);
        }
        const emailRow = await countDelivered(c, s, email, badIds);
        const slackRow = await countDelivered(c, s, slackIds);
        const posts = s.slack.callsTo('chat.postMessage');
        const refusedBySlackLimits = posts.filter((p) => p.status === 429 && !p.injected).length;
        const injected429 = posts.filter((p) => p.status === 429 && p.injected);
        // A post to a channel before the Retry-After it was given for that channel ran out.
        const early = injected429.filter((r) =>
          posts.some((p) => p.body.channel === r.body.channel && p.at > r.at && p.at < r.at + (r.retryAfter ?? 1) * 1000),
        ).length;
        const badRefusals = s.smtp.rejections.filter((r) => r.code === 550).length;
        const deferred = s.smtp.rejections.filter((r) => r.code !== 550).length;
        const { rows: failed } = await c.query<{ id: string; lastError: string | null }>(
          `SELECT id, "lastError" FROM "Message" WHERE id = ANY($1::uuid[]) AND status='failed'`,
          [due],
        );
        rows.push({
          scenario: 'SMTP 421/451 for 30 s, 550 for one address',
          ...emailRow,
          notes: `${deferred} deferrals; ${badIds.length} to the refused address failed (${badRefusals} RCPT refused)`,
        });
        rows.push({
          scenario: 'Slack 429 bursts + random 5xx',
          ...slackRow,
          notes: `${injected429.length} 429s, ${posts.filter((p) => p.status >= 500).length} 5xx; over the limit ${refusedBySlackLimits}, before Retry-After ${early}`,
        });
        expect(counts).toEqual({ sent: due.length - badIds.length, failed: badIds.length });
        expect(emailRow.lost).toBe(0);
        expect(slackRow.lost).toBe(0);
        expect(emailRow.duplicates + slackRow.duplicates).toBe(0);
        expect(deferred).toBeGreaterThan(0);
        // The refused address: tried once, never retried, shown as failed with the server's answer.
        expect(failed.map((f) => f.id).sort()).toEqual([...badIds].sort());
        // Each RCPT refusal ends one message for good, with the server's answer (normally one: the messages
        // after it fail at once, before any SMTP, as rejected earlier; two only if both were in flight).
        expect(badRefusals).toBeGreaterThanOrEqual(1);
        expect(failed.filter((f) => /55\d/.test(f.lastError ?? ''))).toHaveLength(badRefusals);
        for (const f of failed) expect(f.lastError).toMatch(/55\d|rejected .* earlier/);
        expect(injected429.length).toBeGreaterThan(0);
        expect(refusedBySlackLimits).toBe(0);
        expect(early).toBe(0);
      },
    );
  }, 300_000);
});

describe('chaos: Redis and PostgreSQL restarted mid-run', () => {
  it('a private redis-server and PostgreSQL cluster stopped and started while messages are due: nothing lost, sending resumes by itself', async () => {
    const redis = await startPrivateRedis();
    const postgres = await startPrivatePostgres();
    let pool: pg.Pool | undefined;
    try {
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      await admin.query('CREATE DATABASE herald');
      await admin.end();
      const url = postgres.url.replace(/\/postgres$/, '/herald');
      await seedPlan(url, 300);
      const setup = new pg.Client({ connectionString: url });
      await setup.connect();
      await cancelPending(setup);
      const due = [...(await pickEmail(setup, 500)), ...(await pickSlackOnePerPerson(setup, 100))];
      const people = await sandboxUsers(setup);
      // Due over ~20 s from now, so sends are going on across both restarts.
      const start = Date.now() + 2_000;
      await makeDue(
        setup,
        due,
        due.map((_, i) => new Date(start + (i % 100) * 200)),
      );
      await setup.end();
      // A pool reconnects by itself after the restart; a single client would stay broken.
      pool = new pg.Pool({ connectionString: url, max: 2 });
      pool.on('error', () => {});
      const p = pool;
      await withScenario({ databaseUrl: url, redisUrl: redis.url, users: people, slack: { perChannelPerSecond: 0 }, timeoutMs: 300_000 }, async (s) => {
        await s.worker().ready;
        await sleep(3_000);
        await redis.stop();
        step(`Redis stopped: ${JSON.stringify(await statusCounts(p, due))}`);
        await sleep(4_000);
        await redis.start();
        step('Redis started again (empty)');
        await sleep(3_000);
        await postgres.stop();
        step('PostgreSQL stopped');
        await sleep(4_000);
        await postgres.start();
        step(`PostgreSQL started again: ${JSON.stringify(await statusCounts(p, due))}`);
        const counts = await waitUntilSettled(p, due, 180_000, 'after the restarts');
        const row = await countDelivered(p, s, due);
        rows.push({ scenario: 'Redis and PostgreSQL restarted', ...row, notes: 'each down 4 s; Redis back empty' });
        expect(counts).toEqual({ sent: due.length });
        expect(row.lost).toBe(0);
      });
    } finally {
      await pool?.end().catch(() => {});
      await redis.remove();
      await postgres.remove();
    }
  }, 420_000);
});

describe('chaos: two workers and two servers at once', () => {
  it('messages due on both workers, every answer posted to both servers at once: no duplicate sends or answers', async () => {
    const surveys = await markSurveysSent(c);
    const slackSurveys = surveys.filter((m) => m.channel === 'slack').slice(0, 100);
    const slackPeople = new Set(slackSurveys.map((m) => m.personId));
    // One answer per (survey, occurrence, person): the e-mail ones are of other people than the Slack ones.
    const emailSurveys = surveys.filter((m) => m.channel === 'email' && !slackPeople.has(m.personId)).slice(0, 100);
    const answered = [...slackSurveys, ...emailSurveys].map((m) => m.id);
    // Slack sends counted per DM: none to the people who click (a click may bring a follow-up post).
    await cancelPending(c);
    const due = [...(await pickEmail(c, 1_000)), ...(await pickSlackOnePerPerson(c, 200, [...slackPeople]))];
    await makeDue(c, due, new Date());
    await withScenario(
      {
        databaseUrl: database.url,
        redisUrl: TEST_REDIS_URL,
        users,
        slack: { perChannelPerSecond: 0 },
        timeoutMs: 400_000,
        env: { EMAIL_RATE_PER_MINUTE: '6000', SLACK_WORKSPACE_RATE_PER_MINUTE: '3000' },
      },
      async (s) => {
        for (const m of slackSurveys) s.slack.messages.push(postedSurvey(m));
        const servers = await Promise.all([s.serve(), s.serve()]);
        // The default job lock (30 s); with 2 s, a send slower than 10 s on a starved machine is taken over by the other worker and sent twice.
        await Promise.all([s.worker(['--lock-ms', '30000']).ready, s.worker(['--lock-ms', '30000']).ready]);
        // Option 0 ("Working well") escalates nothing, so the sends counted are only the due ones.
        const requests = [
          ...slackSurveys.map((m) => slackClickRequest(CHAOS_SIGNING, m, 0)),
          ...emailSurveys.map((m) => answerLinkRequest(CHAOS_SECRET, m, 0)),
        ];
        const statuses: number[] = [];
        for (let k = 0; k < requests.length; k += 20) {
          const batch = requests
            .slice(k, k + 20)
            .flatMap((r) => servers.map((srv) => fetch(`${srv.url}${r.path}`, { method: 'POST', headers: r.headers, body: r.body }).then((res) => res.status)));
          statuses.push(...(await Promise.all(batch)));
        }
        const counts = await waitUntilSettled(c, due, 240_000, 'two workers');
        // Listeners finish after the ack: wait until every answer is in (or 60 s).
        let stored = 0;
        const end = Date.now() + 60_000;
        do {
          const { rows: r } = await c.query<{ n: number; d: number }>(`SELECT count(*)::int AS n FROM "Response" WHERE "messageId" = ANY($1::uuid[])`, [
            answered,
          ]);
          stored = Number(r[0]?.n ?? 0);
          if (stored >= answered.length) break;
          await sleep(250);
        } while (Date.now() < end);
        await sleep(1_000);
        const { rows: final } = await c.query<{ n: number; d: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT "messageId")::int AS d FROM "Response" WHERE "messageId" = ANY($1::uuid[])`,
          [answered],
        );
        stored = Number(final[0]?.n ?? 0);
        const twice = stored - Number(final[0]?.d ?? 0);
        const row = await countDelivered(c, s, due);
        const not200 = statuses.filter((x) => x !== 200).length;
        rows.push({
          scenario: 'two workers + two servers',
          ...row,
          notes: `${answered.length} answers, each posted to both servers: ${stored} stored, ${twice} twice, ${not200} not 200`,
        });
        expect(counts).toEqual({ sent: due.length });
        expect(row.lost).toBe(0);
        expect(row.duplicates).toBe(0);
        expect(not200).toBe(0);
        expect(stored).toBe(answered.length);
        expect(twice).toBe(0);
      },
    );
  }, 420_000);
});
