import type { Queue } from 'bullmq';

/**
 * Drops the delivery jobs of messages a re-plan (apply, milestone move) moved or cancelled, so a
 * delayed job does not fire at the old time; the sweeper queues each moved row again for its new
 * time. A job that is running finishes. Bounded by `timeoutMs`: a caller with Redis down gets an
 * error to report, and the worker still notices the change when the stale job fires.
 */
export async function forgetJobs(queues: readonly Queue[], messageIds: readonly string[], timeoutMs = 3000): Promise<void> {
  if (!messageIds.length) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.all(queues.flatMap((q) => messageIds.map((id) => q.remove(id).catch(() => 0)))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
