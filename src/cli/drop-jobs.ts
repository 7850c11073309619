import { DeliveryQueues } from '../../jobs/runtime.ts';
import type { CliContext } from './context.ts';

/**
 * After a re-plan, drops the queue jobs of messages that moved or were cancelled within the
 * queue's short horizon. Best effort: without Redis the worker still notices the change when
 * the job fires (a moved-earlier message may then go out a few seconds late).
 */
export async function dropQueuedJobs(ctx: CliContext, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const cfg = ctx.config();
  const queues = new DeliveryQueues({ redisUrl: cfg.REDIS_URL, prefix: cfg.REDIS_PREFIX });
  try {
    await queues.forget(ids);
  } catch (e) {
    ctx.output.err(`note: could not reach Redis to drop ${ids.length} queued job(s) (${e instanceof Error ? e.message : String(e)}); the worker will catch up`);
  } finally {
    await queues.close().catch(() => {});
  }
}
