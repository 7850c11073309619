/**
 * The load soak of npm run test:chaos: `herald serve` and `herald worker` as their own processes
 * under steady sends, steady Slack clicks and steady answer-link POSTs for 2 minutes
 * (HERALD_SOAK_MINUTES=30 for the long one). Prints each process's RSS over time, the request
 * p99 and the error count; asserts no errors and no memory growth.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cancelPending, makeDue, pickEmail, sandboxUsers } from '../../bench/delivery-fixture.ts';
import { answerLinkRequest, markSurveysSent, postedSurvey, slackClickRequest, type LoadRequest, type SurveyMessage } from '../support/answer-requests.ts';
import { createEmptyTestDatabase } from '../support/databases.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';
import { CHAOS_SECRET, CHAOS_SIGNING, seedPlan, statusCounts } from './support/chaos-fixture.ts';
import { withScenario } from './support/scenario.ts';
import { formatTable } from './support/table.ts';

const MINUTES = Number(process.env.HERALD_SOAK_MINUTES ?? 2);
const DURATION_MS = MINUTES * 60_000;
const SAMPLE_MS = 10_000;
/** Requests per second of each kind (clicks, answer-link POSTs). */
const RATE = 10;
/** Messages sent per second, spread evenly over the run. */
const SEND_RATE = 5;
// Memory is judged after the start-up (JIT, caches, pools) has settled.
const WARM_UP_MS = 30_000;

let database: Awaited<ReturnType<typeof createEmptyTestDatabase>>;
let c: pg.Client;

beforeAll(async () => {
  database = await createEmptyTestDatabase();
  // ~2 e-mail messages per person: enough for SEND_RATE over the run, plus the survey answered.
  await seedPlan(database.url, Math.max(1_000, Math.ceil((SEND_RATE * DURATION_MS) / 1000 / 1.5)));
  c = new pg.Client({ connectionString: database.url });
  await c.connect();
}, 300_000);

afterAll(async () => {
  await c?.end().catch(() => {});
  await database?.drop();
});

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Growth, robust to GC saw-teeth: the median of the last third of the samples taken after the
 * warm-up against the median of the first third. Allowed: 25 % or 16 MiB, whichever is larger.
 */
function growth(samples: number[]): { first: number; last: number; grew: boolean } {
  const third = Math.max(1, Math.floor(samples.length / 3));
  const first = median(samples.slice(0, third));
  const last = median(samples.slice(-third));
  return { first, last, grew: last - first > Math.max(16, first * 0.25) };
}

it(
  `soak: ${MINUTES} min of steady sends, Slack clicks and answer-link POSTs — no errors, no memory growth`,
  async () => {
    const surveys = await markSurveysSent(c);
    const slackSurveys = surveys.filter((m) => m.channel === 'slack');
    const emailSurveys = surveys.filter((m) => m.channel === 'email');
    const users = await sandboxUsers(c);
    await cancelPending(c);
    const sends = await pickEmail(c, Math.floor((SEND_RATE * DURATION_MS) / 1000));
    const t0 = Date.now() + 5_000;
    await makeDue(
      c,
      sends,
      sends.map((_, i) => new Date(t0 + (i * DURATION_MS) / sends.length)),
    );

    await withScenario(
      { databaseUrl: database.url, redisUrl: TEST_REDIS_URL, users, slack: { perChannelPerSecond: 0 }, timeoutMs: DURATION_MS + 280_000 },
      async (s) => {
        for (const m of slackSurveys) s.slack.messages.push(postedSurvey(m));
        const serve = await s.serve();
        const worker = s.worker();
        await worker.ready;
        const latencies: number[] = [];
        const errors: string[] = [];
        const pending = new Set<Promise<void>>();
        const fire = (r: LoadRequest): void => {
          const started = performance.now();
          const p = fetch(`${serve.url}${r.path}`, { method: 'POST', headers: r.headers, body: r.body })
            .then(async (res) => {
              await res.arrayBuffer();
              latencies.push(performance.now() - started);
              if (res.status !== 200) errors.push(`${r.path.slice(0, 12)} answered ${res.status}`);
            })
            .catch((e: unknown) => void errors.push(`${r.path.slice(0, 12)}: ${String(e)}`))
            .finally(() => pending.delete(p));
          pending.add(p);
        };
        const samples: Array<{ at: number; serve: number; worker: number }> = [];
        const begin = Date.now();
        let nextSample = begin;
        let i = 0;
        const pick = (list: SurveyMessage[], k: number): SurveyMessage => list[k % list.length]!;
        while (Date.now() - begin < DURATION_MS) {
          if (Date.now() >= nextSample) {
            samples.push({ at: Math.round((Date.now() - begin) / 1000), serve: rssMiB(serve.child.pid!), worker: rssMiB(worker.pid) });
            nextSample += SAMPLE_MS;
          }
          // The same message is answered again on later rounds: a changed answer, as people do.
          fire(slackClickRequest(CHAOS_SIGNING, pick(slackSurveys, i), i));
          fire(answerLinkRequest(CHAOS_SECRET, pick(emailSurveys, i), i));
          i++;
          await sleep(1000 / RATE);
        }
        await Promise.all(pending);
        samples.push({ at: Math.round((Date.now() - begin) / 1000), serve: rssMiB(serve.child.pid!), worker: rssMiB(worker.pid) });
        // The last sends were due at the end of the run: give them a moment.
        const settleUntil = Date.now() + 30_000;
        let counts = await statusCounts(c, sends);
        while ((counts.sent ?? 0) < sends.length && Date.now() < settleUntil) {
          await sleep(500);
          counts = await statusCounts(c, sends);
        }
        const failedSends = sends.length - (counts.sent ?? 0);
        latencies.sort((a, b) => a - b);
        const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN;
        const p50 = latencies[Math.floor(latencies.length * 0.5)] ?? Number.NaN;
        const afterWarmUp = samples.filter((x) => x.at * 1000 >= WARM_UP_MS);
        const serveGrowth = growth(afterWarmUp.map((x) => x.serve));
        const workerGrowth = growth(afterWarmUp.map((x) => x.worker));
        console.log(
          `\nSoak, ${MINUTES} min: ${latencies.length} requests (${i} Slack clicks + ${i} answer-link POSTs), p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, ` +
            `${errors.length} request errors; ${counts.sent ?? 0} of ${sends.length} messages sent (${failedSends} not)\n` +
            formatTable(
              ['t (s)', 'serve RSS (MiB)', 'worker RSS (MiB)'],
              samples.map((x) => [String(x.at), x.serve.toFixed(1), x.worker.toFixed(1)]),
            ) +
            `\nRSS median first → last third after ${WARM_UP_MS / 1000} s: serve ${serveGrowth.first.toFixed(1)} → ${serveGrowth.last.toFixed(1)} MiB, worker ${workerGrowth.first.toFixed(1)} → ${workerGrowth.last.toFixed(1)} MiB\n`,
        );
        if (errors.length > 0) console.log(`first errors: ${errors.slice(0, 5).join('; ')}`);
        expect(errors).toEqual([]);
        expect(failedSends).toBe(0);
        expect(serveGrowth.grew).toBe(false);
        expect(workerGrowth.grew).toBe(false);
      },
    );
  },
  DURATION_MS + 300_000,
);
