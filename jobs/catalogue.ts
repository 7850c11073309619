import { z } from 'zod';
import { ChannelError } from '../src/channels/channel.ts';
import type { Channel } from '../src/domain/plan/model.ts';

/** One delivery queue per channel, so e-mail's send-rate limit never holds up Slack. */
export const DELIVERY_QUEUES: Readonly<Record<Channel, string>> = { slack: 'deliver-slack', email: 'deliver-email' };

/** A job carries ids only; the database is the source of truth. The job id is the message id. */
export const deliverPayload = z.object({ messageId: z.uuid() });

/** Attempts per message before it is marked failed (about 1 h of retries with the backoff below). */
export const DELIVERY_ATTEMPTS = 10;

const BASE_MS = 2_000;
const CAP_MS = 15 * 60_000;

/**
 * Exponential backoff with full jitter (AWS style), except that a provider's Retry-After
 * is honoured as the floor: Slack tells us exactly when to come back.
 */
export function deliveryBackoff(attemptsMade: number, _type?: string, err?: Error, random: () => number = Math.random): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  if (err instanceof ChannelError && err.retryAfterMs !== undefined) return err.retryAfterMs + Math.round(random() * 250);
  return jittered;
}

export const deliveryJobOptions = {
  attempts: DELIVERY_ATTEMPTS,
  backoff: { type: 'herald' },
  // Finished jobs are dropped: the message row keeps the outcome, and the id is free for `herald retry`.
  removeOnComplete: true,
  removeOnFail: true,
} as const;
