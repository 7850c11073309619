/**
 * The set-up `npm run bench:responses` shares between its parts: a throw-away PostgreSQL database
 * holding the example plan at scale with its survey messages marked sent, the Slack sandbox, and
 * `herald serve` as its own process (so the load generator does not share its event loop).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type pg from 'pg';
import { applyPlan } from '../src/app/apply-plan.ts';
import { loadPlanFile } from '../src/app/load-plan.ts';
import { openDatabase } from '../src/db/database.ts';
import type { SlackSandbox } from '../src/sandbox/slack-server.ts';
import type { BenchDatabase } from './delivery-fixture.ts';
import { generatePlan } from './generate-plan.ts';
export { startServeProcess } from '../test/support/serve-process.ts';
import { markSurveysSent, type LoadRequest, type SurveyMessage } from '../test/support/answer-requests.ts';
export type { LoadRequest, SurveyMessage } from '../test/support/answer-requests.ts';

export const BENCH_SECRET = 'bench-secret-0123456789abcdef';
export const BENCH_SIGNING = 'bench-signing-secret';

/** What each part of the benchmark gets; parts print their own figures with `report`. */
/** One kind of answer bench:responses measures (Slack clicks, answer links, SMTP replies). */
export interface ResponseBenchPart {
  name: string;
  /** Extra environment for the `herald serve` process (e.g. INBOUND_SMTP_PORT for an SMTP part). */
  serveEnv?(): Promise<Record<string, string>> | Record<string, string>;
  run(ctx: ResponsesBenchContext): Promise<void>;
}

export interface ResponsesBenchContext {
  db: BenchDatabase;
  sql: pg.Client;
  serverUrl: string;
  /** The `herald serve` process, to charge CPU to it. */
  serverPid: number;
  slack: SlackSandbox;
  secret: string;
  signingSecret: string;
  /** Sent survey messages of the `hypercare-checkin` comm, by channel, not yet used by another part. */
  take(channel: 'slack' | 'email', n: number): SurveyMessage[];
  report(label: string, figure: string, aim?: string): void;
}

/**
 * Applies the generated plan and marks every hypercare-checkin message sent (Slack ones with a
 * channel and ts); returns the calendar messages only. A reminder shares its comm, occurrence and
 * person with the message it reminds of, so an answer to both is one response: counting them as
 * two distinct answers made "stored" look short of "distinct" by the answers given twice.
 */
export async function seedSurveyMessages(bench: BenchDatabase, people: number): Promise<SurveyMessage[]> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-responses-'));
  const loaded = await loadPlanFile(generatePlan(dir, people));
  const db = await openDatabase({ databaseUrl: bench.url, dataDir: dir });
  try {
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date('2026-11-20T12:00:00Z') });
  } finally {
    await db.close();
  }
  return markSurveysSent(await bench.sql());
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the full line, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Fires `requests` in order at `rate` per second over a few connections; returns autocannon's result. */
export async function fireAtRate(url: string, requests: LoadRequest[], rate: number, durationS: number): Promise<autocannon.Result> {
  let i = 0;
  return autocannon({
    url,
    connections: 20,
    overallRate: rate,
    duration: durationS,
    amount: requests.length,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = requests[i++ % requests.length]!;
          return { ...req, method: 'POST', path: r.path, headers: r.headers, body: r.body };
        },
      },
    ],
  });
}

/** The click list: every distinct click once, plus `dupShare` of them again (a redelivery), shuffled deterministically. */
export function withDuplicates<T>(distinct: T[], dupShare: number): T[] {
  const out = [...distinct];
  const dups = Math.floor(distinct.length * dupShare);
  for (let k = 0; k < dups; k++) out.push(distinct[(k * 7919) % distinct.length]!);
  // Deterministic shuffle (LCG) so duplicates arrive spread through the run, some close to their first.
  let seed = 12345;
  for (let k = out.length - 1; k > 0; k--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (k + 1);
    [out[k], out[j]] = [out[j]!, out[k]!];
  }
  return out;
}
