import ical from 'ical-generator';
import { NotFoundError } from '../domain/errors.ts';
import { commMilestones } from '../domain/schedule/calendar.ts';
import type { StoreDeps } from './ports.ts';
import { queryCalendar, type CalendarEntry } from './calendar-view.ts';

/**
 * A subscribable iCalendar feed: the project's milestones, plus, for the PM feed, one event per
 * comm occurrence with its audiences and channels, or, for a person's feed, each message they will
 * receive. UIDs are stable (project, milestone or comm occurrence or message key) and SEQUENCE is the
 * number of times the milestones behind an event moved, so calendar apps update events in place.
 */
export async function calendarFeed(deps: StoreDeps, q: { project: string; person?: string }): Promise<string> {
  const cal = await queryCalendar(deps, { project: q.project, person: q.person || undefined });
  const milestones = await deps.stores.milestones.withMoveCounts(q.project);
  const moves = new Map(milestones.map((m) => [m.key, m.moves]));
  const { plan } = await deps.stores.projects.load(q.project);
  if (q.person && !plan.people.some((p) => p.id === q.person)) {
    throw new NotFoundError(`person ${q.person} in project ${q.project}`, 'use the person id from the plan (as in herald calendar --person)');
  }
  const comms = new Map(plan.comms.map((c) => [c.key, c]));
  const sequenceOf = (comm: string): number => commMilestones(comms.get(comm)!).reduce((n, k) => n + (moves.get(k) ?? 0), 0);

  const feed = ical({
    name: q.person ? `Herald: ${cal.name} for ${q.person}` : `Herald: ${cal.name}`,
    prodId: { company: 'Herald', product: 'herald', language: 'EN' },
  });
  for (const m of milestones) {
    feed.createEvent({
      id: `${q.project}/milestone/${m.key}@herald`,
      sequence: moves.get(m.key) ?? 0,
      start: m.at,
      end: new Date(m.at.getTime() + 60 * 60_000),
      summary: `${m.label ?? m.key}${m.doneAt ? ' (done)' : ''}`,
      description: `Milestone ${m.key} of ${cal.name}; moved ${moves.get(m.key) ?? 0} time(s).`,
    });
  }
  const live = cal.entries.filter((e) => e.status !== 'cancelled' && e.status !== 'skipped');
  if (q.person) {
    for (const e of live) {
      feed.createEvent({
        id: `${q.project}/message/${e.key}@herald`,
        sequence: sequenceOf(e.comm),
        start: new Date(e.at),
        end: new Date(new Date(e.at).getTime() + 15 * 60_000),
        summary: `${e.comm}${e.seriesItem ? ` (${e.seriesItem})` : ''} via ${e.channel}`,
        description: `Herald sends you ${e.comm} over ${e.channel} at ${e.localAt} (${e.status}).`,
      });
    }
    return ended(feed.toString());
  }
  const groups = new Map<string, CalendarEntry[]>();
  for (const e of live) {
    const g = `${e.comm}#${e.occurrence}`;
    groups.set(g, [...(groups.get(g) ?? []), e]);
  }
  for (const [id, list] of groups) {
    const first = list.reduce((a, b) => (a.at <= b.at ? a : b));
    const spec = comms.get(first.comm)!;
    const channels = [...new Set(list.map((e) => e.channel))].sort();
    feed.createEvent({
      id: `${q.project}/comm/${id}@herald`,
      sequence: sequenceOf(first.comm),
      start: new Date(first.at),
      end: new Date(new Date(first.at).getTime() + 15 * 60_000),
      summary: `${first.comm} → ${spec.audiences.join(', ')} (${channels.join(', ')})`,
      description: `${new Set(list.map((e) => e.person)).size} recipient(s); audiences ${spec.audiences.join(', ')}; channels ${channels.join(', ')}.`,
    });
  }
  return ended(feed.toString());
}

/** RFC 5545 ends every content line with CRLF, the last one too; ical-generator leaves the last bare. */
function ended(text: string): string {
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
