/**
 * The durable click queue: every Slack answer is written here before Slack gets its ack, so an
 * acknowledged answer survives a crash, a restart or a database outage. The listener adds a job
 * delayed by its grace period (jobs/catalogue.ts), acks, records at once (the fast path) and then removes the job; only
 * when that does not happen (the process died, or recording failed) does the job run, retried
 * with backoff until recorded. One job per click, its id derived from the click's source
 * reference, so Slack's retry of a click collapses into the same job; recordResponse is
 * idempotent by source reference, so a job that runs after the click was recorded after all
 * records nothing twice. A job that records also replaces the Slack message ("You answered: …").
 */
import { Queue, Worker } from 'bullmq';
import type { ClickPayload, ClickQueue as ClickQueuePort, HeldClick } from '../src/app/queue-ports.ts';
import { JOB_CATALOGUE, jobOptions } from './catalogue.ts';
import { clickProcessor, type ClickDeps } from './record-click.processor.ts';
import type { Redis } from 'ioredis';
import type { QueueConnection } from './runtime.ts';

/** The click queue's name, payload, attempts, backoff and grace period. */
const CLICKS = JOB_CATALOGUE.recordSlackClick;

/** The producer side, used by the Slack listeners through the ClickQueue port. */
export class ClickQueue implements ClickQueuePort {
  private readonly queue: Queue;

  /** `redis`: a connection built by the composition root (src/main/server.ts); closed with the queue. */
  constructor(
    conn: Pick<QueueConnection, 'prefix'>,
    private readonly redis: Redis,
  ) {
    this.queue = new Queue(CLICKS.name, { connection: redis, prefix: conn.prefix });
  }

  /** Resolves once the click is in Redis: only then may Slack be acked. */
  async hold(click: ClickPayload, graceMs: number = CLICKS.graceMs): Promise<HeldClick> {
    const payload = CLICKS.payload.parse(click);
    const opts = jobOptions(CLICKS, payload);
    const jobId = opts.jobId;
    const job = await this.queue.add('record', payload, { ...opts, delay: graceMs });
    return {
      // A job a worker has taken already (it is locked) is not removed; that run records nothing twice.
      release: async () => void (await this.queue.remove(jobId)),
      retryNow: async () => {
        // Not delayed any more (a worker took it, or it was a Slack retry's job): it runs anyway.
        await job.promote().catch(() => {});
      },
    };
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** A small processor: `herald serve` runs one so a queued click is recorded without a `herald worker`. */
/** `connection`: the worker's own Redis connection (BullMQ blocks on it), built by the composition root; closed with the worker. */
export function startClickProcessor(
  conn: Pick<QueueConnection, 'prefix'> & { connection: Redis },
  deps: ClickDeps,
  concurrency = 5,
): { close(): Promise<void> } {
  const connection = conn.connection;
  const worker = new Worker(CLICKS.name, clickProcessor(deps), {
    connection,
    prefix: conn.prefix,
    concurrency,
    settings: { backoffStrategy: (attemptsMade: number) => CLICKS.backoff(attemptsMade) },
  });
  worker.on('error', (err) => deps.log?.warn({ err }, 'click processor'));
  worker.on('failed', (job, err) =>
    deps.log?.warn({ err, sourceRef: (job?.data as ClickPayload | undefined)?.sourceRef, attempts: job?.attemptsMade }, 'queued slack click not recorded yet'),
  );
  return {
    async close() {
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
