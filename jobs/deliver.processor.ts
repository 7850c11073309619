import { setTimeout as sleep } from 'node:timers/promises';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { ChannelError } from '../src/channels/channel.ts';
import { deliverMessage, type DeliveryDeps } from '../src/app/deliver-message.ts';
import type { Channel } from '../src/domain/plan/model.ts';
import { DELIVERY_SPECS } from './catalogue.ts';

/** A slot this close is waited for in place: moving the job to the delayed set and back costs more. */
const WAIT_IN_PLACE_MS = 25;

/**
 * Names one attempt of one job for the channel's limiter: the same when the job returns from a
 * delay (so it finds the slot it reserved), new for a retry and for a job re-added after a re-plan.
 */
export function limitTicket(job: Pick<Job, 'id' | 'timestamp' | 'attemptsMade'>): string {
  return `${job.id}:${job.timestamp}:${job.attemptsMade}`;
}

/** Thin: unpack the id, call the use case, translate its verdict for BullMQ. */
export function deliverProcessor(deps: DeliveryDeps, channel: Channel) {
  return async (job: Job, token?: string): Promise<string> => {
    const { messageId, projectId } = DELIVERY_SPECS[channel].payload.parse(job.data);
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const limit = deps.limits?.[channel] ? { channel, ticket: limitTicket(job), projectId } : undefined;
    try {
      let result = await deliverMessage(deps, messageId, { finalAttempt, limit });
      while (result.status === 'wait' && (result.waitMs <= WAIT_IN_PLACE_MS || !token)) {
        await sleep(result.waitMs);
        result = await deliverMessage(deps, messageId, { finalAttempt, limit });
      }
      if (result.status === 'wait' && token) {
        // Its send slot is later (the rate limit is used up): wait in the delayed set, not as a failed attempt.
        await job.moveToDelayed(Date.now() + result.waitMs, token);
        throw new DelayedError();
      }
      if (result.status === 'failed') throw new UnrecoverableError(`${result.reason}${result.fallbackId ? ' (fell back to e-mail)' : ''}`);
      if (result.status === 'not-due' && token) {
        // Moved later after it was queued: the same job waits for the new time.
        await job.moveToDelayed(Date.now() + Math.max(0, result.dueAt.getTime() - deps.clock.now().getTime()), token);
        throw new DelayedError();
      }
      return result.status;
    } catch (e) {
      // Told when to come back (Slack Retry-After, our own pacing): wait without spending an attempt.
      if (e instanceof ChannelError && e.retryable && e.retryAfterMs !== undefined && token) {
        await job.moveToDelayed(Date.now() + e.retryAfterMs + Math.round(Math.random() * 100), token);
        throw new DelayedError();
      }
      throw e;
    }
  };
}
