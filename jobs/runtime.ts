import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { DeliveryDeps } from '../src/app/deliver-message.ts';
import type { ClaimedMessage } from '../src/db/repo/delivery-store.ts';
import type { SqlClient } from '../src/db/repo/sql-client.ts';
import type { Channel } from '../src/domain/plan/model.ts';
import { DELIVERY_QUEUES, deliveryBackoff } from './catalogue.ts';
import { deliverProcessor } from './deliver.processor.ts';
import { enqueueMessages } from './enqueue.ts';
import { forgetJobs } from './forget.ts';
import { Sweeper } from './sweeper.ts';

export interface QueueConnection {
  redisUrl: string;
  prefix: string;
}

/**
 * BullMQ needs `maxRetriesPerRequest: null`: a blocked command must wait for Redis to return, not fail.
 * `autoPipelining` sends the commands issued in one event-loop turn as one socket write: for the
 * connection of the send pacing scripts (the Slack gate, the e-mail limiter), which many jobs call at
 * once; not for BullMQ's own connections, whose blocking commands must not queue others behind them.
 */
export function redisConnection(url: string, onError: (e: unknown) => void = () => {}, opts: { autoPipelining?: boolean } = {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    lazyConnect: false,
    enableAutoPipelining: opts.autoPipelining ?? false,
  });
  // ioredis reconnects by itself; without a listener each failed attempt is printed as "unhandled".
  redis.on('error', onError);
  return redis;
}

/** The producer side: queues to add delivery jobs to. Built by src/main/queues.ts; closes the connection it is given. */
export class DeliveryQueues {
  readonly queues: Record<Channel, Queue>;

  constructor(
    prefix: string,
    private readonly redis: Redis,
  ) {
    this.queues = {
      slack: new Queue(DELIVERY_QUEUES.slack, { connection: this.redis, prefix }),
      email: new Queue(DELIVERY_QUEUES.email, { connection: this.redis, prefix }),
    };
  }

  enqueue(messages: readonly ClaimedMessage[], now: Date = new Date()): Promise<void> {
    return enqueueMessages(this.queues, messages, now);
  }

  /** Drops jobs of messages a re-plan moved or cancelled (see forgetJobs). */
  forget(messageIds: readonly string[], timeoutMs?: number): Promise<void> {
    return forgetJobs(Object.values(this.queues), messageIds, timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export interface WorkerOptions {
  /** The workers' own connection (redisConnection); closed with them. */
  connection: Redis;
  prefix: string;
  /** What the processors need, and the sweeper's database. */
  deps: Omit<DeliveryDeps, 'enqueue'> & { db: SqlClient };
  queues: DeliveryQueues;
  /** Jobs processed at once per channel in this process. */
  concurrency?: { slack?: number; email?: number };
  sweep?: { intervalMs?: number; horizonMs?: number; strandedAfterMs?: number };
  /** BullMQ lock duration (default 30 s): a killed worker's active jobs are retried after it. */
  lockDurationMs?: number;
  onError?: (e: unknown) => void;
}

export interface RunningWorkers {
  workers: Worker[];
  sweeper: Sweeper;
  /** Graceful: stop sweeping, let in-flight sends finish, take no new jobs. */
  close(): Promise<void>;
}

export function startDeliveryWorkers(o: WorkerOptions): RunningWorkers {
  const deps: DeliveryDeps = { ...o.deps, enqueue: (m) => o.queues.enqueue(m, o.deps.clock.now()) };
  const connection = o.connection;
  const lock = o.lockDurationMs ? { lockDuration: o.lockDurationMs, stalledInterval: o.lockDurationMs } : {};
  const settings = { backoffStrategy: (attemptsMade: number, type?: string, err?: Error) => deliveryBackoff(attemptsMade, type, err) };
  const workers = [
    new Worker(DELIVERY_QUEUES.slack, deliverProcessor(deps, 'slack'), {
      connection,
      prefix: o.prefix,
      concurrency: o.concurrency?.slack ?? 50,
      settings,
      ...lock,
    }),
    // No BullMQ limiter: the e-mail rate is kept by deps.limits.email, which counts sends only.
    new Worker(DELIVERY_QUEUES.email, deliverProcessor(deps, 'email'), {
      connection,
      prefix: o.prefix,
      concurrency: o.concurrency?.email ?? 10,
      settings,
      ...lock,
    }),
  ];
  for (const w of workers) w.on('error', (e) => o.onError?.(e));
  const sweeper = new Sweeper({
    db: o.deps.db,
    clock: o.deps.clock,
    enqueue: deps.enqueue,
    staleSendingMs: o.deps.staleSendingMs,
    ...o.sweep,
    ...(o.onError ? { onError: o.onError } : {}),
  });
  sweeper.start();
  return {
    workers,
    sweeper,
    async close() {
      await sweeper.stop();
      await Promise.all(workers.map((w) => w.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
