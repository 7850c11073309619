import type { PrismaClient } from '../generated/prisma/client.ts';

export interface SurveyRate {
  commId: string;
  audience: string;
  /** People asked: distinct (occurrence, person) with a survey message sent, on any channel. */
  asked: number;
  answered: number;
}

/**
 * Response rates per survey comm and audience of the comm the person is in, counted in the
 * database: listResponses loads every answer and sent message to count them, which took a
 * 1,014 ms median for the dashboard overview on bench:dashboard's 10,000-person project.
 * `commIds` limits it to those comms; without it, every survey comm of the project.
 */
export async function surveyRates(prisma: PrismaClient, projectId: string, commIds?: readonly string[]): Promise<SurveyRate[]> {
  const rows = await prisma.$queryRawUnsafe<Array<{ commId: string; audience: string; asked: number; answered: number }>>(
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
