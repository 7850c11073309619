import type { CalendarDiff, ExistingMessage, MessageStatus } from '../../domain/replan/diff.ts';
import type { SqlClient } from './sql-client.ts';
import { chunks } from './sql-client.ts';

/**
 * Loads the fields a re-plan compares, for a whole project or only some comms: calendar rows
 * (comm messages and their reminders); escalation notices are no re-plan's business.
 */
export async function loadExisting(db: SqlClient, projectId: string, commIds?: readonly string[]): Promise<ExistingMessage[]> {
  const rows = commIds
    ? await db.$queryRawUnsafe<RawExisting[]>(
        `SELECT "id","key","dueAt","status"::text AS "status","seriesItem" FROM "Message"
         WHERE "projectId"=$1::uuid AND "commId" = ANY($2::uuid[]) AND "kind" IN ('comm','reminder')`,
        projectId,
        [...commIds],
      )
    : await db.$queryRawUnsafe<RawExisting[]>(
        `SELECT "id","key","dueAt","status"::text AS "status","seriesItem" FROM "Message" WHERE "projectId"=$1::uuid AND "kind" IN ('comm','reminder')`,
        projectId,
      );
  return rows.map((r) => ({ id: r.id, key: r.key, dueAt: new Date(r.dueAt), status: r.status, seriesItem: r.seriesItem }));
}

interface RawExisting {
  id: string;
  key: string;
  dueAt: Date | string;
  status: MessageStatus;
  seriesItem: string | null;
}

/**
 * Writes a calendar diff. Updates only touch rows still pending, so a message a worker
 * claimed a moment ago is never moved or cancelled under it.
 */
export async function writeDiff(
  db: SqlClient,
  projectId: string,
  diff: CalendarDiff,
  ids: { person: ReadonlyMap<string, string>; comm: ReadonlyMap<string, string> },
): Promise<void> {
  const inserts = diff.add.filter((a) => !a.reinstateId);
  for (const part of chunks(inserts)) {
    await db.$executeRawUnsafe(
      `INSERT INTO "Message" ("id","projectId","commId","personId","key","occurrence","channel","seriesItem","milestones","dueAt","status","kind")
       SELECT gen_random_uuid(), $1::uuid, c, p, k, o, ch, si, string_to_array(ms, ','), d, st::"MessageStatus", kd
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::text[])
         AS t(c, p, k, o, ch, si, ms, d, st, kd)
       ON CONFLICT ("projectId","key") DO NOTHING`,
      projectId,
      part.map((a) => ids.comm.get(a.occurrence.comm)!),
      part.map((a) => ids.person.get(a.occurrence.personId)!),
      part.map((a) => a.occurrence.key),
      part.map((a) => a.occurrence.occurrence),
      part.map((a) => a.occurrence.channel),
      part.map((a) => a.occurrence.seriesItem ?? null),
      part.map((a) => a.occurrence.milestones.join(',')),
      part.map((a) => a.occurrence.dueAt.toISOString()),
      part.map((a) => a.status),
      part.map((a) => (a.occurrence.reminder === undefined ? 'comm' : 'reminder')),
    );
  }
  const updates = [
    ...diff.add.filter((a) => a.reinstateId).map((a) => ({ id: a.reinstateId!, o: a.occurrence, status: a.status, from: ['cancelled'] })),
    ...diff.move.map((m) => ({ id: m.id, o: m.occurrence, status: m.status, from: ['planned', 'queued', 'skipped'] })),
  ];
  for (const part of chunks(updates)) {
    await db.$executeRawUnsafe(
      `UPDATE "Message" AS m SET "dueAt"=t.d, "status"=t.st::"MessageStatus", "seriesItem"=t.si,
         "milestones"=string_to_array(t.ms, ','), "updatedAt"=now()
       FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, d, st, si, ms, fr)
       WHERE m."id"=t.id AND m."status"::text = ANY(string_to_array(t.fr, ','))`,
      part.map((u) => u.id),
      part.map((u) => u.o.dueAt.toISOString()),
      part.map((u) => u.status),
      part.map((u) => u.o.seriesItem ?? null),
      part.map((u) => u.o.milestones.join(',')),
      part.map((u) => u.from.join(',')),
    );
  }
  for (const part of chunks(diff.cancel)) {
    await db.$executeRawUnsafe(
      `UPDATE "Message" SET "status"='cancelled', "updatedAt"=now()
       WHERE "id" = ANY($1::uuid[]) AND "status" IN ('planned','queued','skipped')`,
      part.map((m) => m.id),
    );
  }
}
