/**
 * The calendar's rows: what a re-plan compares and the diff it writes, next occurrence indexes,
 * and who answered or paused (survey reminders).
 * Raw SQL because it runs inside apply's driver-level transaction (stores.transaction with
 * { bulk: true }), which bulk-loads new messages with COPY; move-milestone, send-manual and trigger
 * firings share it. bench:plan, 10,000 people: first apply of 209,943 messages median 3.22 s (1.46×
 * a plain bulk insert of the rows), re-apply unchanged 1.70 s, move `cutover` 0.69 s (README,
 * Development); bulk upserts through unnest() keep a plan to a handful of statements.
 */
import type { CalendarDiff, ExistingMessage, MessageStatus } from '../../domain/replan/diff.ts';
import type { CalendarIds } from '../../app/ports.ts';
import { explainKey } from '../../domain/schedule/explain.ts';
import { saveExplanations } from './explanation-store.ts';
import type { SqlClient } from './sql-client.ts';
import { chunks } from './sql-client.ts';
import { copyMessages, worthBulkLoad } from './message-copy.ts';

/**
 * Loads the fields a re-plan compares, for a whole project or only some comms: calendar rows
 * (comm messages and their reminders); escalation notices are no re-plan's business.
 */
export async function loadExisting(db: SqlClient, projectId: string, commIds?: readonly string[]): Promise<ExistingMessage[]> {
  const rows = commIds
    ? await db.$queryRawUnsafe<RawExisting[]>(
        `SELECT "id","key","dueAt","status"::text AS "status","seriesItem","explainHash" FROM "Message"
         WHERE "projectId"=$1::uuid AND "commId" = ANY($2::uuid[]) AND "kind" IN ('comm','reminder')`,
        projectId,
        [...commIds],
      )
    : await db.$queryRawUnsafe<RawExisting[]>(
        `SELECT "id","key","dueAt","status"::text AS "status","seriesItem","explainHash"` +
          ` FROM "Message" WHERE "projectId"=$1::uuid AND "kind" IN ('comm','reminder')`,
        projectId,
      );
  return rows.map((r) => ({ id: r.id, key: r.key, dueAt: new Date(r.dueAt), status: r.status, seriesItem: r.seriesItem, explainHash: r.explainHash }));
}

interface RawExisting {
  id: string;
  key: string;
  dueAt: Date | string;
  status: MessageStatus;
  seriesItem: string | null;
  explainHash: string | null;
}

/**
 * Writes a calendar diff. Updates only touch rows still pending, so a message a worker
 * claimed a moment ago is never moved or cancelled under it.
 */
