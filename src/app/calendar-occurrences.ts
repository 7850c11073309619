/**
 * The calendar as a PM plans it: one row per comm occurrence ("Tue 19 Jan 14:00 local · Hypercare
 * check-in 2 of 3 → 40 people: Slack 29, e-mail 11"), not one per person and channel (the example's
 * go-live week is 334 of those). Counted in the database: a 10,000-person week is tens of thousands
 * of messages, and only the groups leave PostgreSQL. The dashboard, `herald calendar` and the API's
 * `group=occurrence` all read this.
 */
import { DateTime } from 'luxon';
import type { OccurrenceCopy, OccurrenceGroup, OccurrenceQuery, StoreDeps } from './ports.ts';
import { MESSAGE_STATUSES } from '../domain/message-status.ts';
import { commOccurrenceTitle, readableKey } from '../domain/plan/comm-title.ts';
import type { Plan } from '../domain/plan/model.ts';

/** `herald calendar` and the API: the same groups for a project key and days (YYYY-MM-DD) in the project zone. */
export async function queryOccurrences(
  deps: StoreDeps,
  q: { project: string; fromDay?: string | undefined; toDay?: string | undefined; comm?: string | undefined; includeCancelled?: boolean | undefined },
): Promise<{ plan: Plan; groups: OccurrenceGroup[] }> {
  const stored = await deps.stores.projects.load(q.project);
  const zone = stored.plan.project.timezone;
  const from = q.fromDay ? DateTime.fromISO(q.fromDay, { zone }).startOf('day').toJSDate() : undefined;
  const to = q.toDay ? DateTime.fromISO(q.toDay, { zone }).startOf('day').plus({ days: 1 }).toJSDate() : undefined;
  const groups = await calendarOccurrences(deps, { projectId: stored.projectId, from, to, comm: q.comm, includeCancelled: q.includeCancelled });
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
  return MESSAGE_STATUSES.filter((s) => g.statuses[s])
    .map((s) => `${s} ${g.statuses[s]}`)
    .join(', ');
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

/** The comm occurrences with messages due in [from, to), in order of their first copy. */
export function calendarOccurrences({ stores }: StoreDeps, q: OccurrenceQuery): Promise<OccurrenceGroup[]> {
  return stores.calendarReads.occurrences(q);
}

/** The copies of one comm occurrence (of one kind), by due time, the first `limit` of them. */
export function occurrenceCopies(
  { stores }: StoreDeps,
  q: { projectId: string; comm: string; occurrence: number; kind: string; limit: number },
): Promise<{ copies: OccurrenceCopy[]; total: number }> {
  return stores.calendarReads.copies(q);
}
