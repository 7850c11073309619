/**
 * The database, Redis and worker-process plumbing of `npm run bench:delivery`: a throw-away
 * PostgreSQL database holding the generated example plan, SQL that makes chosen messages due,
 * and a forked worker process driven over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { SandboxUser } from '../src/sandbox/slack-server.ts';
import { deleteByPrefix } from '../test/support/redis.ts';
import type { Concurrency, FromWorker, ToWorker, WorkerReport } from './delivery-worker.ts';

export class BenchDatabase {
  readonly url: string;
  private readonly admin: pg.Client;
  private client: pg.Client | undefined;

  private constructor(
    adminUrl: string,
    private readonly name: string,
  ) {
    this.admin = new pg.Client({ connectionString: adminUrl });
    this.url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  }

  static async create(adminUrl: string): Promise<BenchDatabase> {
    const db = new BenchDatabase(adminUrl, `herald_bench_delivery_${process.pid}_${Date.now().toString(36)}`);
    await db.admin.connect();
    await db.admin.query(`CREATE DATABASE ${db.name}`);
    return db;
  }

  /** A plain connection to the bench database (after the plan created the schema). */
  async sql(): Promise<pg.Client> {
    if (!this.client) {
      this.client = new pg.Client({ connectionString: this.url });
      await this.client.connect();
    }
    return this.client;
  }

  async drop(): Promise<void> {
    await this.client?.end().catch(() => {});
    await this.admin.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    await this.admin.end();
  }
}

/** Every person as a sandbox Slack user: their Slack id, or a made-up one found by users.lookupByEmail. */
export async function sandboxUsers(c: pg.Client): Promise<SandboxUser[]> {
  const { rows } = await c.query<{ key: string; email: string | null; slackId: string | null }>(`SELECT "key", "email", "slackId" FROM "Person"`);
  return rows.map((r) => ({ id: r.slackId ?? `UL${r.key.toUpperCase()}`, email: r.email ?? `${r.key}@nobody.bench.example` }));
}

/**
 * Slack messages to `persons` distinct people, one each (Herald paces a DM channel to 1 message/s).
 * Every pick is of calendar comms: a reminder made due on its own is skipped (its survey was never sent).
 */
export async function pickSlackOnePerPerson(c: pg.Client, persons: number, exclude: readonly string[] = []): Promise<string[]> {
  const { rows } = await c.query<{ id: string }>(
    `SELECT id FROM (
       SELECT DISTINCT ON ("personId") id, "personId" FROM "Message"
       WHERE channel='slack' AND kind='comm' AND status IN ('planned','cancelled') AND NOT ("personId" = ANY($2::uuid[]))
       ORDER BY "personId", "dueAt") s
     ORDER BY md5(s."personId"::text) LIMIT $1`,
    [persons, exclude],
  );
  return rows.map((r) => r.id);
}

export async function pickEmail(c: pg.Client, n: number): Promise<string[]> {
  const { rows } = await c.query<{ id: string }>(
    // Not to an address a mail server refused earlier (a chaos scenario refuses one): those fail at once by design.
    `SELECT m.id FROM "Message" m JOIN "Person" p ON p.id = m."personId"
     WHERE m.channel='email' AND m.kind='comm' AND m.status IN ('planned','cancelled') AND p."emailRejectedAt" IS NULL
     ORDER BY md5(m.id::text) LIMIT $1`,
    [n],
  );
  return rows.map((r) => r.id);
}

/** `perPerson` Slack messages each to `persons` people who have a Slack id. */
export async function pickSlackBursts(c: pg.Client, persons: number, perPerson: number): Promise<{ ids: string[]; personIds: string[] }> {
  const { rows } = await c.query<{ personId: string; ids: string[] }>(
    `SELECT m."personId", (array_agg(m.id ORDER BY m."dueAt"))[1:$2] AS ids
     FROM "Message" m JOIN "Person" p ON p.id = m."personId"
     WHERE m.channel='slack' AND m.kind='comm' AND m.status IN ('planned','cancelled') AND p."slackId" IS NOT NULL
     GROUP BY m."personId" HAVING count(*) >= $2 ORDER BY md5(m."personId"::text) LIMIT $1`,
    [persons, perPerson],
  );
  return { ids: rows.flatMap((r) => r.ids), personIds: rows.map((r) => r.personId) };
}

export async function personsOf(c: pg.Client, ids: readonly string[]): Promise<string[]> {
  const { rows } = await c.query<{ personId: string }>(`SELECT DISTINCT "personId" FROM "Message" WHERE id = ANY($1::uuid[])`, [ids]);
  return rows.map((r) => r.personId);
}

/** Cancels every message that is not yet done, so only the ones a scenario makes due get sent. */
export async function cancelPending(c: pg.Client): Promise<void> {
  await c.query(`UPDATE "Message" SET status='cancelled' WHERE status IN ('planned','queued','sending')`);
}

