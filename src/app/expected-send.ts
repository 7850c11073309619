import type { SqlClient } from '../db/repo/sql-client.ts';
import type { CapacityLimits } from '../domain/capacity/limits.ts';
import { expectedSendTimes } from '../domain/capacity/send-times.ts';
import type { Channel } from '../domain/plan/model.ts';

/**
 * When every pending message (planned, queued or sending) is expected to leave, by message id.
 * All projects count: one mailbox and one Slack workspace serve them all, so another project's
 * wave at 09:00 delays this one's. Messages already due leave no earlier than `now`.
 */
export async function expectedSendByMessage(db: SqlClient, limits: CapacityLimits, now: Date): Promise<Map<string, Date>> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string; channel: Channel; personId: string; dueAt: Date | string }>>(
    `SELECT "id", "channel", "personId", "dueAt" FROM "Message"
     WHERE "status" IN ('planned','queued','sending') ORDER BY "dueAt", "key"`,
  );
  const estimates = expectedSendTimes(
    rows.map((r) => ({ channel: r.channel, personId: r.personId, dueAt: new Date(r.dueAt).getTime() })),
    limits,
    now.getTime(),
  );
  return new Map(rows.map((r, i) => [r.id, new Date(estimates[i]!.at)]));
}
