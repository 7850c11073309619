import type { CapacityLimits } from '../domain/capacity/limits.ts';
import { expectedSendTimes } from '../domain/capacity/send-times.ts';
import type { CalendarReads } from './ports.ts';

/**
 * When every pending message (planned, queued or sending) is expected to leave, by message id.
 * All projects count: one mailbox and one Slack workspace serve them all, so another project's
 * wave at 09:00 delays this one's. Messages already due leave no earlier than `now`.
 */
export async function expectedSendByMessage(reads: Pick<CalendarReads, 'pending'>, limits: CapacityLimits, now: Date): Promise<Map<string, Date>> {
  const rows = await reads.pending();
  const estimates = expectedSendTimes(
    rows.map((r) => ({ channel: r.channel, personId: r.personId, dueAt: r.dueAt.getTime() })),
    limits,
    now.getTime(),
  );
  return new Map(rows.map((r, i) => [r.id, new Date(estimates[i]!.at)]));
}
