import { senderMailbox } from '../domain/plan/addresses.ts';
import type { CapacityLimits } from '../domain/capacity/limits.ts';
import { expectedSendTimes } from '../domain/capacity/send-times.ts';
import type { CalendarReads } from './ports.ts';

/**
 * When every pending message (planned, queued or sending) is expected to leave, by message id.
 * All projects count: one Slack workspace serves them all, and projects that send from the same
 * mailbox share its e-mail allowance, so another project's wave at 09:00 delays this one's. Each
 * sender mailbox has its own e-mail limits (Exchange Online counts per mailbox). Messages already
 * due leave no earlier than `now`.
 */
export async function expectedSendByMessage(reads: Pick<CalendarReads, 'pending'>, limits: CapacityLimits, now: Date): Promise<Map<string, Date>> {
  const rows = await reads.pending();
  const estimates = expectedSendTimes(
    rows.map((r) => ({
      channel: r.channel,
      personId: r.personId,
      dueAt: r.dueAt.getTime(),
      ...(r.channel === 'email' ? { pool: senderMailbox(r.sender) } : {}),
    })),
    limits,
    now.getTime(),
  );
  return new Map(rows.map((r, i) => [r.id, new Date(estimates[i]!.at)]));
}
