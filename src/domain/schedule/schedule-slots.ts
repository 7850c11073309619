import type { CommSpec, Every, Offset, Plan, Schedule, Weekday } from '../plan/model.ts';
import type { ProjectCalendar } from './business-calendar.ts';
import { dayText, hhmm, isoDay, localIso, localText, longDayText, offsetText, step, type ExplainStep } from './explain.ts';
import { isoWeekOfDate, weekOccurrence } from '../digest/week.ts';
import { addMonthsToEpochDay, fromEpochDay, weekdayOfEpochDay } from './local-date.ts';
import { anchorLocal, milestoneLocal, type ProjectLocal } from './milestones.ts';
import { instantToWall, parseWallTime, wallToInstant } from './zone-time.ts';

/**
 * When one occurrence of a comm is due, before it is resolved for a recipient:
 * - `person`: wall time `msOfDay` on `epochDay` in each recipient's own zone (the plan gave `time`);
 * - `instant`: the same instant for everyone (no `time`).
 * Quiet hours, recipient calendars and blackouts are applied later, per recipient.
 */
export type SlotAt = { kind: 'person'; epochDay: number; msOfDay: number } | { kind: 'instant'; instant: number };

export interface Slot {
  index: number;
  at: SlotAt;
  /** The occurrence's date on the project calendar. */
  day: number;
  seriesItem?: string;
  /** How the project calendar placed it (anchor, offset, step or recurrence). */
  explain: ExplainStep[];
}

const UNIT_MS = { minutes: 60_000, hours: 3_600_000 } as const;

/** Every occurrence a scheduled comm has, computed once on the project calendar. */
export function scheduleSlots(plan: Plan, comm: CommSpec, calendar: ProjectCalendar): Slot[] {
  const schedule = comm.schedule;
  if (!schedule) return [];
  const ctx = { plan, calendar, time: schedule.time === undefined ? undefined : parseWallTime(schedule.time) };
  switch (schedule.type) {
    case 'anchored': {
      const anchor = milestoneLocal(plan, schedule.at);
      const o = offsetFrom(ctx, anchor, schedule.offset);
      return [{ index: 0, at: o.at, day: o.day, explain: [anchorStep(ctx, schedule.at, anchor), o.step] }];
    }
    case 'series': {
      const anchor = milestoneLocal(plan, schedule.at);
      const a = anchorStep(ctx, schedule.at, anchor);
      return schedule.offsets.map((offset, index) => {
        const o = offsetFrom(ctx, anchor, offset);
        return { index, at: o.at, day: o.day, explain: [a, o.step] };
      });
    }
    case 'stepped':
      return steppedSlots(ctx, comm, schedule);
    case 'recurring':
      return recurringSlots(ctx, schedule, comm.kind === 'digest');
  }
}

export interface Ctx {
  plan: Plan;
  calendar: ProjectCalendar;
  /** The schedule's `time`, ms since local midnight, if given. */
  time: number | undefined;
}

function projectInstant(ctx: Ctx, local: ProjectLocal): number {
  return wallToInstant(ctx.calendar.zone, local.epochDay, local.msOfDay);
}

function anchorStep(ctx: Ctx, key: string, anchor: ProjectLocal, label = 'anchor'): ExplainStep {
  const zone = ctx.calendar.zone;
  return step('anchor', null, localIso(projectInstant(ctx, anchor), zone), `${label} ${key} = ${longDayText(anchor.epochDay)} ${hhmm(anchor.msOfDay)} ${zone}`);
}

/** A project-calendar date and wall time becomes a slot: `time` (if any) wins, per recipient. */
function onDay(ctx: Ctx, epochDay: number, projectMsOfDay: number): SlotAt {
  return ctx.time === undefined
    ? { kind: 'instant', instant: projectInstant(ctx, { epochDay, msOfDay: projectMsOfDay }) }
    : { kind: 'person', epochDay, msOfDay: ctx.time };
}

