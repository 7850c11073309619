import { DateTime } from 'luxon';
import type { AnchorRef, Plan } from '../plan/model.ts';
import { HeraldError, NotFoundError } from '../errors.ts';
import { toEpochDay } from './local-date.ts';
import { parseWallTime, wallToInstant } from './zone-time.ts';

/** A point on the project calendar: a local date and wall time in the project zone. */
export interface ProjectLocal {
  epochDay: number;
  /** Milliseconds since local midnight. */
  msOfDay: number;
}

const LOCAL_RE = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?))?$/;

/** Parses a milestone `at` (or a recurring from/until date): date-only means 00:00. */
export function parseProjectLocal(at: string): ProjectLocal {
  const m = LOCAL_RE.exec(at);
  if (!m) throw new HeraldError('DATE_INVALID', `"${at}" is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:mm)`);
  return { epochDay: toEpochDay(m[1] as string), msOfDay: m[2] ? parseWallTime(m[2]) : 0 };
}

export function milestoneLocal(plan: Plan, key: string): ProjectLocal {
  const milestone = plan.milestones.find((m) => m.key === key);
  if (!milestone) {
    throw new NotFoundError(`milestone "${key}"`, `known milestones: ${plan.milestones.map((m) => m.key).join(', ')}`);
  }
  return parseProjectLocal(milestone.at);
}

export function anchorLocal(plan: Plan, ref: AnchorRef): ProjectLocal {
  return 'milestone' in ref ? milestoneLocal(plan, ref.milestone) : parseProjectLocal(ref.date);
}

/** The milestone's instant, in the project zone (a date-only `at` is 00:00 there). */
export function milestoneInstant(plan: Plan, key: string): DateTime {
  const local = milestoneLocal(plan, key);
  const zone = plan.project.timezone;
  return DateTime.fromMillis(wallToInstant(zone, local.epochDay, local.msOfDay), { zone });
}
