import type { CommSpec, Every, Offset, Plan, Schedule, Weekday } from '../plan/model.ts';
import type { ProjectCalendar } from './business-calendar.ts';
import { isoWeekOfDate, weekOccurrence } from '../digest/week.ts';
import { addMonthsToEpochDay, fromEpochDay, weekdayOfEpochDay } from './local-date.ts';
import { anchorLocal, milestoneLocal, type ProjectLocal } from './milestones.ts';
import { instantToWall, parseWallTime, wallToInstant } from './zone-time.ts';

/**
 * When one occurrence of a comm is due, before it is resolved for a recipient:
 * - `person`: wall time `msOfDay` on `epochDay` in each recipient's own zone (the plan gave `time`);
 * - `instant`: the same instant for everyone (no `time`).
 * Quiet hours are applied later, per recipient.
 */
export type SlotAt =
  | { kind: 'person'; epochDay: number; msOfDay: number }
  | { kind: 'instant'; instant: number };

export interface Slot {
  index: number;
  at: SlotAt;
  seriesItem?: string;
}

const UNIT_MS = { minutes: 60_000, hours: 3_600_000 } as const;

/** Every occurrence a scheduled comm has, computed once on the project calendar. */
export function scheduleSlots(plan: Plan, comm: CommSpec, calendar: ProjectCalendar): Slot[] {
  const schedule = comm.schedule;
  if (!schedule) return [];
  const ctx = { plan, calendar, time: schedule.time === undefined ? undefined : parseWallTime(schedule.time) };
  switch (schedule.type) {
    case 'anchored':
      return [{ index: 0, at: offsetFrom(ctx, milestoneLocal(plan, schedule.at), schedule.offset) }];
    case 'series': {
      const anchor = milestoneLocal(plan, schedule.at);
      return schedule.offsets.map((offset, index) => ({ index, at: offsetFrom(ctx, anchor, offset) }));
    }
    case 'stepped':
      return steppedSlots(ctx, comm, schedule);
    case 'recurring':
      return recurringSlots(ctx, schedule, comm.kind === 'digest');
  }
}

interface Ctx {
  plan: Plan;
  calendar: ProjectCalendar;
  /** The schedule's `time`, ms since local midnight, if given. */
  time: number | undefined;
}

function projectInstant(ctx: Ctx, local: ProjectLocal): number {
  return wallToInstant(ctx.calendar.zone, local.epochDay, local.msOfDay);
}

/** A project-calendar date and wall time becomes a slot: `time` (if any) wins, per recipient. */
function onDay(ctx: Ctx, epochDay: number, projectMsOfDay: number): SlotAt {
  return ctx.time === undefined
    ? { kind: 'instant', instant: projectInstant(ctx, { epochDay, msOfDay: projectMsOfDay }) }
    : { kind: 'person', epochDay, msOfDay: ctx.time };
}

function offsetFrom(ctx: Ctx, anchor: ProjectLocal, offset: Offset): SlotAt {
  const n = offset.sign * offset.amount;
  switch (offset.unit) {
    case 'minutes':
    case 'hours': {
      const instant = projectInstant(ctx, anchor) + n * UNIT_MS[offset.unit];
      if (ctx.time === undefined) return { kind: 'instant', instant };
      // With a `time`, only the date of the shifted instant (project zone) is kept.
      return { kind: 'person', epochDay: instantToWall(ctx.calendar.zone, instant).epochDay, msOfDay: ctx.time };
    }
    case 'days':
      return onDay(ctx, anchor.epochDay + n, anchor.msOfDay);
    case 'weeks':
      return onDay(ctx, anchor.epochDay + 7 * n, anchor.msOfDay);
    case 'business days':
      return onDay(ctx, ctx.calendar.addBusinessEpochDays(anchor.epochDay, n), anchor.msOfDay);
  }
}

/** The project-calendar date of step k (k ≥ 1) after `first`; weekly/monthly steps avoid non-business days. */
function stepDay(calendar: ProjectCalendar, first: number, k: number, every: Every): number {
  switch (every.unit) {
    case 'day':
      return first + k * every.n;
    case 'business day':
      return calendar.addBusinessEpochDays(first, k * every.n);
    case 'week':
      return calendar.nextBusinessEpochDayOnOrAfter(first + 7 * k * every.n);
    case 'month':
      return calendar.nextBusinessEpochDayOnOrAfter(addMonthsToEpochDay(first, k * every.n));
  }
}

function steppedSlots(ctx: Ctx, comm: CommSpec, schedule: Extract<Schedule, { type: 'stepped' }>): Slot[] {
  const first = offsetFrom(ctx, milestoneLocal(ctx.plan, schedule.at), schedule.offset);
  const count = comm.series?.length ?? schedule.count ?? 1;
  // Later steps count from the first occurrence's project-calendar date and keep its wall time.
  const base: ProjectLocal =
    first.kind === 'person' ? { epochDay: first.epochDay, msOfDay: first.msOfDay } : instantToWall(ctx.calendar.zone, first.instant);
  const slots: Slot[] = [];
  for (let index = 0; index < count; index++) {
    const at = index === 0 ? first : onDay(ctx, stepDay(ctx.calendar, base.epochDay, index, schedule.every), base.msOfDay);
    const seriesItem = comm.series?.[index];
    slots.push(seriesItem === undefined ? { index, at } : { index, at, seriesItem });
  }
  return slots;
}

function firstWeekdayOnOrAfter(day: number, weekday: Weekday): number {
  let d = day;
  while (weekdayOfEpochDay(d) !== weekday) d++;
  return d;
}

/**
 * `weekKeyed` (digests): each occurrence is numbered by the ISO week of its nominal date (2027-W03 →
 * 202703) instead of its position, so its message key names the week and stays the same when the
 * schedule's `from` moves; validation allows only weekly schedules there, one nominal date a week.
 */
function recurringSlots(ctx: Ctx, schedule: Extract<Schedule, { type: 'recurring' }>, weekKeyed = false): Slot[] {
  const { calendar } = ctx;
  const from = anchorLocal(ctx.plan, schedule.from);
  const until = anchorLocal(ctx.plan, schedule.until).epochDay;
  const { unit, n } = schedule.every;
  const step = Math.max(1, n);
  const days: number[] = [];
  const weeks: number[] = [];
  if (unit === 'day') {
    for (let d = from.epochDay; d <= until; d += step) days.push(d);
  } else if (unit === 'business day') {
    for (let d = calendar.nextBusinessEpochDayOnOrAfter(from.epochDay); d <= until; d = calendar.addBusinessEpochDays(d, step)) days.push(d);
  } else {
    // from..until bounds the nominal dates; a non-business nominal date then moves to the next business day.
    const start = unit === 'week' && schedule.on ? firstWeekdayOnOrAfter(from.epochDay, schedule.on) : from.epochDay;
    for (let k = 0; ; k++) {
      const nominal = unit === 'week' ? start + 7 * k * step : addMonthsToEpochDay(start, k * step);
      if (nominal > until) break;
      const moved = calendar.nextBusinessEpochDayOnOrAfter(nominal);
      // A long closure can push one week onto the next week's date: keep a single occurrence.
      if (days[days.length - 1] !== moved) {
        days.push(moved);
        weeks.push(weekOccurrence(isoWeekOfDate(fromEpochDay(nominal))));
      }
    }
  }
  const keyed = weekKeyed && unit === 'week';
  return days.map((d, i) => ({ index: keyed ? (weeks[i] as number) : i, at: onDay(ctx, d, from.msOfDay) }));
}
