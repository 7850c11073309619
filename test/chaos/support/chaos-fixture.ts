/**
 * The set-up the chaos scenarios share: a database holding the generated example plan at scale
 * (bench/generate-plan.ts, applied at a fixed instant), messages made due on demand with the
 * delivery benchmark's SQL, and `herald worker` child processes pointed at the Slack sandbox and
 * the SMTP sink. Counting is done at the sandboxes: every delivered message is recorded there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { openDatabase } from '../../../src/db/database.ts';
import type { SlackSandbox } from '../../../src/sandbox/slack-server.ts';
import type { SmtpSink } from '../../../src/sandbox/smtp-sink.ts';
import { generatePlan } from '../../../bench/generate-plan.ts';

export const CHAOS_SECRET = 'chaos-secret-0123456789abcdef';
export const CHAOS_SIGNING = 'chaos-signing-secret';
/** The plan is applied as of this instant; messages are then made due relative to the real clock. */
const APPLIED_AT = new Date('2026-11-20T12:00:00Z');

/** Applies the example plan with `people` generated people to the (empty or migrated) database at `url`. */
export async function seedPlan(url: string, people: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-chaos-plan-'));
  try {
    const loaded = await loadPlanFile(generatePlan(dir, people));
    const db = await openDatabase({ databaseUrl: url, dataDir: dir, migrate: true });
    try {
      await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: APPLIED_AT });
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves once the worker has logged that it started. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  /** The last few KiB it logged (to say why it died). */
  output(): string;
  /** Set by stopWorker: an exit without it is a crash. */
  stopping: boolean;
}

const running = new Set<ChildProcess>();
// A test that times out never reaches its clean-up: never leave a worker running after this process.
process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));

/** The environment of `herald worker` / `herald serve` pointed at a scenario's database, Redis and sandboxes. */
export function heraldEnv(o: {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  slack: SlackSandbox;
  smtp?: SmtpSink;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    REDIS_PREFIX: o.prefix,
    SLACK_BOT_TOKEN: 'xoxb-chaos',
    SLACK_SIGNING_SECRET: CHAOS_SIGNING,
    SLACK_API_URL: o.slack.url,
    ...(o.smtp ? { SMTP_URL: o.smtp.url } : {}),
    HERALD_SECRET: CHAOS_SECRET,
    PUBLIC_URL: 'http://herald.chaos.test',
    // The 5,000-message runs are mostly e-mail to the local sink: a high configured rate keeps them short.
    EMAIL_RATE_PER_MINUTE: '1000000',
    EMAIL_RECIPIENTS_PER_DAY: '100000000',
    SMTP_MAX_CONNECTIONS: '10',
    HTTP_RATE_LIMIT_PER_MINUTE: '1000000',
    // `herald serve` prints its errors (a 5xx says why in the test output); workers log at info (see startWorkerProcess).
    LOG_LEVEL: 'error',
    ...o.extra,
  };
}

/** Starts `herald worker` as its own process (the CLI, as an operator runs it). */
export function startWorkerProcess(env: Record<string, string>, args: string[] = []): WorkerProcess {
  const child = spawn(process.execPath, ['bin/herald.js', 'worker', '--lock-ms', '2000', '--email-concurrency', '20', '--slack-concurrency', '20', ...args], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  let tail = '';
  const ready = new Promise<void>((resolve, reject) => {
    // The CLI logs to stderr (stdout is for command output).
    const watch = (d: Buffer): void => {
      tail = (tail + d.toString()).slice(-4000);
      if (tail.includes('"worker started"')) resolve();
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    void exited.then((code) => reject(new Error(`herald worker exited (${code}) before it started: ${tail.slice(-1500)}`)));
  });
  ready.catch(() => {});
  return { child, pid: child.pid!, ready, exited, output: () => tail, stopping: false };
}

/** Stops a worker: SIGTERM (graceful) or SIGKILL; resolves with its exit code once it is gone. */
export async function stopWorker(w: WorkerProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null> {
  w.stopping = true;
  if (w.child.exitCode !== null || w.child.signalCode !== null) return w.child.exitCode;
  w.child.kill(signal);
  return w.exited;
}

/** Message counts by status among `ids`. */
export async function statusCounts(c: pg.Client | pg.Pool, ids: readonly string[]): Promise<Record<string, number>> {
  const { rows } = await c.query<{ status: string; n: number }>(
    `SELECT status::text AS status, count(*)::int AS n FROM "Message" WHERE id = ANY($1::uuid[]) GROUP BY 1`,
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Polls until none of `ids` is planned, queued or sending; returns the final counts (or throws after `timeoutMs`). */
export async function waitUntilSettled(c: pg.Client | pg.Pool, ids: readonly string[], timeoutMs: number, what: string): Promise<Record<string, number>> {
  const end = Date.now() + timeoutMs;
  let nextLog = Date.now() + 10_000;
  for (;;) {
    const counts = await statusCounts(c, ids).catch(() => undefined);
    if (counts && (counts.planned ?? 0) + (counts.queued ?? 0) + (counts.sending ?? 0) === 0) return counts;
    if (Date.now() > end) throw new Error(`${what}: messages still pending after ${timeoutMs / 1000} s: ${JSON.stringify(counts)}`);
    if (Date.now() > nextLog) {
      nextLog = Date.now() + 10_000;
      console.log(`[chaos] ${what}: waiting, ${JSON.stringify(counts)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A seeded pseudo-random generator (mulberry32), so a failing run can be replayed with its printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Delivered copies per Herald message id: e-mail by X-Herald-Message-Id at the sink. */
export function emailDeliveries(smtp: SmtpSink): Map<string, number> {
  const byId = new Map<string, number>();
  for (const m of smtp.messages) {
    const id = m.headers['x-herald-message-id'] ?? m.messageId;
    byId.set(id, (byId.get(id) ?? 0) + 1);
  }
  return byId;
}

/** Slack posts per DM user (the scenarios send at most one Slack message per person). */
export function slackDeliveriesByUser(slack: SlackSandbox): Map<string, number> {
  const byUser = new Map<string, number>();
  for (const m of slack.messages) if (m.user) byUser.set(m.user, (byUser.get(m.user) ?? 0) + 1);
  return byUser;
}