export async function writeDiff(
  db: SqlClient,
  projectId: string,
  diff: CalendarDiff,
  ids: Pick<CalendarIds, 'person' | 'comm'>,
  opts: { bulkLoadMinRows?: number } = {},
): Promise<void> {
  await saveExplanations(
    db,
    projectId,
    [...diff.add, ...diff.move, ...diff.reexplain].map((x) => x.occurrence),
  );
  const inserts = diff.add.filter((a) => !a.reinstateId);
  // Inside the transaction that loaded the existing rows no key of `inserts` can exist (the table
  // lock taken by the bulk path keeps it so), so COPY needs no ON CONFLICT.
  const bulk = await worthBulkLoad(db, inserts.length, opts.bulkLoadMinRows);
  if (bulk) await copyMessages(db, projectId, inserts, ids);
  for (const part of bulk ? [] : chunks(inserts)) {
    await db.$executeRawUnsafe(
      `INSERT INTO "Message" ("id","projectId","commId","personId","key","occurrence","channel","seriesItem","milestones","dueAt","status","explainHash","kind")
       SELECT gen_random_uuid(), $1::uuid, c, p, k, o, ch, si, string_to_array(ms, ','), d, st::"MessageStatus", eh, kd
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::text[], $12::text[])
         AS t(c, p, k, o, ch, si, ms, d, st, eh, kd)
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
      part.map((a) => explainKey(a.occurrence.explain).hash),
      part.map((a) => (a.occurrence.reminder === undefined ? 'comm' : 'reminder')),
    );
  }
  const updates = [
    ...diff.add.filter((a) => a.reinstateId).map((a) => ({ id: a.reinstateId!, o: a.occurrence, status: a.status, from: ['cancelled'] })),
    ...diff.move.map((m) => ({ id: m.id, o: m.occurrence, status: m.status, from: ['planned', 'queued', 'skipped', 'held'] })),
  ];
  for (const part of chunks(updates)) {
    await db.$executeRawUnsafe(
      `UPDATE "Message" AS m SET "dueAt"=t.d, "status"=t.st::"MessageStatus", "seriesItem"=t.si,
         "milestones"=string_to_array(t.ms, ','), "explainHash"=t.eh, "updatedAt"=now()
       FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(id, d, st, si, ms, fr, eh)
       WHERE m."id"=t.id AND m."status"::text = ANY(string_to_array(t.fr, ','))`,
      part.map((u) => u.id),
      part.map((u) => u.o.dueAt.toISOString()),
      part.map((u) => u.status),
      part.map((u) => u.o.seriesItem ?? null),
      part.map((u) => u.o.milestones.join(',')),
      part.map((u) => u.from.join(',')),
      part.map((u) => explainKey(u.o.explain).hash),
    );
  }
  for (const part of chunks(diff.reexplain)) {
    await db.$executeRawUnsafe(
      `UPDATE "Message" AS m SET "explainHash"=t.eh FROM unnest($1::uuid[], $2::text[]) AS t(id, eh)
       WHERE m."id"=t.id AND m."status" IN ('planned','queued','skipped','held')`,
      part.map((u) => u.id),
      part.map((u) => explainKey(u.occurrence.explain).hash),
    );
  }
  for (const part of chunks(diff.cancel)) {
    await db.$executeRawUnsafe(
      `UPDATE "Message" SET "status"='cancelled', "updatedAt"=now()
       WHERE "id" = ANY($1::uuid[]) AND "status" IN ('planned','queued','skipped','held')`,
      part.map((m) => m.id),
    );
  }
}

export async function nextOccurrence(db: SqlClient, commId: string): Promise<number> {
  const [row] = await db.$queryRawUnsafe<Array<{ next: number }>>(
    `SELECT COALESCE(MAX("occurrence") + 1, 0)::int AS "next" FROM "Message" WHERE "commId"=$1::uuid`,
    commId,
  );
  return Number(row?.next ?? 0);
}

export async function lastOccurrence(db: SqlClient, commId: string): Promise<number> {
  const [row] = await db.$queryRawUnsafe<Array<{ n: number }>>(`SELECT COALESCE(MAX("occurrence"),0)::int AS n FROM "Message" WHERE "commId"=$1::uuid`, commId);
  return Number(row?.n ?? 0);
}

/** Who has answered the surveys of these comms (survey reminders skip them). */
export async function answeredSurveys(
  db: SqlClient,
  projectId: string,
  commKeys: readonly string[],
): Promise<Array<{ comm: string; occurrence: number; person: string }>> {
  const rows = await db.$queryRawUnsafe<Array<{ comm: string; occurrence: number; person: string }>>(
    `SELECT c."key" AS "comm", r."occurrence", p."key" AS "person"
     FROM "Response" r JOIN "Comm" c ON c."id"=r."commId" JOIN "Person" p ON p."id"=r."personId"
     WHERE r."projectId"=$1::uuid AND c."key" = ANY($2::text[])`,
    projectId,
    [...commKeys],
  );
  return rows.map((r) => ({ comm: r.comm, occurrence: Number(r.occurrence), person: r.person }));
}

/** People whose survey reminders are paused (out of office) past `now`. */
export async function remindersPaused(db: SqlClient, projectId: string, now: Date): Promise<Array<{ key: string; until: Date }>> {
  const rows = await db.$queryRawUnsafe<Array<{ key: string; until: Date | string }>>(
    `SELECT "key", "remindersPausedUntil" AS "until" FROM "Person" WHERE "projectId"=$1::uuid AND "remindersPausedUntil" > $2::timestamptz`,
    projectId,
    now.toISOString(),
  );
  return rows.map((r) => ({ key: r.key, until: new Date(r.until) }));
}
