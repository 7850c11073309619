/**
 * The worker side of `npm run bench:delivery`. Forked by bench/delivery.ts and driven over IPC,
 * so the worker's CPU and memory are measured apart from the sinks answering it.
 *  - `pipeline`: the real `herald worker` (startWorker) with its database and channels wrapped
 *    to time each stage (claim SQL, send, record SQL);
 *  - `noop`: bare BullMQ queues and workers at the same concurrency with a no-op processor.
 */
import { Queue, Worker } from 'bullmq';
import type { ChannelAdapter } from '../src/channels/channel.ts';
import { loadConfig } from '../src/config/config.ts';
import type { Database } from '../src/db/database.ts';
import type { Channel } from '../src/domain/plan/model.ts';
import { buildChannels } from '../src/main/adapters.ts';
import { openConfiguredDatabase } from '../src/main/database.ts';
import { startWorker, type WorkerRuntime } from '../src/main/worker.ts';
import { RedisGate } from '../src/channels/send-gate.ts';
import { slackHoldMs } from '../src/channels/slack/slack-channel.ts';
import { redisConnection } from '../jobs/runtime.ts';

export interface Concurrency {
  slack: number;
  email: number;
}

export type ToWorker =
  | { type: 'pipeline'; env: Record<string, string>; concurrency: Concurrency; emailWindowMs?: number }
  | { type: 'noop'; redisUrl: string; prefix: string; jobs: Concurrency; concurrency: Concurrency }
  | { type: 'stop' };

/** Summed wall time and count per stage; concurrent calls overlap, so divide by count for a mean latency. */
export type StageTimes = Record<string, { ms: number; n: number }>;

export interface WorkerReport {
  /** process.resourceUsage().maxRSS, bytes. */
  maxRss: number;
  /** Peaks sampled every 100 ms while running, bytes. */
  peakRss: number;
  peakHeapUsed: number;
  /** RSS right after start-up, before any job ran. */
  idleRss: number;
  /** CPU time (user + system) while running, ms, and the wall time it was spent in. */
  cpuMs: number;
  wallMs: number;
  stages: StageTimes;
  errors: string[];
}

export type FromWorker =
  | { type: 'ready'; startedAt: number }
  | { type: 'noop-done'; ms: number; completed: number }
  | { type: 'stopped'; report: WorkerReport }
  | { type: 'failed'; error: string };

const stages: StageTimes = {};
const errors: string[] = [];

function addStage(name: string, ms: number): void {
  const s = (stages[name] ??= { ms: 0, n: 0 });
  s.ms += ms;
  s.n += 1;
}

/** Names the repository statement from its SQL text (see src/db/repo/delivery-store.ts). */
function stageOf(sql: string): string {
  if (sql.includes('WITH claimed AS')) return 'claim (SQL)';
  if (sql.includes('INSERT INTO "Delivery"')) return 'record (SQL)';
  if (sql.includes(`SET "status"='queued'`)) return 'sweep claimDue (SQL)';
  return 'other SQL';
}

async function timed<T>(name: string, p: PromiseLike<T>): Promise<T> {
  const t = performance.now();
  try {
    return await p;
  } finally {
    addStage(name, performance.now() - t);
  }
}

function timedDatabase(db: Database): Database {
  const prisma = new Proxy(db.prisma, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (prop === '$queryRawUnsafe' || prop === '$executeRawUnsafe') {
        const fn = value as (sql: string, ...args: unknown[]) => PromiseLike<unknown>;
        return (sql: string, ...args: unknown[]) => timed(stageOf(sql), fn.call(target, sql, ...args));
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...db, prisma };
}

function timedChannels(channels: Partial<Record<Channel, ChannelAdapter>>): Partial<Record<Channel, ChannelAdapter>> {
  const out: Partial<Record<Channel, ChannelAdapter>> = {};
  for (const [name, c] of Object.entries(channels) as Array<[Channel, ChannelAdapter]>) {
    out[name] = { name: c.name, send: (m, hooks) => timed(`send ${name} (incl. pacing)`, c.send(m, hooks)), close: () => c.close() };
  }
  return out;
}

class MemoryProbe {
  peakRss = 0;
  peakHeapUsed = 0;
  readonly idleRss = process.memoryUsage().rss;
  private readonly cpu0 = process.cpuUsage();
  private readonly t0 = performance.now();
  private readonly timer = setInterval(() => this.sample(), 100);

  sample(): void {
    const m = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, m.rss);
    this.peakHeapUsed = Math.max(this.peakHeapUsed, m.heapUsed);
  }

  report(): WorkerReport {
    clearInterval(this.timer);
    this.sample();
    const cpu = process.cpuUsage(this.cpu0);
    return {
      maxRss: process.resourceUsage().maxRSS * 1024,
      peakRss: this.peakRss,
      peakHeapUsed: this.peakHeapUsed,
      idleRss: this.idleRss,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - this.t0,
      stages,
      errors,
    };
  }
}