/** Where `offset` from `anchor` lands on the project calendar, and why. */
export function offsetFrom(ctx: Ctx, anchor: ProjectLocal, offset: Offset): { at: SlotAt; day: number; step: ExplainStep } {
  const n = offset.sign * offset.amount;
  const from = isoDay(anchor.epochDay);
  const onCalendar = (day: number, how: string): { at: SlotAt; day: number; step: ExplainStep } => ({
    at: onDay(ctx, day, anchor.msOfDay),
    day,
    step: step('offset', from, isoDay(day), `${offsetText(offset)}${how} = ${dayText(day)}`),
  });
  switch (offset.unit) {
    case 'minutes':
    case 'hours': {
      const instant = projectInstant(ctx, anchor) + n * UNIT_MS[offset.unit];
      const zone = ctx.calendar.zone;
      const day = instantToWall(zone, instant).epochDay;
      const s = step(
        'offset',
        localIso(projectInstant(ctx, anchor), zone),
        localIso(instant, zone),
        `${offsetText(offset)} exactly = ${localText(instant, zone)} ${zone}`,
      );
      // With a `time`, only the date of the shifted instant (project zone) is kept.
      return { at: ctx.time === undefined ? { kind: 'instant', instant } : { kind: 'person', epochDay: day, msOfDay: ctx.time }, day, step: s };
    }
    case 'days':
      return onCalendar(anchor.epochDay + n, '');
    case 'weeks':
      return onCalendar(anchor.epochDay + 7 * n, '');
    case 'business days':
      return onCalendar(ctx.calendar.addBusinessEpochDays(anchor.epochDay, n), ' on the project calendar');
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
  const anchor = milestoneLocal(ctx.plan, schedule.at);
  const first = offsetFrom(ctx, anchor, schedule.offset);
  const head = [anchorStep(ctx, schedule.at, anchor), first.step];
  const count = comm.series?.length ?? schedule.count ?? 1;
  // Later steps count from the first occurrence's project-calendar date and keep its wall time.
  const base: ProjectLocal =
    first.at.kind === 'person' ? { epochDay: first.at.epochDay, msOfDay: first.at.msOfDay } : instantToWall(ctx.calendar.zone, first.at.instant);
  const slots: Slot[] = [];
  for (let index = 0; index < count; index++) {
    const day = index === 0 ? first.day : stepDay(ctx.calendar, base.epochDay, index, schedule.every);
    const at = index === 0 ? first.at : onDay(ctx, day, base.msOfDay);
    const explain =
      index === 0
        ? head
        : [...head, step('step', isoDay(base.epochDay), isoDay(day), `step ${index}: every ${schedule.every.raw} on the project calendar = ${dayText(day)}`)];
    const seriesItem = comm.series?.[index];
    slots.push(seriesItem === undefined ? { index, at, day, explain } : { index, at, day, explain, seriesItem });
  }
  return slots;
}

function firstWeekdayOnOrAfter(day: number, weekday: Weekday): number {
  let d = day;
  while (weekdayOfEpochDay(d) !== weekday) d++;
  return d;
}

type Recurring = Extract<Schedule, { type: 'recurring' }>;

function recurringHead(ctx: Ctx, schedule: Recurring): ExplainStep {
  return anchorStep(ctx, 'milestone' in schedule.from ? schedule.from.milestone : schedule.from.date, anchorLocal(ctx.plan, schedule.from), 'from');
}

/**
 * `every: business day` with a `time`, counted on one recipient's own working days (`isWorking`)
 * between the project-calendar dates of from and until.
 */
export function recipientBusinessDaySlots(plan: Plan, calendar: ProjectCalendar, schedule: Recurring, isWorking: (day: number) => boolean): Slot[] {
  const ctx: Ctx = { plan, calendar, time: schedule.time === undefined ? undefined : parseWallTime(schedule.time) };
  const from = anchorLocal(plan, schedule.from).epochDay;
  const until = anchorLocal(plan, schedule.until).epochDay;
  const head = recurringHead(ctx, schedule);
  const next = (d: number): number => {
    let x = d;
    while (!isWorking(x) && x <= until) x++;
    return x;
  };
  const slots: Slot[] = [];
  for (let d = next(from), index = 0; d <= until; index++) {
    const s = step('recurring', null, isoDay(d), `every ${schedule.every.raw}, counted on the recipient's working days: occurrence ${index} = ${dayText(d)}`);
    slots.push({ index, at: { kind: 'person', epochDay: d, msOfDay: ctx.time ?? 0 }, day: d, explain: [head, s] });
    for (let i = 0; i < Math.max(1, schedule.every.n); i++) d = next(d + 1);
  }
  return slots;
}

/**
 * `weekKeyed` (digests): each occurrence is numbered by the ISO week of its nominal date (2027-W03 →
 * 202703) instead of its position, so its message key names the week and stays the same when the
 * schedule's `from` moves; validation allows only weekly schedules there, one nominal date a week.
 */
function recurringSlots(ctx: Ctx, schedule: Recurring, weekKeyed = false): Slot[] {
  const { calendar } = ctx;
  const from = anchorLocal(ctx.plan, schedule.from);
  const until = anchorLocal(ctx.plan, schedule.until).epochDay;
  const { unit, n } = schedule.every;
  const step_ = Math.max(1, n);
  const head = recurringHead(ctx, schedule);
  const every = `every ${schedule.every.raw}${schedule.on ? ` on ${schedule.on}` : ''}`;
  const days: { day: number; nominal: number }[] = [];
  if (unit === 'day') {
    for (let d = from.epochDay; d <= until; d += step_) days.push({ day: d, nominal: d });
  } else if (unit === 'business day') {
    for (let d = calendar.nextBusinessEpochDayOnOrAfter(from.epochDay); d <= until; d = calendar.addBusinessEpochDays(d, step_))
      days.push({ day: d, nominal: d });
  } else {
    // from..until bounds the nominal dates; a non-business nominal date then moves to the next business day.
    const start = unit === 'week' && schedule.on ? firstWeekdayOnOrAfter(from.epochDay, schedule.on) : from.epochDay;
    for (let k = 0; ; k++) {
      const nominal = unit === 'week' ? start + 7 * k * step_ : addMonthsToEpochDay(start, k * step_);
      if (nominal > until) break;
      const moved = calendar.nextBusinessEpochDayOnOrAfter(nominal);
      // A long closure can push one week onto the next week's date: keep a single occurrence.
      if (days[days.length - 1]?.day !== moved) days.push({ day: moved, nominal });
    }
  }
  const keyed = weekKeyed && unit === 'week';
  return days.map(({ day, nominal }, index) => {
    const why = day === nominal ? '' : `; ${dayText(nominal)} is not a project business day (${calendar.holidayName(nominal) ?? 'day off'}), so the next one`;
    const s = step('recurring', day === nominal ? null : isoDay(nominal), isoDay(day), `${every}: occurrence ${index} = ${dayText(day)}${why}`);
    return { index: keyed ? weekOccurrence(isoWeekOfDate(fromEpochDay(nominal))) : index, at: onDay(ctx, day, from.msOfDay), day, explain: [head, s] };
  });
}
