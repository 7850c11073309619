import { DateTime } from 'luxon';
import ical from 'ical-generator';
import type { SqlClient } from '../db/repo/sql-client.ts';
import { loadProject } from '../db/repo/project-store.ts';

/** One row of `herald calendar --format json`. */
export interface CalendarEntry {
  key: string;
  comm: string;
  person: string;
  channel: string;
  /** Due instant, ISO-8601 UTC. */
  at: string;
  /** The same instant in the person's zone, ISO-8601 with offset. */
  localAt: string;
  timezone: string;
  occurrence: number;
  status: string;
  seriesItem?: string;
  /** Set for rows that are not the comm's own message: `reminder` (a survey reminder), `escalation`, `escalation-update`. */
  kind?: string;
}

export interface CalendarQuery {
  project: string;
  /** First day (YYYY-MM-DD) in the project zone. */
  fromDay?: string;
  /** Last day (YYYY-MM-DD, inclusive) in the project zone. */
  toDay?: string;
  person?: string;
  includeCancelled?: boolean;
}

export async function queryCalendar(db: SqlClient, q: CalendarQuery): Promise<{ timezone: string; name: string; entries: CalendarEntry[] }> {
  const stored = await loadProject(db, q.project);
  const zone = stored.plan.project.timezone;
  const from = q.fromDay ? DateTime.fromISO(q.fromDay, { zone }).startOf('day').toJSDate() : undefined;
  const to = q.toDay ? DateTime.fromISO(q.toDay, { zone }).startOf('day').plus({ days: 1 }).toJSDate() : undefined;
  const rows = await db.$queryRawUnsafe<
    Array<{ key: string; comm: string; person: string; channel: string; dueAt: Date | string; tz: string; occurrence: number; status: string; seriesItem: string | null; kind: string }>
  >(
    `SELECT m."key", c."key" AS "comm", p."key" AS "person", m."channel", m."dueAt", p."timezone" AS "tz",
            m."occurrence", m."status"::text AS "status", m."seriesItem", m."kind"
     FROM "Message" m JOIN "Comm" c ON c."id"=m."commId" JOIN "Person" p ON p."id"=m."personId"
     WHERE m."projectId"=$1::uuid
       AND ($2::timestamptz IS NULL OR m."dueAt" >= $2::timestamptz)
       AND ($3::timestamptz IS NULL OR m."dueAt" < $3::timestamptz)
       AND ($4::text IS NULL OR p."key" = $4)
       AND ($5::boolean OR m."status" <> 'cancelled')
     ORDER BY m."dueAt", m."key"`,
    stored.projectId,
    from?.toISOString() ?? null,
    to?.toISOString() ?? null,
    q.person ?? null,
    q.includeCancelled ?? false,
  );
  const entries = rows.map((r): CalendarEntry => {
    const at = new Date(r.dueAt);
    const e: CalendarEntry = {
      key: r.key,
      comm: r.comm,
      person: r.person,
      channel: r.channel,
      at: at.toISOString(),
      localAt: DateTime.fromJSDate(at, { zone: r.tz }).toISO({ suppressMilliseconds: true })!,
      timezone: r.tz,
      occurrence: Number(r.occurrence),
      status: r.status,
    };
    if (r.seriesItem) e.seriesItem = r.seriesItem;
    if (r.kind !== 'comm') e.kind = r.kind;
    return e;
  });
  return { timezone: stored.plan.project.timezone, name: stored.plan.project.name, entries };
}

/** A table grouped by day in the project zone; each row shows the person's local time. */
export function formatCalendarTable(entries: readonly CalendarEntry[], projectZone: string): string {
  if (!entries.length) return 'no messages in this range';
  const lines: string[] = [];
  let day = '';
  for (const e of entries) {
    const d = DateTime.fromISO(e.at, { zone: projectZone }).toFormat('ccc yyyy-LL-dd');
    if (d !== day) {
      day = d;
      lines.push('', `${d} (${projectZone})`);
    }
    const local = DateTime.fromISO(e.localAt, { setZone: true });
    const item = `${e.seriesItem ? ` [${e.seriesItem}]` : ''}${e.kind ? ` (${e.kind})` : ''}`;
    lines.push(
      `  ${local.toFormat('ccc HH:mm')} ${e.timezone.padEnd(20)} ${e.comm}#${e.occurrence}${item}`.padEnd(70) +
        ` ${e.person} · ${e.channel} · ${e.status}`,
    );
  }
  return lines.slice(1).join('\n');
}

/**
 * An iCalendar feed with one event per comm occurrence (not per recipient, which would
 * drown a PM's calendar); the description says who receives it and when, locally.
 */
export function formatCalendarIcs(entries: readonly CalendarEntry[], meta: { name: string; project: string; timezone: string }): string {
  const cal = ical({ name: `Herald: ${meta.name}`, prodId: { company: 'Herald', product: 'herald', language: 'EN' } });
  const groups = new Map<string, CalendarEntry[]>();
  for (const e of entries) {
    const g = `${e.comm}#${e.occurrence}`;
    const list = groups.get(g);
    if (list) list.push(e);
    else groups.set(g, [e]);
  }
  for (const [id, list] of groups) {
    const first = list.reduce((a, b) => (a.at <= b.at ? a : b));
    const people = new Set(list.map((e) => e.person));
    const item = first.seriesItem ? ` (${first.seriesItem})` : '';
    cal.createEvent({
      id: `${meta.project}/${id}@herald`,
      start: new Date(first.at),
      end: new Date(new Date(first.at).getTime() + 15 * 60_000),
      summary: `${first.comm}${item} → ${people.size} ${people.size === 1 ? 'person' : 'people'}`,
      description: list
        .slice(0, 50)
        .map((e) => `${e.person} (${e.channel}) ${e.localAt} ${e.status}`)
        .concat(list.length > 50 ? [`…and ${list.length - 50} more`] : [])
        .join('\n'),
    });
  }
  return cal.toString();
}
