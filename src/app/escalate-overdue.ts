import type { Plan } from '../domain/plan/model.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { withTransaction } from '../db/transaction.ts';
import { queueEscalationNotice } from './escalation-notices.ts';
import type { Clock } from './ports.ts';

/**
 * Escalations still unacknowledged past their `escalateAt` go to the workstream's escalation
 * person (level 2). Any number of workers run this at once: the rows are claimed with
 * FOR UPDATE SKIP LOCKED (not expressible in Prisma) and moved to level 2 in the same
 * transaction that queues their notices, so each goes up once.
 */
export async function escalateOverdue(deps: { prisma: PrismaClient; clock: Clock }, limit = 100): Promise<number> {
  const now = deps.clock.now();
  return withTransaction(deps.prisma, async (tx) => {
    const due = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT "id" FROM "Escalation"
      WHERE "state"='open' AND "level"=1 AND "secondId" IS NOT NULL AND "escalateAt" <= ${now}::timestamptz
      ORDER BY "escalateAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    if (due.length === 0) return 0;
    const rows = await tx.escalation.findMany({ where: { id: { in: due.map((d) => d.id) } }, include: { project: { select: { plan: true } } } });
    for (const e of rows) {
      await tx.escalation.update({ where: { id: e.id }, data: { level: 2, escalatedAt: now } });
      const to = await tx.person.findUniqueOrThrow({ where: { id: e.secondId! }, select: { id: true, key: true, timezone: true, email: true, slackId: true } });
      await queueEscalationNotice(tx, {
        plan: e.project.plan as unknown as Plan,
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
