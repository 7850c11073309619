import type { BlackoutBound, BlackoutSpec, CommSpec, Plan } from '../plan/model.ts';
import type { ProjectCalendar } from './business-calendar.ts';
import { localText } from './explain.ts';
import { milestoneLocal, parseProjectLocal } from './milestones.ts';
import { offsetFrom } from './schedule-slots.ts';
import { wallToInstant } from './zone-time.ts';

/** A blackout window resolved to instants: [from, to). */
export interface Blackout {
  from: number;
  to: number;
  label: string;
  allow: ReadonlySet<string>;
  /** "Fri 15 Jan 18:00 – Mon 18 Jan 06:00 America/Chicago". */
  text: string;
}

/** A bound on the project calendar: a local date-time, or a milestone moved by an offset (days count like schedule offsets). */
export function boundInstant(plan: Plan, calendar: ProjectCalendar, bound: BlackoutBound): number {
  const zone = calendar.zone;
  if ('date' in bound) {
    const l = parseProjectLocal(bound.date);
    return wallToInstant(zone, l.epochDay, l.msOfDay);
  }
  const anchor = milestoneLocal(plan, bound.milestone);
  if (bound.offset === undefined) return wallToInstant(zone, anchor.epochDay, anchor.msOfDay);
  const at = offsetFrom({ plan, calendar, time: undefined }, anchor, bound.offset).at;
  return at.kind === 'instant' ? at.instant : wallToInstant(zone, at.epochDay, at.msOfDay);
}

export function resolveBlackout(plan: Plan, calendar: ProjectCalendar, spec: BlackoutSpec, index: number): Blackout {
  const from = boundInstant(plan, calendar, spec.from);
  const to = boundInstant(plan, calendar, spec.to);
  const zone = calendar.zone;
  return {
    from,
    to,
    label: spec.label ?? `blackout ${index + 1}`,
    allow: new Set(spec.allow),
    text: `${localText(from, zone)} – ${localText(to, zone)} ${zone}`,
  };
}

/** The plan's blackouts in order of start; an empty or inverted window (to ≤ from) holds nothing. */
export function resolveBlackouts(plan: Plan, calendar: ProjectCalendar): Blackout[] {
  return (plan.project.blackouts ?? []).map((b, i) => resolveBlackout(plan, calendar, b, i)).sort((a, b) => a.from - b.from);
}

export function allows(b: Blackout, comm: Pick<CommSpec, 'key' | 'kind'>): boolean {
  return b.allow.has(comm.key) || b.allow.has(comm.kind);
}
