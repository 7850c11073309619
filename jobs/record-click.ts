/**
 * The durable fall-back for acknowledged Slack answers. Slack gets its ack at once (it wants one
 * within 3 s, and under load recording can wait longer than that for a pooled connection), so a
 * click whose immediate record fails is put here instead of being only logged: one job per click,
 * its id derived from the click's source reference so a redelivery collapses into the same job,
 * retried with backoff until recorded. recordResponse is idempotent by source reference, so a job
 * that runs after the click was recorded after all records nothing twice.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { loadAnswerView } from '../src/app/answer-view.ts';
import type { Clock } from '../src/app/ports.ts';
import { recordResponse } from '../src/app/record-response.ts';
import type { Database } from '../src/db/database.ts';
import { HeraldError } from '../src/domain/errors.ts';
import type { Logger } from '../src/logger.ts';
import { redisConnection, type QueueConnection } from './runtime.ts';

export const RECORD_CLICK_QUEUE = 'record-slack-click';

/** Everything needed to record the answer later; `userId` is checked against the message's recipient then. */
export const clickPayload = z.object({
  messageId: z.string().min(1),
  option: z.string().nullable(),
  comment: z.string().nullable(),
  userId: z.string().min(1),
  receivedAt: z.iso.datetime(),
  sourceRef: z.string().min(1),
});
export type ClickPayload = z.infer<typeof clickPayload>;

/** About 4.5 h of retries (1 s doubling, capped at 10 min): longer than any database outage we plan for. */
export const CLICK_ATTEMPTS = 35;
const BASE_MS = 1_000;
const CAP_MS = 10 * 60_000;
export const clickBackoff = (attemptsMade: number): number => Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attemptsMade - 1));

/** BullMQ job ids may not contain ':'; a hash of the source reference is stable and short. */
export const clickJobId = (sourceRef: string): string => `click-${createHash('sha256').update(sourceRef).digest('base64url').slice(0, 32)}`;

/** The producer side, used by the Slack listeners. */
export class ClickQueue {
  private readonly queue: Queue;

  constructor(conn: QueueConnection, private readonly redis = redisConnection(conn.redisUrl)) {
    this.queue = new Queue(RECORD_CLICK_QUEUE, { connection: redis, prefix: conn.prefix });
  }

  async add(click: ClickPayload): Promise<void> {
    await this.queue.add('record', clickPayload.parse(click), {
      jobId: clickJobId(click.sourceRef),
      attempts: CLICK_ATTEMPTS,
      backoff: { type: 'herald' },
      removeOnComplete: true,
      // A click that still failed after hours stays in Redis for inspection, not dropped.
      removeOnFail: false,
    });
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export interface ClickDeps {
  db: Database;
  clock: Clock;
  log?: Logger | undefined;
}

/** Records one spooled click: the recipient check again, then the (idempotent) record. */
export function clickProcessor(deps: ClickDeps): (job: Job) => Promise<string> {
  return async (job) => {
    const click = clickPayload.parse(job.data);
    try {
      const view = await loadAnswerView(deps.db.prisma, click.messageId);
      if (view.person.slackId !== click.userId) return 'not-yours';
      const result = await recordResponse(deps.db, {
        messageId: click.messageId,
        option: click.option,
        comment: click.comment,
        channel: 'slack',
        receivedAt: new Date(click.receivedAt),
        sourceRef: click.sourceRef,
      }, { loaded: view.loaded });
      deps.log?.info({ sourceRef: click.sourceRef, attempt: job.attemptsMade + 1 }, 'spooled slack click recorded');
      return result.kind;
    } catch (err) {
      // Bad input (an unknown option, a removed message) will not get better by retrying.
      if (err instanceof HeraldError && !err.retryable) throw new UnrecoverableError(err.message);
      throw err;
    }
  };
}

/** A small processor: `herald serve` runs one so a spooled click is recorded without a `herald worker`. */
export function startClickProcessor(conn: QueueConnection, deps: ClickDeps, concurrency = 5): { close(): Promise<void> } {
  const connection = redisConnection(conn.redisUrl, (err) => deps.log?.warn({ err }, 'redis'));
  const worker = new Worker(RECORD_CLICK_QUEUE, clickProcessor(deps), {
    connection,
    prefix: conn.prefix,
    concurrency,
    settings: { backoffStrategy: (attemptsMade: number) => clickBackoff(attemptsMade) },
  });
  worker.on('error', (err) => deps.log?.warn({ err }, 'click processor'));
  worker.on('failed', (job, err) => deps.log?.warn({ err, sourceRef: (job?.data as ClickPayload | undefined)?.sourceRef, attempts: job?.attemptsMade }, 'spooled slack click not recorded yet'));
  return {
    async close() {
      await worker.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
