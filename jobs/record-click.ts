/**
 * The durable click queue: every Slack answer is written here before Slack gets its ack, so an
 * acknowledged answer survives a crash, a restart or a database outage. The listener adds a job
 * delayed by CLICK_GRACE_MS, acks, records at once (the fast path) and then removes the job; only
 * when that does not happen (the process died, or recording failed) does the job run, retried
 * with backoff until recorded. One job per click, its id derived from the click's source
 * reference, so Slack's retry of a click collapses into the same job; recordResponse is
 * idempotent by source reference, so a job that runs after the click was recorded after all
 * records nothing twice. A job that records also replaces the Slack message ("You answered: …").
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { PlanCache } from '../src/app/plan-cache.ts';
import type { Clock } from '../src/app/ports.ts';
import { recordSlackClick, type SlackClickOutcome } from '../src/app/record-slack-click.ts';
import type { Database } from '../src/db/database.ts';
import { HeraldError } from '../src/domain/errors.ts';
import type { Logger } from '../src/logger.ts';
import { redisConnection, type QueueConnection } from './runtime.ts';

export const RECORD_CLICK_QUEUE = 'record-slack-click';

/** Everything needed to record the answer later and show it; `userId` is checked against the message's recipient then. */
export const clickPayload = z.object({
  messageId: z.string().min(1),
  option: z.string().nullable(),
  comment: z.string().nullable(),
  userId: z.string().min(1),
  receivedAt: z.iso.datetime(),
  sourceRef: z.string().min(1),
  fromButton: z.boolean().optional(),
  /** The clicked message's blocks, to replace its survey by the answer (absent for a modal: the listener kept them in scratch). */
  blocks: z.array(z.record(z.string(), z.unknown())).optional(),
  /** The clicked message's place, when the send did not store it. */
  where: z.object({ channel: z.string(), ts: z.string() }).optional(),
});
export type ClickPayload = z.infer<typeof clickPayload>;

/**
 * How long a held click waits for the listener to record it before the queue does. Long enough
 * that a click recorded on the fast path (milliseconds; seconds when the pool is busy) is removed
 * before it runs, short enough that a crashed server's click is recorded soon after.
 */
export const CLICK_GRACE_MS = 10_000;
/** About 4.5 h of retries (1 s doubling, capped at 10 min): longer than any database outage we plan for. */
export const CLICK_ATTEMPTS = 35;
const BASE_MS = 1_000;
const CAP_MS = 10 * 60_000;
export const clickBackoff = (attemptsMade: number): number => Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attemptsMade - 1));

/** BullMQ job ids may not contain ':'; a hash of the source reference is stable and short. */
export const clickJobId = (sourceRef: string): string => `click-${createHash('sha256').update(sourceRef).digest('base64url').slice(0, 32)}`;

/** A click written to the queue: the listener either records it and releases it, or hands it to the queue now. */
export interface HeldClick {
  /** Recorded on the fast path: the job is not needed. */
  release(): Promise<void>;
  /** Recording failed: let the queue retry it now rather than after the grace period. */
  retryNow(): Promise<void>;
}

/** The producer side, used by the Slack listeners. */
export class ClickQueue {
  private readonly queue: Queue;

  constructor(conn: QueueConnection, private readonly redis = redisConnection(conn.redisUrl)) {
    this.queue = new Queue(RECORD_CLICK_QUEUE, { connection: redis, prefix: conn.prefix });
  }

  /** Resolves once the click is in Redis: only then may Slack be acked. */
  async hold(click: ClickPayload, graceMs = CLICK_GRACE_MS): Promise<HeldClick> {
    const jobId = clickJobId(click.sourceRef);
    const job = await this.queue.add('record', clickPayload.parse(click), {
      jobId,
      delay: graceMs,
      attempts: CLICK_ATTEMPTS,
      backoff: { type: 'herald' },
      removeOnComplete: true,
      // A click that still failed after hours stays in Redis for inspection, not dropped.
      removeOnFail: false,
    });
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

export interface ClickDeps {
  db: Database;
  clock: Clock;
  /** The process's plan cache, for the follow-ups of an escalating answer. */
  plans?: PlanCache | undefined;
  log?: Logger | undefined;
  /** Replaces the Slack message by the answer; a failure leaves the old message, the answer is stored. */
  show?: ((click: ClickPayload, outcome: Extract<SlackClickOutcome, { kind: 'recorded' }>) => Promise<void>) | undefined;
}

/** Records one queued click (recipient check and idempotent record, src/app/record-slack-click.ts), then shows it. */
export function clickProcessor(deps: ClickDeps): (job: Job) => Promise<string> {
  return async (job) => {
    const click = clickPayload.parse(job.data);
    let outcome: SlackClickOutcome;
    try {
      outcome = await recordSlackClick(deps, click);
    } catch (err) {
      // Bad input (an unknown option, a removed message) will not get better by retrying.
      if (err instanceof HeraldError && !err.retryable) throw new UnrecoverableError(err.message);
      throw err;
    }
    if (outcome.kind === 'recorded') {
      deps.log?.info({ sourceRef: click.sourceRef, attempt: job.attemptsMade + 1, kind: outcome.result.kind }, 'queued slack click recorded');
      await deps.show?.(click, outcome).catch((err: unknown) => deps.log?.warn({ err }, 'answer recorded; updating the slack message failed'));
      return outcome.result.kind;
    }
    return outcome.kind;
  };
}

/** A small processor: `herald serve` runs one so a queued click is recorded without a `herald worker`. */
export function startClickProcessor(conn: QueueConnection, deps: ClickDeps, concurrency = 5): { close(): Promise<void> } {
  const connection = redisConnection(conn.redisUrl, (err) => deps.log?.warn({ err }, 'redis'));
  const worker = new Worker(RECORD_CLICK_QUEUE, clickProcessor(deps), {
    connection,
    prefix: conn.prefix,
    concurrency,
    settings: { backoffStrategy: (attemptsMade: number) => clickBackoff(attemptsMade) },
  });
  worker.on('error', (err) => deps.log?.warn({ err }, 'click processor'));
  worker.on('failed', (job, err) => deps.log?.warn({ err, sourceRef: (job?.data as ClickPayload | undefined)?.sourceRef, attempts: job?.attemptsMade }, 'queued slack click not recorded yet'));
  return {
    async close() {
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
