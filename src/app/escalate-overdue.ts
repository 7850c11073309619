import { queueEscalationNotice } from './escalation-notices.ts';
import type { Clock, StoreDeps } from './ports.ts';

/**
 * Escalations still unacknowledged past their `escalateAt` go to the workstream's escalation
 * person (level 2). Any number of workers run this at once: the rows are claimed with
 * FOR UPDATE SKIP LOCKED and moved to level 2 in the same
 * transaction that queues their notices, so each goes up once.
 */
export async function escalateOverdue(deps: StoreDeps & { clock: Clock }, limit = 100): Promise<number> {
  const now = deps.clock.now();
  return deps.stores.transaction(async (tx) => {
    const rows = await tx.escalations.claimOverdue(now, limit);
    if (rows.length === 0) return 0;
    for (const e of rows) {
      await tx.escalations.update(e.id, { level: 2, escalatedAt: now });
      const to = await tx.escalations.recipient(e.secondId!);
      await queueEscalationNotice(tx, {
        plan: e.plan,
        projectId: e.projectId,
        commId: e.commId,
        occurrence: e.occurrence,
        to,
        urgency: e.urgency as 'urgent' | 'normal',
        level: 2,
        escalationIds: [e.id],
        role: 'second',
        now,
      });
    }
    return rows.length;
  });
}