/** Makes the messages planned again and due at the given instants (one each, or one for all). */
export async function makeDue(c: pg.Client, ids: readonly string[], dueAt: Date | readonly Date[]): Promise<void> {
  const instants = Array.isArray(dueAt) ? dueAt.map((d) => d.toISOString()) : ids.map(() => (dueAt as Date).toISOString());
  await c.query(
    `UPDATE "Message" m SET status='planned', "dueAt"=d.at, attempts=0, "sentAt"=NULL, "providerId"=NULL, "providerChannel"=NULL, "lastError"=NULL, "updatedAt"=now()
     FROM unnest($1::uuid[], $2::timestamptz[]) AS d(id, at) WHERE m.id = d.id`,
    [ids, instants],
  );
}

export interface Outcomes {
  byStatus: Record<string, number>;
  /** Not yet in a final state. */
  pending: number;
  firstSentAt?: number;
  lastSentAt?: number;
}

export async function outcomes(c: pg.Client, ids: readonly string[]): Promise<Outcomes> {
  const { rows } = await c.query<{ status: string; n: number; first: Date | null; last: Date | null }>(
    `SELECT status, count(*)::int AS n, min("sentAt") AS first, max("sentAt") AS last FROM "Message" WHERE id = ANY($1::uuid[]) GROUP BY status`,
    [ids],
  );
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  const sent = rows.find((r) => r.status === 'sent');
  const pending = rows.filter((r) => ['planned', 'queued', 'sending'].includes(r.status)).reduce((a, r) => a + r.n, 0);
  return {
    byStatus,
    pending,
    ...(sent?.first ? { firstSentAt: sent.first.getTime() } : {}),
    ...(sent?.last ? { lastSentAt: sent.last.getTime() } : {}),
  };
}

/**
 * Polls until no message is pending or the deadline passes, then reads the outcome. Scenarios
 * cancel everything else first, so the pending count (on the status index) is theirs; a poll
 * by id list would cost PostgreSQL more than the pipeline's own queries.
 */
export async function waitForFinal(c: pg.Client, ids: readonly string[], timeoutMs: number, pollMs = 100): Promise<Outcomes & { timedOut: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let timedOut = false;
  for (;;) {
    const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Message" WHERE status IN ('planned','queued','sending')`);
    if ((rows[0]?.n ?? 0) === 0) break;
    if (Date.now() >= deadline) {
      timedOut = true;
      break;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return { ...(await outcomes(c, ids)), timedOut };
}

/** Deletes every key under `prefix` (SCAN + UNLINK, never KEYS). */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    return await deleteByPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/** A forked bench/delivery-worker.ts process. */
export class WorkerProcess {
  private readonly child: ChildProcess;
  private readonly inbox: FromWorker[] = [];
  private readonly waiters = new Set<() => void>();
  private exited = false;

  constructor(opts: { cpuProfileDir?: string } = {}) {
    const execArgv = [
      '--import',
      'tsx',
      // The compiled build, as `herald worker` runs it (see bench/dist-hooks.mjs).
      ...(process.env.BENCH_WORKER_BUILD === 'dist' ? ['--import', new URL('./dist-hooks.mjs', import.meta.url).href] : []),
      ...(opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : []),
    ];
    this.child = fork(new URL('./delivery-worker.ts', import.meta.url), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: FromWorker) => {
      this.inbox.push(m);
      this.wake();
    });
    this.child.on('exit', () => {
      this.exited = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Waits for the next message of `type` (a `failed` message or an exit throws). */
  async next<T extends FromWorker['type']>(type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const failed = this.inbox.find((m) => m.type === 'failed');
      if (failed?.type === 'failed') throw new Error(`worker process failed: ${failed.error}`);
      const i = this.inbox.findIndex((m) => m.type === type);
      if (i >= 0) return this.inbox.splice(i, 1)[0] as Extract<FromWorker, { type: T }>;
      if (this.exited) throw new Error(`worker process exited before sending ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`worker process: no ${type} after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.waiters.delete(done);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
  }

  send(m: ToWorker): void {
    this.child.send(m);
  }

  async startPipeline(env: Record<string, string>, concurrency: Concurrency, emailWindowMs?: number): Promise<number> {
    this.send({ type: 'pipeline', env, concurrency, ...(emailWindowMs ? { emailWindowMs } : {}) });
    return (await this.next('ready', 30_000)).startedAt;
  }

  /** Graceful stop (in-flight sends finish); the child is killed if it does not report in time. */
  async stop(timeoutMs = 20_000): Promise<WorkerReport | undefined> {
    if (this.exited) return undefined;
    this.send({ type: 'stop' });
    try {
      const { report } = await this.next('stopped', timeoutMs);
      await this.waitExit(5_000);
      return report;
    } finally {
      this.kill();
    }
  }

  private async waitExit(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  kill(): void {
    if (!this.exited && this.child.pid !== undefined) this.child.kill('SIGKILL');
  }
}
