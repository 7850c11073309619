/**
 * The calendar's reads for the dashboard, `herald calendar` and the API, counted and cut in SQL.
 * Measured with bench:dashboard on a 10,000-person project: loading every message of a cutover
 * week and grouping it in Node took a median 6.3 s of server time per calendar page (178 ms
 * counted here, commit e7c3e73); the occurrence groups and copies follow the same rule (b63a101).
 */
import type { GridDay, GridEntry, GridQuery, OccurrenceCopy, OccurrenceGroup, OccurrenceQuery } from '../../app/ports.ts';
import type { CalendarMessageFilter, CalendarMessageRow } from '../../app/ports.ts';
import { MESSAGE_STATUSES } from '../../domain/message-status.ts';
import type { Channel } from '../../domain/plan/model.ts';
import type { SqlClient } from './sql-client.ts';

/** Days (YYYY-MM-DD in `zone`) that have messages, each with its count and first `perDay` entries by due time. */
export async function calendarGrid(db: SqlClient, q: GridQuery): Promise<Map<string, GridDay>> {
  const rows = await db.$queryRawUnsafe<
    Array<{
      key: string;
      comm: string;
      person: string;
      channel: string;
      dueAt: Date | string;
      status: string;
      seriesItem: string | null;
      kind: string;
      occurrence: number;
      day: string;
      total: number | bigint;
    }>
  >(
    `WITH x AS (
       SELECT m."key", c."key" AS "comm", p."key" AS "person", m."channel", m."dueAt", m."status"::text AS "status", m."seriesItem", m."kind", m."occurrence",
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
    const e: GridEntry = {
      key: r.key,
      comm: r.comm,
      occurrence: r.occurrence,
      person: r.person,
      channel: r.channel,
      at: new Date(r.dueAt).toISOString(),
      status: r.status,
    };
    if (r.seriesItem) e.seriesItem = r.seriesItem;
    if (r.kind !== 'comm') e.kind = r.kind;
    d.entries.push(e);
  }
  return days;
}

type Row = { [status: `s_${string}`]: number | bigint | undefined } & {
  comm: string;
  occurrence: number;
  kind: string;
  seriesItem: string | null;
  first: Date | string;
  last: Date | string;
  localMin: string;
  localMax: string;
  people: number | bigint;
  copies: number | bigint;
  slack: number | bigint;
  email: number | bigint;
  audiences: Record<string, number> | string | null;
  occurrences: number | bigint | null;
};

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/**
 * The comm occurrences with messages due in [from, to), in order of their first copy.
 * One pass over the copies, counted per occurrence and per set of audiences a person is in (a
 * handful of rows), then summed: each person has one set, so the people of an occurrence are the
 * sum of its sets' and the people per audience follow from the sets without reading the copies
 * again. The earlier form (every copy materialised, then sorted and counted twice, once for the
 * audiences) made the calendar page 318 ms median on bench:dashboard, over its 300 ms aim (7 Dec
 * 2026, load 5); with this one (and the plan cached) the page took 0.56× the time in three runs
 * interleaved with the old build: 831 against 1,480 ms median at load ~20 (README, "Benchmarks").
 */
export async function calendarOccurrences(db: SqlClient, q: OccurrenceQuery): Promise<OccurrenceGroup[]> {
  const rows = await db.$queryRawUnsafe<Row[]>(
    `WITH s AS (
       SELECT m."commId", m."occurrence", m."kind", coalesce(m."seriesItem", '') AS "item", p."audiences",
              count(DISTINCT m."personId") AS "people", min(m."dueAt") AS "first", max(m."dueAt") AS "last",
              min(to_char(m."dueAt" AT TIME ZONE p."timezone", 'HH24:MI')) AS "localMin", max(to_char(m."dueAt" AT TIME ZONE p."timezone", 'HH24:MI')) AS "localMax",
              count(*) AS "copies", count(*) FILTER (WHERE m."channel" = 'slack') AS "slack", count(*) FILTER (WHERE m."channel" = 'email') AS "email",
              ${MESSAGE_STATUSES.map((st) => `count(*) FILTER (WHERE m."status" = '${st}') AS "s_${st}"`).join(', ')}
       FROM "Message" m JOIN "Person" p ON p."id" = m."personId" ${q.comm === undefined ? '' : 'JOIN "Comm" cf ON cf."id" = m."commId"'}
       WHERE m."projectId" = $1::uuid
         AND ($2::timestamptz IS NULL OR m."dueAt" >= $2::timestamptz) AND ($3::timestamptz IS NULL OR m."dueAt" < $3::timestamptz)
         AND ($4::boolean OR m."status" <> 'cancelled')
         AND ($5::text IS NULL OR p."key" = $5) ${q.comm === undefined ? 'AND $6::text IS NULL' : 'AND cf."key" = $6'}
         AND ($7::text IS NULL OR m."channel" = $7) AND ($8::text IS NULL OR $8 = ANY(p."audiences"))
         AND ($9::int IS NULL OR m."occurrence" = $9) AND ($10::text IS NULL OR m."kind" = $10)
       GROUP BY 1, 2, 3, 4, 5),
     g AS (
       SELECT "commId", "occurrence", "kind", "item", sum("people")::int AS "people", min("first") AS "first", max("last") AS "last",
              min("localMin") AS "localMin", max("localMax") AS "localMax", sum("copies")::int AS "copies", sum("slack")::int AS "slack", sum("email")::int AS "email",
              ${MESSAGE_STATUSES.map((st) => `sum("s_${st}")::int AS "s_${st}"`).join(', ')}
       FROM s GROUP BY 1, 2, 3, 4),
     a AS (
       SELECT "commId", "occurrence", "kind", "item", jsonb_object_agg("audience", n) AS "audiences"
       FROM (SELECT s."commId", s."occurrence", s."kind", s."item", aud AS "audience", sum(s."people")::int AS n
             FROM s JOIN "Comm" c ON c."id" = s."commId", unnest(s."audiences") AS aud
             WHERE aud = ANY(c."audiences") GROUP BY 1, 2, 3, 4, 5) t GROUP BY 1, 2, 3, 4)
     SELECT c."key" AS "comm", g."occurrence", g."kind", nullif(g."item", '') AS "seriesItem", g."first", g."last", g."localMin", g."localMax",
            g."people", g."copies", g."slack", g."email", ${MESSAGE_STATUSES.map((st) => `g."s_${st}"`).join(', ')}, a."audiences",
            (SELECT max(mm."occurrence") + 1 FROM "Message" mm WHERE mm."commId" = g."commId") AS "occurrences"
     FROM g LEFT JOIN a USING ("commId", "occurrence", "kind", "item")
       JOIN "Comm" c ON c."id" = g."commId"
     ORDER BY g."first", c."key", g."occurrence", g."kind"`,
    q.projectId,
    q.from?.toISOString() ?? null,
    q.to?.toISOString() ?? null,
    q.includeCancelled ?? false,
    q.person ?? null,
    q.comm ?? null,
    q.channel ?? null,
    q.audience ?? null,
    q.occurrence ?? null,
    q.kind ?? null,
  );
  return rows.map((r): OccurrenceGroup => {
    const g: OccurrenceGroup = {
      comm: r.comm,
      occurrence: Number(r.occurrence),
      occurrences: Number(r.occurrences ?? Number(r.occurrence) + 1),
      first: new Date(r.first).toISOString(),
      last: new Date(r.last).toISOString(),
      localTime: r.localMin === r.localMax ? r.localMin : null,
      people: Number(r.people),
      copies: Number(r.copies),
      channels: { slack: Number(r.slack), email: Number(r.email) },
      audiences: r.audiences === null ? {} : json(r.audiences),
      statuses: Object.fromEntries(MESSAGE_STATUSES.map((st) => [st, Number(r[`s_${st}`] ?? 0)]).filter(([, n]) => n)),
    };
    if (r.kind !== 'comm') g.kind = r.kind;
    if (r.seriesItem !== null) g.seriesItem = r.seriesItem;
    return g;
  });
}

/** The copies of one comm occurrence (of one kind), by due time, the first `limit` of them. */
export async function occurrenceCopies(
  db: SqlClient,
  q: { projectId: string; comm: string; occurrence: number; kind: string; limit: number },
): Promise<{ copies: OccurrenceCopy[]; total: number }> {
  const rows = await db.$queryRawUnsafe<
    Array<{ key: string; person: string; name: string; timezone: string; channel: string; dueAt: Date | string; status: string; total: number | bigint }>
  >(
    `SELECT m."key", p."key" AS "person", p."name", p."timezone", m."channel", m."dueAt", m."status"::text AS "status", count(*) OVER () AS "total"
     FROM "Message" m JOIN "Comm" c ON c."id" = m."commId" JOIN "Person" p ON p."id" = m."personId"
     WHERE m."projectId" = $1::uuid AND c."key" = $2 AND m."occurrence" = $3 AND m."kind" = $4
     ORDER BY m."dueAt", p."name", m."channel" LIMIT $5`,
    q.projectId,
    q.comm,
    q.occurrence,
    q.kind,
    q.limit,
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    copies: rows.map((r) => ({
      key: r.key,
      person: r.person,
      name: r.name,
      timezone: r.timezone,
      channel: r.channel,
      at: new Date(r.dueAt).toISOString(),
      status: r.status,
    })),
  };
}

/** A project's messages in a due-time range, for `herald calendar`, the API and the feeds. */
export async function calendarMessages(db: SqlClient, projectId: string, f: CalendarMessageFilter): Promise<CalendarMessageRow[]> {
  const rows = await db.$queryRawUnsafe<Array<Omit<CalendarMessageRow, 'dueAt' | 'sentAt'> & { dueAt: Date | string; sentAt: Date | string | null }>>(
    `SELECT m."key", c."key" AS "comm", p."key" AS "person", m."channel", m."dueAt", p."timezone" AS "tz",
            m."occurrence", m."status"::text AS "status", m."seriesItem", m."explainHash", m."kind", m."id", m."sentAt"
     FROM "Message" m JOIN "Comm" c ON c."id"=m."commId" JOIN "Person" p ON p."id"=m."personId"
     WHERE m."projectId"=$1::uuid
       AND ($2::timestamptz IS NULL OR m."dueAt" >= $2::timestamptz)
       AND ($3::timestamptz IS NULL OR m."dueAt" < $3::timestamptz)
       AND ($4::text IS NULL OR p."key" = $4)
       AND ($5::boolean OR m."status" <> 'cancelled')
       AND ($6::text IS NULL OR c."key" = $6)
     ORDER BY m."dueAt", m."key"`,
    projectId,
    f.from?.toISOString() ?? null,
    f.to?.toISOString() ?? null,
    f.person,
    f.includeCancelled,
    f.comm,
  );
  return rows.map((r) => ({ ...r, occurrence: Number(r.occurrence), dueAt: new Date(r.dueAt), sentAt: r.sentAt === null ? null : new Date(r.sentAt) }));
}

/** Every pending message of every project (one mailbox and one workspace serve them all), by due time. */
export async function pendingMessages(db: SqlClient): Promise<Array<{ id: string; channel: Channel; personId: string; dueAt: Date; sender: string | null }>> {
  // The sender is read once per project (MATERIALIZED), not once per message from a plan of megabytes.
  const rows = await db.$queryRawUnsafe<Array<{ id: string; channel: Channel; personId: string; dueAt: Date | string; sender: string | null }>>(
    `WITH s AS MATERIALIZED (SELECT "id", "plan"->'project'->'sender'->>'email' AS "sender" FROM "Project")
     SELECT m."id", m."channel", m."personId", m."dueAt", s."sender" FROM "Message" m JOIN s ON s."id"=m."projectId"
     WHERE m."status" IN ('planned','queued','sending') ORDER BY m."dueAt", m."key"`,
  );
  return rows.map((r) => ({ ...r, dueAt: new Date(r.dueAt) }));
}
