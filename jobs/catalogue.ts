/**
 * The job catalogue: every BullMQ queue Herald runs, each with its name, the zod schema of its
 * payload, its attempts, backoff and what is kept of a finished job (as trigger.dev's worker
 * catalogue). Producers add jobs with `jobOptions(spec)`, workers take `spec.backoff` as their
 * backoffStrategy, and processors (*.processor.ts) only parse `spec.payload` and call a use case.
 * The periodic tasks every worker runs on a timer (not queues) are listed at the end.
 */
import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { ClickPayload } from '../src/app/queue-ports.ts';
import { ChannelError } from '../src/channels/channel.ts';
import type { Channel } from '../src/domain/plan/model.ts';

interface QueueSpec<P extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly payload: P;
  /** Attempts per job before it fails for good. */
  readonly attempts: number;
  /** BullMQ's backoffStrategy for the queue's workers (its jobs ask for `backoff: { type: 'herald' }`). */
  readonly backoff: (attemptsMade: number, type?: string, err?: Error) => number;
  /** The job id of a payload: adding a job whose id is in the queue already is a no-op, so a job is never added twice. */
  readonly jobId: (payload: z.infer<P>) => string;
  /** A failed job stays in Redis for inspection (else it is dropped: the database keeps the outcome). */
  readonly keepFailed: boolean;
}

/** The options of a job added to `spec`'s queue; its delay is the caller's. Finished jobs are dropped. */
export function jobOptions<P extends z.ZodType>(spec: QueueSpec<P>, payload: z.infer<P>): JobsOptions & { jobId: string } {
  return { jobId: spec.jobId(payload), attempts: spec.attempts, backoff: { type: 'herald' }, removeOnComplete: true, removeOnFail: !spec.keepFailed };
}

// ---- Delivery: one queue per channel, so e-mail's send-rate limit never holds up Slack.

/**
 * A job carries ids only; the database is the source of truth. The job id is the message id. The
 * project names the sender mailbox whose e-mail limit the send counts against (absent in jobs
 * queued by an older Herald: those share the default mailbox's limit).
 */
const deliverPayload = z.object({ messageId: z.uuid(), projectId: z.uuid().optional() });

const DELIVERY_BASE_MS = 2_000;
const DELIVERY_CAP_MS = 15 * 60_000;

/**
 * Exponential backoff with full jitter (AWS style), except that a provider's Retry-After
 * is honoured as the floor: Slack tells us exactly when to come back.
 */
export function deliveryBackoff(attemptsMade: number, _type?: string, err?: Error, random: () => number = Math.random): number {
  const ceiling = Math.min(DELIVERY_CAP_MS, DELIVERY_BASE_MS * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  if (err instanceof ChannelError && err.retryAfterMs !== undefined) return err.retryAfterMs + Math.round(random() * 250);
  return jittered;
}

const deliveryQueue = (name: string): QueueSpec<typeof deliverPayload> => ({
  name,
  payload: deliverPayload,
  // About 1 h of retries with the backoff above, then the message is marked failed.
  attempts: 10,
  backoff: (attemptsMade, type, err) => deliveryBackoff(attemptsMade, type, err),
  jobId: (p) => p.messageId,
  // The message row keeps the outcome, and the id is free for `herald retry`.
  keepFailed: false,
});

// ---- Slack clicks: every answer is held here before Slack gets its ack (jobs/record-click.ts).

/** Everything needed to record the answer later and show it (the port's ClickPayload, checked both ways below). */
const clickPayload = z.object({
  messageId: z.string().min(1),
  option: z.string().nullable(),
  comment: z.string().nullable(),
  userId: z.string().min(1),
  receivedAt: z.iso.datetime(),
  sourceRef: z.string().min(1),
  fromButton: z.boolean().optional(),
  blocks: z.array(z.record(z.string(), z.unknown())).optional(),
  where: z.object({ channel: z.string(), ts: z.string() }).optional(),
});
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// A field of the port missing here would be dropped silently by parse.
true satisfies Same<z.infer<typeof clickPayload>, ClickPayload>;

const CLICK_BASE_MS = 1_000;
const CLICK_CAP_MS = 10 * 60_000;

const clickQueue = {
  name: 'record-slack-click',
  payload: clickPayload,
  /** About 4.5 h of retries (1 s doubling, capped at 10 min): longer than any database outage we plan for. */
  attempts: 35,
  backoff: (attemptsMade: number) => Math.min(CLICK_CAP_MS, CLICK_BASE_MS * 2 ** Math.max(0, attemptsMade - 1)),
  /** BullMQ job ids may not contain ':'; a hash of the source reference is stable and short, so Slack's retry of a click collapses into the same job. */
  jobId: (p: ClickPayload) => `click-${createHash('sha256').update(p.sourceRef).digest('base64url').slice(0, 32)}`,
  // A click that still failed after hours stays in Redis for inspection, not dropped.
  keepFailed: true,
  /**
   * How long a held click waits for the listener to record it before the queue does. Long enough
   * that a click recorded on the fast path (milliseconds; seconds when the pool is busy) is removed
   * before it runs, short enough that a crashed server's click is recorded soon after.
   */
  graceMs: 10_000,
} as const satisfies QueueSpec<typeof clickPayload> & { graceMs: number };

/** Every queue Herald runs. */
export const JOB_CATALOGUE = {
  deliverSlack: deliveryQueue('deliver-slack'),
  deliverEmail: deliveryQueue('deliver-email'),
  recordSlackClick: clickQueue,
} as const;

/** The delivery queue of each channel. */
export const DELIVERY_SPECS: Readonly<Record<Channel, QueueSpec<typeof deliverPayload>>> = {
  slack: JOB_CATALOGUE.deliverSlack,
  email: JOB_CATALOGUE.deliverEmail,
};
export const DELIVERY_QUEUES: Readonly<Record<Channel, string>> = { slack: DELIVERY_SPECS.slack.name, email: DELIVERY_SPECS.email.name };

// ---- Periodic tasks: each worker process runs them on a timer (jobs/periodic.ts); they claim rows with SKIP LOCKED, so workers never clash.

export const PERIODIC = {
  /** jobs/sweeper.ts: moves messages due within its horizon from the database into the delivery queues. */
  sweepDue: { intervalMs: 1_000 },
  /** jobs/escalation-sweeper.ts: moves overdue unacknowledged escalations to level 2. */
  escalateOverdue: { intervalMs: 15_000 },
  /** jobs/approval-sweeper.ts: asks approvers, withdraws approvals whose content changed (approval before send). */
  syncApprovals: { intervalMs: 15_000 },
} as const;
