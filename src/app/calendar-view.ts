import { DateTime } from 'luxon';
import ical from 'ical-generator';
import { channelName, type PlanWords } from '../domain/plan/comm-title.ts';
import type { CapacityLimits } from '../domain/capacity/limits.ts';
import { expectedSendByMessage } from './expected-send.ts';
import type { CalendarMessageRow, StoreDeps } from './ports.ts';
import type { Plan } from '../domain/plan/model.ts';
import type { ExplainStep } from '../domain/schedule/explain.ts';

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
  /**
   * When the message is expected to leave, ISO-8601 UTC: after the send limits for pending ones
   * (see expected-send.ts), the send time for sent ones, null for those that will not be sent.
   */
  expectedAt?: string | null;
  /** The rules that placed the message, in order; null for rows stored before explanations were. */
  explain: ExplainStep[] | null;
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
  comm?: string;
  includeCancelled?: boolean;
  /** With these limits (and the clock reading), each entry gets `expectedAt`. */
  expected?: { limits: CapacityLimits; now: Date };
}

export async function queryCalendar(
  { stores }: StoreDeps,
  q: CalendarQuery,
): Promise<{ timezone: string; name: string; plan: Plan; entries: CalendarEntry[] }> {
  const stored = await stores.projects.load(q.project);
  const zone = stored.plan.project.timezone;
  const from = q.fromDay ? DateTime.fromISO(q.fromDay, { zone }).startOf('day').toJSDate() : undefined;
  const to = q.toDay ? DateTime.fromISO(q.toDay, { zone }).startOf('day').plus({ days: 1 }).toJSDate() : undefined;
  const rows = await stores.calendarReads.messages(stored.projectId, {
    from: from ?? null,
    to: to ?? null,
    person: q.person ?? null,
    includeCancelled: q.includeCancelled ?? false,
    comm: q.comm ?? null,
  });
  const expected = q.expected ? await expectedSendByMessage(stores.calendarReads, q.expected.limits, q.expected.now) : undefined;
  const explanations = await stores.calendarReads.explanations(
    stored.projectId,
    rows.map((r) => r.explainHash),
  );
  const entries = rows.map((r): CalendarEntry => {
    const at = r.dueAt;
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
      explain: r.explainHash === null ? null : (explanations.get(r.explainHash) ?? null),
    };
    if (r.seriesItem) e.seriesItem = r.seriesItem;
    if (expected) e.expectedAt = expectedAtOf(r, expected);
    if (r.kind !== 'comm') e.kind = r.kind;
    return e;
  });
  return { timezone: stored.plan.project.timezone, name: stored.plan.project.name, plan: stored.plan, entries };
}

function expectedAtOf(r: CalendarMessageRow, expected: ReadonlyMap<string, Date>): string | null {
  if (r.status === 'sent') return r.sentAt === null ? null : r.sentAt.toISOString();
  return expected.get(r.id)?.toISOString() ?? null;
}

/** The expected send time beside the due time: "→ 09:13", another day "→ Sat 09:00", "→ -" if never. */
function expectedColumn(e: CalendarEntry): string {
  if (e.expectedAt === undefined) return '';
  if (e.expectedAt === null) return '→ -'.padEnd(12);
  const due = DateTime.fromISO(e.localAt, { setZone: true });
  const at = DateTime.fromISO(e.expectedAt, { zone: e.timezone });
  return `→ ${at.toFormat(at.hasSame(due, 'day') ? 'HH:mm' : 'ccc HH:mm')}`.padEnd(12);
}

/** A table grouped by day in the project zone; each row shows the person's local time. */
export function formatCalendarTable(entries: readonly CalendarEntry[], projectZone: string, words: PlanWords): string {
  if (!entries.length) return 'no messages in this range';
  const lines: string[] = [];
  let day = '';
  for (const e of entries) {
    const d = DateTime.fromISO(e.at, { zone: projectZone }).toFormat('ccc yyyy-LL-dd');
    if (d !== day) {
      day = d;
      lines.push('', `${d} (${projectZone})`);
    }
    const local = DateTime.fromISO(e.at, { zone: e.timezone });
    const item = `${e.seriesItem ? ` [${e.seriesItem}]` : ''}${e.kind ? ` (${e.kind})` : ''}`;
    // The person's local time with its zone's abbreviation, the comm's title and "1 of 3", the person's name.
    lines.push(
      `  ${local.toFormat('ccc HH:mm ZZZZ').padEnd(19)} ${expectedColumn(e)}${e.timezone.padEnd(20)} ${words.occurrence(e.comm, e.occurrence)}${item}`.padEnd(
        80,
      ) + ` ${words.person(e.person)} · ${channelName(e.channel)} · ${e.status}`,
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
