/**
 * The calendar as a PM plans it: one row per comm occurrence ("Tue 19 Jan 14:00 local · Hypercare
 * check-in 2 of 3 → 40 people: Slack 29, e-mail 11"), not one per person and channel (the example's
 * go-live week is 334 of those). Counted in the database: a 10,000-person week is tens of thousands
 * of messages, and only the groups leave PostgreSQL. The dashboard, `herald calendar` and the API's
 * `group=occurrence` all read this.
 */
import { DateTime } from 'luxon';
import { loadProject } from '../db/repo/project-store.ts';
import type { SqlClient } from '../db/repo/sql-client.ts';
import { MESSAGE_STATUSES } from '../domain/message-status.ts';
import { commOccurrenceTitle, readableKey } from '../domain/plan/comm-title.ts';
import type { Plan } from '../domain/plan/model.ts';

export type MessageStatusName = (typeof MESSAGE_STATUSES)[number];

export interface OccurrenceGroup {
  comm: string;
  /** 0-based index of the occurrence within its comm. */
  occurrence: number;
  /** Occurrences the comm has so far (its highest index + 1), for "2 of 3". */
  occurrences: number;
  /** Absent for the comm's own messages; `reminder`, `escalation`, `escalation-update` otherwise. */
  kind?: string;
  seriesItem?: string;
  /** First and last due instants of the copies, ISO-8601 UTC. */
  first: string;
  last: string;
  /** "HH:mm" when every copy is due at the same wall time in its person's zone (the usual case). */
  localTime: string | null;
  people: number;
  copies: number;
  channels: { slack: number; email: number };
  /** People per audience the comm targets (a person in two counts in both). */
  audiences: Record<string, number>;
  /** Copies per status, only the statuses present. */
  statuses: Partial<Record<MessageStatusName, number>>;
}