const send = (m: FromWorker): void => {
  process.send?.(m);
};
const onError = (e: unknown): void => {
  if (errors.length < 20) errors.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
};

let stop: (() => Promise<void>) | undefined;
let probe: MemoryProbe | undefined;

async function runPipeline(msg: Extract<ToWorker, { type: 'pipeline' }>): Promise<void> {
  const config = loadConfig(msg.env);
  const db = timedDatabase(await openConfiguredDatabase(config, { poolSize: 20 }));
  // The same channels startWorker builds itself: Slack paced across processes through Redis.
  const paceRedis = redisConnection(config.REDIS_URL, onError, { autoPipelining: true });
  const channels = timedChannels(buildChannels(config, { slackGate: new RedisGate(paceRedis, config.REDIS_PREFIX, slackHoldMs(1)) }));
  probe = new MemoryProbe();
  const startedAt = Date.now();
  const runtime: WorkerRuntime = await startWorker(config, {
    db,
    channels,
    concurrency: msg.concurrency,
    onError,
    ...(msg.emailWindowMs ? { emailWindowMs: msg.emailWindowMs } : {}),
  });
  stop = async () => {
    await runtime.close();
    await paceRedis.quit().catch(() => paceRedis.disconnect());
    await db.close();
  };
  send({ type: 'ready', startedAt });
}

async function runNoop(msg: Extract<ToWorker, { type: 'noop' }>): Promise<void> {
  const producer = redisConnection(msg.redisUrl);
  const consumer = redisConnection(msg.redisUrl);
  const names = { slack: 'noop-slack', email: 'noop-email' } as const;
  const queues = (['slack', 'email'] as const).map((c) => new Queue(names[c], { connection: producer, prefix: msg.prefix }));
  const total = msg.jobs.slack + msg.jobs.email;
  let completed = 0;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const onDone = (): void => {
    if (++completed === total) resolveDone();
  };
  probe = new MemoryProbe();
  // Mirrors startDeliveryWorkers: one worker per channel (e-mail's rate is kept by Herald's own limiter, not BullMQ's).
  const workers = [
    new Worker(names.slack, async () => 'ok', { connection: consumer, prefix: msg.prefix, concurrency: msg.concurrency.slack }),
    new Worker(names.email, async () => 'ok', { connection: consumer, prefix: msg.prefix, concurrency: msg.concurrency.email }),
  ];
  for (const w of workers) {
    w.on('completed', onDone);
    w.on('error', onError);
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  const t = performance.now();
  const jobs = (channel: 'slack' | 'email', n: number) =>
    Array.from({ length: n }, (_, i) => ({
      name: 'deliver',
      data: { messageId: `${channel}-${i}` },
      opts: { jobId: `${channel}-${i}`, removeOnComplete: true, removeOnFail: true },
    }));
  await Promise.all([queues[0]!.addBulk(jobs('slack', msg.jobs.slack)), queues[1]!.addBulk(jobs('email', msg.jobs.email))]);
  await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))]);
  send({ type: 'noop-done', ms: performance.now() - t, completed });
  stop = async () => {
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all(queues.map((q) => q.close()));
    await Promise.all([producer.quit(), consumer.quit()]);
  };
}

process.on('message', (msg: ToWorker) => {
  const run = msg.type === 'pipeline' ? runPipeline(msg) : msg.type === 'noop' ? runNoop(msg) : finish();
  run.catch((e: unknown) => {
    send({ type: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    process.exitCode = 1;
    process.disconnect?.();
  });
});

async function finish(): Promise<void> {
  await stop?.();
  const report = (probe ?? new MemoryProbe()).report();
  send({ type: 'stopped', report });
  // Disconnecting lets the process exit on its own, which writes a --cpu-prof profile.
  process.disconnect?.();
}
