/**
 * Escalations, their notices and workstream statuses, through Prisma. The only SQL here takes row
 * locks, which Prisma cannot express (FOR UPDATE, FOR UPDATE SKIP LOCKED): no benchmark figure
 * asked for it.
 */
import type { EscalationStore, NoticeRecipient, WorkstreamStore } from '../../app/ports.ts';
import type { Tx } from '../transaction.ts';
import { decodePlan } from './json-columns.ts';

const RECIPIENT = { id: true, key: true, timezone: true, email: true, slackId: true } as const;

/** Escalations and their notices, through Prisma; row locks (not expressible in Prisma) in SQL. */
export function escalationStore(prisma: () => Tx): EscalationStore {
  return {
    async claimOverdue(now, limit) {
      const due = await prisma().$queryRawUnsafe<Array<{ id: string }>>(
        `SELECT "id" FROM "Escalation"
         WHERE "state"='open' AND "level"=1 AND "secondId" IS NOT NULL AND "escalateAt" <= $1::timestamptz
         ORDER BY "escalateAt" LIMIT $2::int FOR UPDATE SKIP LOCKED`,
        now.toISOString(),
        limit,
      );
      if (due.length === 0) return [];
      const rows = await prisma().escalation.findMany({ where: { id: { in: due.map((d) => d.id) } }, include: { project: { select: { plan: true } } } });
      return rows.map(({ project, ...e }) => ({ ...e, plan: decodePlan(project.plan) }));
    },
    async lock(id) {
      const [locked] = await prisma().$queryRawUnsafe<Array<{ id: string }>>(`SELECT "id" FROM "Escalation" WHERE "id"=$1::uuid FOR UPDATE`, id);
      const e =
        locked &&
        (await prisma().escalation.findUnique({
          where: { id: locked.id },
          include: { project: { select: { key: true, plan: true } }, response: { select: { channel: true } } },
        }));
      if (!e) return undefined;
      const { project, response, ...row } = e;
      return { ...row, projectKey: project.key, plan: decodePlan(project.plan), answeredOn: response.channel };
    },
    openFor: async (key) =>
      (await prisma().escalation.findFirst({ where: { ...key, state: { not: 'resolved' } }, orderBy: { openedAt: 'desc' } })) ?? undefined,
    create: (data) => prisma().escalation.create({ data }),
    update: async (id, data) => {
      await prisma().escalation.update({ where: { id }, data });
    },
    async list(projectId, openOnly) {
      const rows = await prisma().escalation.findMany({
        where: { projectId, ...(openOnly ? { state: { not: 'resolved' } } : {}) },
        include: { person: { select: { key: true } }, response: { select: { comm: { select: { key: true } } } } },
        orderBy: [{ openedAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(({ person, response, ...e }) => ({ ...e, personKey: person.key, commKey: response.comm.key }));
    },
    recipient: (personId): Promise<NoticeRecipient> => prisma().person.findUniqueOrThrow({ where: { id: personId }, select: RECIPIENT }),
    recipientsByKey: (projectId, keys) => prisma().person.findMany({ where: { projectId, key: { in: [...keys] } }, select: RECIPIENT }),
    async personKeys(ids) {
      const rows = await prisma().person.findMany({ where: { id: { in: [...ids] } }, select: { id: true, key: true } });
      return new Map(rows.map((p) => [p.id, p.key]));
    },
    addNotice: async (row) => {
      await prisma().message.createMany({ data: [row], skipDuplicates: true });
    },
    async lockNotice(projectId, key) {
      // Locked until commit (Prisma has no FOR UPDATE): a worker claiming this row waits, then renders with these escalations.
      const [row] = await prisma().$queryRawUnsafe<Array<{ id: string; status: string }>>(
        `SELECT "id", "status"::text AS "status" FROM "Message" WHERE "projectId"=$1::uuid AND "key"=$2 FOR UPDATE`,
        projectId,
        key,
      );
      return row;
    },
    noticeId: async (projectId, key) => (await prisma().message.findUniqueOrThrow({ where: { projectId_key: { projectId, key } }, select: { id: true } })).id,
    linkNotice: async (escalationIds, messageId, role) => {
      await prisma().escalationNotice.createMany({ data: escalationIds.map((escalationId) => ({ escalationId, messageId, role })), skipDuplicates: true });
    },
    async notices(escalationIds) {
      const rows = await prisma().escalationNotice.findMany({
        where: { escalationId: { in: [...escalationIds] } },
        select: {
          escalationId: true,
          role: true,
          message: { select: { channel: true, status: true, dueAt: true, sentAt: true, person: { select: { key: true } } } },
        },
        orderBy: [{ message: { dueAt: 'asc' } }, { message: { key: 'asc' } }],
      });
      return rows.map(({ escalationId, role, message: m }) => ({
        escalationId,
        role,
        personKey: m.person.key,
        channel: m.channel,
        status: m.status,
        dueAt: m.dueAt,
        sentAt: m.sentAt,
      }));
    },
  };
}

export function workstreamStore(prisma: () => Tx): WorkstreamStore {
  return {
    async setStatus(projectId, which, s) {
      const targets = await prisma().workstream.findMany({
        where: { projectId, ...which, OR: [{ statusAt: null }, { statusAt: { lte: s.at } }] },
        select: { id: true, key: true },
      });
      if (targets.length === 0) return [];
      await prisma().workstream.updateMany({
        where: { id: { in: targets.map((t) => t.id) } },
        data: { status: s.status, statusComment: s.comment, statusAt: s.at, statusByPersonId: s.byPersonId },
      });
      return targets.map((t) => t.key).sort();
    },
  };
}
