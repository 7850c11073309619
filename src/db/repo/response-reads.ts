/**
 * The responses views' reads. Prisma, except the response rates: counting people asked and
 * answered per audience in one SQL query replaced loading every answer and sent survey message
 * (bench:dashboard, 10,000 people: the overview and Responses pages, commits dfb74e1 and 79b6e04,
 * the Responses page from a 7,364 ms median).
 */
import type { AnswerFilter, ResponseReads } from '../../app/ports.ts';
import type { SurveyRate } from '../../app/ports.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Tx } from '../transaction.ts';
import { decodePlan } from './json-columns.ts';
import type { SqlClient } from './sql-client.ts';

/**
 * Response rates per survey comm and audience of the comm the person is in, counted in the
 * database: listResponses loads every answer and sent message to count them, which took a
 * 1,014 ms median for the dashboard overview on bench:dashboard's 10,000-person project.
 * `commIds` limits it to those comms; without it, every survey comm of the project.
 */
export async function surveyRates(db: SqlClient, projectId: string, commIds?: readonly string[]): Promise<SurveyRate[]> {
  const rows = await db.$queryRawUnsafe<Array<{ commId: string; audience: string; asked: number; answered: number }>>(
    `WITH asked AS (
       SELECT DISTINCT m."commId", m."occurrence", m."personId"
       FROM "Message" m JOIN "Survey" s ON s."commId" = m."commId"
       WHERE m."projectId" = $1::uuid AND ($2::uuid[] IS NULL OR m."commId" = ANY($2::uuid[])) AND m."kind" = 'comm' AND m."status" = 'sent')
     SELECT x."commId", a.audience, count(*)::int AS asked, count(r."id")::int AS answered
     FROM asked x
     JOIN "Comm" c ON c."id" = x."commId"
     JOIN "Person" p ON p."id" = x."personId"
     CROSS JOIN LATERAL unnest(c."audiences") AS a(audience)
     LEFT JOIN "Response" r ON r."commId" = x."commId" AND r."occurrence" = x."occurrence" AND r."personId" = x."personId"
     WHERE a.audience = ANY(p."audiences")
     GROUP BY x."commId", a.audience`,
    projectId,
    commIds ? [...commIds] : null,
  );
  return rows.map((r) => ({ commId: r.commId, audience: r.audience, asked: Number(r.asked), answered: Number(r.answered) }));
}

const ANSWER_INCLUDE = {
  comm: { select: { key: true } },
  person: { select: { key: true, name: true, audiences: true } },
  history: { orderBy: { at: 'asc' } },
} as const;

function matching(f: AnswerFilter): Prisma.ResponseWhereInput {
  const matches: Prisma.ResponseWhereInput = f.search
    ? {
        OR: [
          { comment: { contains: f.search, mode: 'insensitive' } },
          { person: { key: { contains: f.search, mode: 'insensitive' } } },
          { person: { name: { contains: f.search, mode: 'insensitive' } } },
        ],
      }
    : {};
  return { projectId: f.projectId, commId: { in: [...f.commIds] }, ...matches };
}

export function responseReads(sql: SqlClient, prisma: () => Tx): ResponseReads {
  return {
    async project(projectKey) {
      const p = await prisma().project.findUnique({ where: { key: projectKey }, select: { id: true, plan: true } });
      return p ? { id: p.id, plan: decodePlan(p.plan) } : undefined;
    },
    all: (projectId, commKey) =>
      prisma().response.findMany({
        where: { projectId, comm: commKey === undefined ? undefined : { key: commKey } },
        include: ANSWER_INCLUDE,
        orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      }),
    asked: (projectId, commKeys) =>
      prisma().message.findMany({
        where: { projectId, kind: 'comm', status: 'sent', comm: { key: { in: [...commKeys] } } },
        select: { occurrence: true, comm: { select: { key: true } }, person: { select: { key: true, audiences: true } } },
        distinct: ['commId', 'occurrence', 'personId'],
      }),
    commIds: (projectId, keys) => prisma().comm.findMany({ where: { projectId, key: { in: [...keys] } }, select: { id: true, key: true } }),
    counts: async (projectId, commIds) =>
      (await prisma().response.groupBy({ by: ['commId', 'option'], where: { projectId, commId: { in: [...commIds] } }, _count: { _all: true } })).map((n) => ({
        commId: n.commId,
        option: n.option,
        count: n._count._all,
      })),
    rates: (projectId, commIds) => surveyRates(sql, projectId, commIds),
    async latest(f, limit) {
      const where = matching(f);
      const [rows, count] = await Promise.all([
        prisma().response.findMany({ where, include: ANSWER_INCLUDE, orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }], take: limit }),
        prisma().response.count({ where }),
      ]);
      return { rows, matching: count };
    },
    latestComments: (f, limit) =>
      prisma().response.findMany({
        where: { ...matching(f), comment: { not: null } },
        select: { commId: true, option: true, comment: true, person: { select: { key: true, name: true } } },
        orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
        take: limit,
      }),
  };
}
