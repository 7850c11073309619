/**
 * Approvals before send, their votes and the messages they hold, through Prisma. The only SQL here
 * takes a row lock (FOR UPDATE) and groups unsent messages by occurrence, which Prisma cannot
 * express; no benchmark figure asked for it.
 */
import type { ApprovalRow, ApprovalStore, ApprovalVariant, ApprovalVoteRow, ApprovalWithPlan } from '../../app/ports.ts';
import type { ApprovalState } from '../../domain/approval/rules.ts';
import type { Tx } from '../transaction.ts';
import { decodePlan } from './json-columns.ts';

type Stored = Omit<ApprovalRow, 'state' | 'preview'> & { state: string; preview: unknown };

function row(a: Stored): ApprovalRow {
  return { ...a, state: a.state as ApprovalState, preview: a.preview as ApprovalVariant[] };
}

const APPROVAL_FIELDS = {
  id: true,
  projectId: true,
  commId: true,
  occurrence: true,
  round: true,
  contentHash: true,
  preview: true,
  state: true,
  firstSendAt: true,
  requestedAt: true,
  decidedAt: true,
  note: true,
  heldNoticeAt: true,
  checkedPlanAt: true,
} as const;

export function approvalStore(prisma: () => Tx): ApprovalStore {
  const get = async (id: string): Promise<ApprovalWithPlan | null> => {
    const a = await prisma().approval.findUnique({
      where: { id },
      select: { ...APPROVAL_FIELDS, project: { select: { key: true, plan: true, updatedAt: true } }, comm: { select: { key: true } } },
    });
    if (!a) return null;
    const { project, comm, ...rest } = a;
    return { ...row(rest), projectKey: project.key, plan: decodePlan(project.plan), planUpdatedAt: project.updatedAt, commKey: comm.key };
  };
  return {
    async pending(projectId, commKeys) {
      if (commKeys.length === 0) return [];
      const groups = await prisma().$queryRawUnsafe<Array<{ commId: string; commKey: string; occurrence: number; first: Date; seriesItem: string | null }>>(
        // The first send counts the occurrence's sent messages too: one going out must not read as "the date moved".
        `SELECT m."commId", c."key" AS "commKey", m."occurrence", MIN(m."dueAt") AS "first", MIN(m."seriesItem") AS "seriesItem"
           FROM "Message" m JOIN "Comm" c ON c."id"=m."commId"
          WHERE m."projectId"=$1::uuid AND c."key" = ANY($2::text[]) AND m."kind"='comm' AND m."status" <> 'cancelled'
          GROUP BY m."commId", c."key", m."occurrence"
         HAVING bool_or(m."status" IN ('planned','queued','held','sending'))
          ORDER BY MIN(m."dueAt"), c."key", m."occurrence"`,
        projectId,
        [...commKeys],
      );
      const approvals = await prisma().approval.findMany({ where: { projectId, comm: { key: { in: [...commKeys] } } }, select: APPROVAL_FIELDS });
      const byKey = new Map(approvals.map((a) => [`${a.commId}#${a.occurrence}`, row(a)]));
      return groups.map((g) => ({
        commId: g.commId,
        commKey: g.commKey,
        occurrence: Number(g.occurrence),
        firstSendAt: new Date(g.first),
        seriesItem: g.seriesItem,
        approval: byKey.get(`${g.commId}#${Number(g.occurrence)}`) ?? null,
      }));
    },
    async find(projectId, commId, occurrence) {
      const a = await prisma().approval.findUnique({ where: { projectId_commId_occurrence: { projectId, commId, occurrence } }, select: APPROVAL_FIELDS });
      return a ? row(a) : null;
    },
    async lock(id) {
      const [locked] = await prisma().$queryRawUnsafe<Array<{ id: string }>>(`SELECT "id" FROM "Approval" WHERE "id"=$1::uuid FOR UPDATE`, id);
      if (!locked) return null;
      return get(id);
    },
    get,
    async create(data) {
      // Two workers reaching a new occurrence at once: the second finds it made (and asks no one).
      const made = await prisma().approval.createMany({ data: [{ ...data, preview: JSON.parse(JSON.stringify(data.preview)) }], skipDuplicates: true });
      if (made.count === 0) return null;
      const a = await prisma().approval.findUniqueOrThrow({
        where: { projectId_commId_occurrence: { projectId: data.projectId, commId: data.commId, occurrence: data.occurrence } },
        select: APPROVAL_FIELDS,
      });
      return row(a);
    },
    async update(id, data) {
      const { preview, ...rest } = data;
      await prisma().approval.update({ where: { id }, data: preview === undefined ? rest : { ...rest, preview: JSON.parse(JSON.stringify(preview)) } });
    },
    async votes(approvalId, round) {
      const rows = await prisma().approvalVote.findMany({ where: { approvalId, round }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
      return rows.map((v) => ({ ...v, decision: v.decision as ApprovalVoteRow['decision'] }));
    },
    async vote(approvalId, v) {
      const { approver, round, ...rest } = v;
      await prisma().approvalVote.upsert({
        where: { approvalId_round_approver: { approvalId, round, approver } },
        create: { approvalId, round, approver, ...rest },
        update: rest,
      });
    },
    async hold(messageId) {
      // Not an attempt: the claim counted one, the hold gives it back.
      const n = await prisma().message.updateMany({
        where: { id: messageId, status: 'sending' },
        data: { status: 'held', attempts: { decrement: 1 } },
      });
      return n.count === 1;
    },
    held: (projectId, commId, occurrence) =>
      prisma().message.findMany({
        where: { projectId, commId, occurrence, status: 'held' },
        select: { id: true, dueAt: true },
        orderBy: [{ dueAt: 'asc' }, { key: 'asc' }],
      }),
    async release(ids) {
      if (ids.length === 0) return 0;
      return (await prisma().message.updateMany({ where: { id: { in: [...ids] }, status: 'held' }, data: { status: 'planned' } })).count;
    },
    async skip(ids, reason, at) {
      if (ids.length === 0) return;
      const moved = await prisma().message.updateManyAndReturn({
        where: { id: { in: [...ids] }, status: 'held' },
        data: { status: 'skipped' },
        select: { id: true, channel: true },
      });
      await prisma().delivery.createMany({ data: moved.map((m) => ({ messageId: m.id, at, channel: m.channel, outcome: 'skipped', error: reason })) });
    },
    async cancelRequests(projectId, commId, occurrence) {
      await prisma().message.updateMany({
        where: { projectId, commId, occurrence, kind: 'approval-request', status: { in: ['planned', 'queued'] } },
        data: { status: 'cancelled' },
      });
    },
    async addMessage(m) {
      await prisma().message.createMany({ data: [m], skipDuplicates: true });
      return (await prisma().message.findUniqueOrThrow({ where: { projectId_key: { projectId: m.projectId, key: m.key } }, select: { id: true } })).id;
    },
    async moveMessage(projectId, key, dueAt) {
      await prisma().message.updateMany({ where: { projectId, key, status: 'planned' }, data: { dueAt } });
    },
    async recipients(projectId, commId, occurrence) {
      const rows = await prisma().message.findMany({
        where: { projectId, commId, occurrence, kind: 'comm', status: { not: 'cancelled' } },
        distinct: ['personId'],
        select: { personId: true },
      });
      return rows.length;
    },
    async markHeldNotice(id, at) {
      return (await prisma().approval.updateMany({ where: { id, heldNoticeAt: null }, data: { heldNoticeAt: at } })).count === 1;
    },
    async list(projectId) {
      const rows = await prisma().approval.findMany({
        where: { projectId },
        select: { ...APPROVAL_FIELDS, comm: { select: { key: true } }, votes: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } },
        orderBy: [{ firstSendAt: 'asc' }, { occurrence: 'asc' }],
      });
      const held = await prisma().message.groupBy({ by: ['commId', 'occurrence'], where: { projectId, status: 'held' }, _count: { _all: true } });
      const heldBy = new Map(held.map((h) => [`${h.commId}#${h.occurrence}`, h._count._all]));
      return rows.map(({ comm, votes, ...a }) => ({
        ...row(a),
        commKey: comm.key,
        votes: votes.filter((v) => v.round === a.round).map((v) => ({ ...v, decision: v.decision as ApprovalVoteRow['decision'] })),
        held: heldBy.get(`${a.commId}#${a.occurrence}`) ?? 0,
      }));
    },
  };
}
