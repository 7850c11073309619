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
import { createEmptyTestDatabase } from '../support/databases.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';
import { seedPlan, seededRandom, statusCounts, stopWorker, waitUntilSettled } from './support/chaos-fixture.ts';
import { countDelivered, withScenario } from './support/scenario.ts';
import { chaosTable, type ChaosRow } from './support/table.ts';

const SEED = Number(process.env.HERALD_CHAOS_SEED ?? Math.floor(Math.random() * 1e9));
// 2,000 e-mail and ~16 Slack calendar messages per 1,000 people: 2,500 people give the 5,000-message runs.
const PEOPLE = 2_500;

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
  const { rows: r } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Message" WHERE id = ANY($1::uuid[]) AND status='sending' AND "updatedAt" >= $2`, [ids, since]);
  return Number(r[0]?.n ?? 0);
}

describe('chaos: workers killed and stopped', () => {
  it('SIGKILL at ten random points while 5,000 messages are due: every message delivered, duplicates ≤ sends in flight at the kills', async () => {
    const random = seededRandom(SEED);
    const due = await dueNow(4_000, 1_000);
    // Rates that make the run last ~20 s, so the kills land while sends are in flight.
    await withScenario({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL, users, env: { EMAIL_RATE_PER_MINUTE: '12000', SLACK_WORKSPACE_RATE_PER_MINUTE: '3000' } }, async (s) => {
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
    });
  }, 480_000);

  it('SIGTERM three times mid-run: the sends in flight finish, none is sent twice', async () => {
    const due = await dueNow(1_000, 100);
    await withScenario({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL, users, env: { EMAIL_RATE_PER_MINUTE: '6000', SLACK_WORKSPACE_RATE_PER_MINUTE: '1200' } }, async (s) => {
      const codes: Array<number | null> = [];
      for (let k = 0; k < 3; k++) {
        const w = s.worker();
        await w.ready;
        // Stop it while it is sending: after 100 more messages went out (or 20 s).
        const target = (await sentCount(due)) + 100;
        const until = Date.now() + 20_000;
        while ((await sentCount(due)) < target && Date.now() < until) await sleep(100);
        codes.push(await stopWorker(w, 'SIGTERM'));
        step(`SIGTERM ${k + 1}: exit ${codes.at(-1)}, ${JSON.stringify(await statusCounts(c, due))}`);
      }
      s.worker();
      const counts = await waitUntilSettled(c, due, 120_000, 'after three SIGTERMs');
      const row = await countDelivered(c, s, due);
      rows.push({ scenario: 'worker SIGTERM ×3', ...row, notes: `exit codes ${codes.join(', ')}` });
      expect(codes).toEqual([0, 0, 0]);
      expect(counts).toEqual({ sent: due.length });
      expect(row.lost).toBe(0);
      expect(row.duplicates).toBe(0);
    });
  }, 240_000);
});
