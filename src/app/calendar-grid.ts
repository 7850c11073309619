/**
 * The dashboard calendar's cells: per day (in the viewer's zone) the number of messages and the
 * first few of them, counted and cut in the database. A 10,000-person project has tens of
 * thousands of messages in a cutover week; loading them all through queryCalendar (explanations
 * included) took a median 6.3 s of server time per page (bench:dashboard), against 300 ms.
 */
import type { SqlClient } from '../db/repo/sql-client.ts';

export interface GridEntry {
  key: string;
  comm: string;
  person: string;
  channel: string;
  /** Due time, ISO-8601 UTC. */
  at: string;
  status: string;
  seriesItem?: string;
  /** Absent for a comm's own message; `reminder`, `escalation`, … otherwise. */
  kind?: string;
}

export interface GridDay {
  total: number;
  entries: GridEntry[];
}

export interface GridQuery {
  projectId: string;
  from: Date;
  to: Date;
  /** The zone whose days the cells are. */
  zone: string;
  /** Entries kept per day (the rest are only counted). */
  perDay: number;
  person?: string | undefined;
  comm?: string | undefined;
  channel?: string | undefined;
  audience?: string | undefined;
}

/** Days (YYYY-MM-DD in `zone`) that have messages, each with its count and first `perDay` entries by due time. */
export async function calendarGrid(db: SqlClient, q: GridQuery): Promise<Map<string, GridDay>> {
  const rows = await db.$queryRawUnsafe<Array<{ key: string; comm: string; person: string; channel: string; dueAt: Date | string; status: string; seriesItem: string | null; kind: string; day: string; total: number | bigint }>>(
    `WITH x AS (
       SELECT m."key", c."key" AS "comm", p."key" AS "person", m."channel", m."dueAt", m."status"::text AS "status", m."seriesItem", m."kind",
              to_char(m."dueAt" AT TIME ZONE $4, 'YYYY-MM-DD') AS "day"
       FROM "Message" m JOIN "Comm" c ON c."id" = m."commId" JOIN "Person" p ON p."id" = m."personId"
       WHERE m."projectId" = $1::uuid AND m."dueAt" >= $2::timestamptz AND m."dueAt" < $3::timestamptz AND m."status" <> 'cancelled'
         AND ($5::text IS NULL OR p."key" = $5) AND ($6::text IS NULL OR c."key" = $6)
         AND ($7::text IS NULL OR m."channel" = $7) AND ($8::text IS NULL OR $8 = ANY(p."audiences"))),
     y AS (SELECT x.*, row_number() OVER (PARTITION BY "day" ORDER BY "dueAt", "key") AS n, count(*) OVER (PARTITION BY "day") AS "total" FROM x)
     SELECT * FROM y WHERE n <= $9 ORDER BY "dueAt", "key"`,
    q.projectId,
    q.from.toISOString(),
    q.to.toISOString(),
    q.zone,
    q.person ?? null,
    q.comm ?? null,
    q.channel ?? null,
    q.audience ?? null,
    q.perDay,
  );
  const days = new Map<string, GridDay>();
  for (const r of rows) {
    let d = days.get(r.day);
    if (!d) days.set(r.day, (d = { total: Number(r.total), entries: [] }));
    const e: GridEntry = { key: r.key, comm: r.comm, person: r.person, channel: r.channel, at: new Date(r.dueAt).toISOString(), status: r.status };
    if (r.seriesItem) e.seriesItem = r.seriesItem;
    if (r.kind !== 'comm') e.kind = r.kind;
    d.entries.push(e);
  }
  return days;
}
