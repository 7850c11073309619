import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { ChannelError } from '../src/channels/channel.ts';
import { deliverMessage, type DeliveryDeps } from '../src/app/deliver-message.ts';
import { deliverPayload } from './catalogue.ts';

/** Thin: unpack the id, call the use case, translate its verdict for BullMQ. */
export function deliverProcessor(deps: DeliveryDeps) {
  return async (job: Job, token?: string): Promise<string> => {
    const { messageId } = deliverPayload.parse(job.data);
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      const result = await deliverMessage(deps, messageId, { finalAttempt });
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
