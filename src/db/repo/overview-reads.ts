import type { OverviewReads } from '../../app/ports.ts';
import type { Tx } from '../transaction.ts';

/** The dashboard overview's reads, through Prisma: counts are grouped by the database (10^5 messages a week at 10,000 people). */
export function overviewReads(prisma: () => Tx): OverviewReads {
  return {
    project: async (projectKey) =>
      (await prisma().project.findUnique({ where: { key: projectKey }, select: { id: true, key: true, name: true, timezone: true } })) ?? undefined,
    async data(projectId, w) {
      const db = prisma();
      const [milestones, comms, sent, due, workstreams, openEscalations, failedMessages, pendingApprovals, heldMessages] = await Promise.all([
        db.milestone.findMany({ where: { projectId }, include: { moves: true }, orderBy: { at: 'asc' } }),
        db.comm.findMany({ where: { projectId }, select: { id: true, key: true } }),
        db.message.groupBy({ by: ['commId', 'channel'], where: { projectId, status: 'sent', sentAt: { gte: w.weekAgo, lt: w.now } }, _count: { _all: true } }),
        db.message.groupBy({
          by: ['commId', 'channel'],
          where: { projectId, status: { in: ['planned', 'queued', 'sending'] }, dueAt: { gte: w.now, lt: w.weekAhead } },
          _count: { _all: true },
        }),
        db.workstream.findMany({ where: { projectId }, orderBy: { name: 'asc' } }),
        db.escalation.count({ where: { projectId, state: { not: 'resolved' } } }),
        db.message.count({ where: { projectId, status: 'failed' } }),
        db.approval.count({ where: { projectId, state: 'pending' } }),
        db.message.count({ where: { projectId, status: 'held' } }),
      ]);
      const commKey = new Map(comms.map((c) => [c.id, c.key]));
      const counts = (rows: typeof sent) => rows.map((r) => ({ comm: commKey.get(r.commId) ?? '?', channel: r.channel, count: r._count._all }));
      return { milestones, sent: counts(sent), due: counts(due), workstreams, openEscalations, failedMessages, pendingApprovals, heldMessages };
    },
    people: (projectId, keys, ids) =>
      prisma().person.findMany({
        where: { projectId, OR: [{ key: { in: [...keys] } }, { id: { in: [...ids] } }] },
        select: { id: true, key: true, name: true },
      }),
  };
}