export interface OccurrenceQuery {
  projectId: string;
  from?: Date | undefined;
  to?: Date | undefined;
  person?: string | undefined;
  comm?: string | undefined;
  channel?: string | undefined;
  audience?: string | undefined;
  includeCancelled?: boolean | undefined;
  /** One occurrence (with `comm`) of one kind (`comm` for the comm's own messages). */
  occurrence?: number | undefined;
  kind?: string | undefined;
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

/** The comm occurrences with messages due in [from, to), in order of their first copy. */
export async function calendarOccurrences(db: SqlClient, q: OccurrenceQuery): Promise<OccurrenceGroup[]> {
  const rows = await db.$queryRawUnsafe<Row[]>(
    `WITH x AS (
       SELECT m."commId", m."occurrence", m."kind", m."seriesItem", m."channel", m."status"::text AS "status", m."dueAt", m."personId",
              p."audiences" AS "personAudiences", to_char(m."dueAt" AT TIME ZONE p."timezone", 'HH24:MI') AS "local"
       FROM "Message" m JOIN "Person" p ON p."id" = m."personId" ${q.comm === undefined ? '' : 'JOIN "Comm" cf ON cf."id" = m."commId"'}
       WHERE m."projectId" = $1::uuid
         AND ($2::timestamptz IS NULL OR m."dueAt" >= $2::timestamptz) AND ($3::timestamptz IS NULL OR m."dueAt" < $3::timestamptz)
         AND ($4::boolean OR m."status" <> 'cancelled')
         AND ($5::text IS NULL OR p."key" = $5) ${q.comm === undefined ? 'AND $6::text IS NULL' : 'AND cf."key" = $6'}
         AND ($7::text IS NULL OR m."channel" = $7) AND ($8::text IS NULL OR $8 = ANY(p."audiences"))
         AND ($9::int IS NULL OR m."occurrence" = $9) AND ($10::text IS NULL OR m."kind" = $10)),
     g AS (
       SELECT "commId", "occurrence", "kind", coalesce("seriesItem", '') AS "item",
              min("dueAt") AS "first", max("dueAt") AS "last", min("local") AS "localMin", max("local") AS "localMax",
              count(DISTINCT "personId") AS "people", count(*) AS "copies",
              count(*) FILTER (WHERE "channel" = 'slack') AS "slack", count(*) FILTER (WHERE "channel" = 'email') AS "email",
              ${MESSAGE_STATUSES.map((st) => `count(*) FILTER (WHERE "status" = '${st}') AS "s_${st}"`).join(', ')}
       FROM x GROUP BY 1, 2, 3, 4),
     a AS (
       SELECT "commId", "occurrence", "kind", "item", jsonb_object_agg("audience", n) AS "audiences"
       FROM (SELECT x."commId", x."occurrence", x."kind", coalesce(x."seriesItem", '') AS "item", aud AS "audience", count(DISTINCT x."personId") AS n
             FROM x JOIN "Comm" c ON c."id" = x."commId", unnest(x."personAudiences") AS aud
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

/** `herald calendar` and the API: the same groups for a project key and days (YYYY-MM-DD) in the project zone. */
export async function queryOccurrences(
  db: SqlClient,
  q: { project: string; fromDay?: string | undefined; toDay?: string | undefined; comm?: string | undefined; includeCancelled?: boolean | undefined },
): Promise<{ plan: Plan; groups: OccurrenceGroup[] }> {
  const stored = await loadProject(db, q.project);
  const zone = stored.plan.project.timezone;
  const from = q.fromDay ? DateTime.fromISO(q.fromDay, { zone }).startOf('day').toJSDate() : undefined;
  const to = q.toDay ? DateTime.fromISO(q.toDay, { zone }).startOf('day').plus({ days: 1 }).toJSDate() : undefined;
  const groups = await calendarOccurrences(db, { projectId: stored.projectId, from, to, comm: q.comm, includeCancelled: q.includeCancelled });
  return { plan: stored.plan, groups };
}

/** What a group is, in words: "Hypercare checkin 2 of 3", "Survey reminder for Hypercare checkin 1 of 3". */
export function occurrenceTitle(g: OccurrenceGroup, plan: Plan): string {
  const base = `${commOccurrenceTitle(plan, g.comm, g.occurrence, g.occurrences)}${g.seriesItem ? ` (${readableKey(g.seriesItem)})` : ''}`;
  return g.kind ? `${KIND_WORDS[g.kind] ?? readableKey(g.kind)}: ${base}` : base;
}

const KIND_WORDS: Record<string, string> = { reminder: 'Reminder', escalation: 'Escalation notice', 'escalation-update': 'Escalation update' };

/** "40 people: Slack 29, e-mail 11" (copies per channel; a person on both counts in both). */
export function occurrenceReach(g: OccurrenceGroup): string {
  const ch = [g.channels.slack ? `Slack ${g.channels.slack}` : '', g.channels.email ? `e-mail ${g.channels.email}` : ''].filter(Boolean).join(', ');
  return `${g.people} ${g.people === 1 ? 'person' : 'people'}: ${ch}`;
}

/** "end-users 38, executives 2": people per audience the comm targets (audience keys are the plan's own words). */
export function occurrenceAudiences(g: OccurrenceGroup): string {
  return Object.entries(g.audiences)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

/** "sent 29, planned 11"; empty when all are planned (the usual case ahead). */
export function occurrenceStatuses(g: OccurrenceGroup): string {
  const entries = Object.entries(g.statuses);
  if (entries.length === 1 && entries[0]![0] === 'planned') return '';
  return MESSAGE_STATUSES.filter((s) => g.statuses[s]).map((s) => `${s} ${g.statuses[s]}`).join(', ');
}

/** When: "14:00 local" when every copy goes at the same local time, else the span in `zone` ("09:00–17:30 CST"). */
export function occurrenceTime(g: OccurrenceGroup, zone: string): string {
  const a = DateTime.fromISO(g.first, { zone });
  if (g.localTime !== null) {
    // Copies at the same local time leave over hours across zones: say when the first does, in `zone`.
    return g.first === g.last || a.toFormat('HH:mm') === g.localTime ? `${g.localTime} local` : `${g.localTime} local (first ${a.toFormat('HH:mm ZZZZ')})`;
  }
  const b = DateTime.fromISO(g.last, { zone });
  return `${a.toFormat('HH:mm')}–${b.toFormat(b.hasSame(a, 'day') ? 'HH:mm' : 'ccc HH:mm')} ${a.toFormat('ZZZZ')}`;
}

/** `herald calendar` (table): one line per comm occurrence under its day in the project zone. */
export function formatOccurrenceTable(groups: readonly OccurrenceGroup[], plan: Plan): string {
  if (!groups.length) return 'no messages in this range';
  const zone = plan.project.timezone;
  const lines: string[] = [];
  let day = '';
  for (const g of groups) {
    const first = DateTime.fromISO(g.first, { zone });
    const d = first.toFormat('ccc d LLL yyyy');
    if (d !== day) {
      day = d;
      lines.push('', `${d} (${zone}, ${first.toFormat('ZZZZ')})`);
    }
    const status = occurrenceStatuses(g);
    lines.push(`  ${occurrenceTime(g, zone).padEnd(28)} ${occurrenceTitle(g, plan)} → ${occurrenceReach(g)}${status ? ` · ${status}` : ''}`);
    const aud = occurrenceAudiences(g);
    if (aud) lines.push(`  ${''.padEnd(28)} ${aud}`);
  }
  return lines.slice(1).join('\n');
}

export interface OccurrenceCopy {
  key: string;
  person: string;
  name: string;
  timezone: string;
  channel: string;
  /** Due instant, ISO-8601 UTC. */
  at: string;
  status: string;
}

/** The copies of one comm occurrence (of one kind), by due time, the first `limit` of them. */
export async function occurrenceCopies(
  db: SqlClient,
  q: { projectId: string; comm: string; occurrence: number; kind: string; limit: number },
): Promise<{ copies: OccurrenceCopy[]; total: number }> {
  const rows = await db.$queryRawUnsafe<Array<{ key: string; person: string; name: string; timezone: string; channel: string; dueAt: Date | string; status: string; total: number | bigint }>>(
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
    copies: rows.map((r) => ({ key: r.key, person: r.person, name: r.name, timezone: r.timezone, channel: r.channel, at: new Date(r.dueAt).toISOString(), status: r.status })),
  };
}
