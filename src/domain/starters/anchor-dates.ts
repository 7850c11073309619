import { DateTime } from 'luxon';
import type { ProjectCalendar } from '../schedule/business-calendar.ts';
import type { LocalDate } from '../schedule/local-date.ts';
import type { StarterInfo } from './starter-catalogue.ts';

/** Six weeks: the lead time Microsoft's adoption sequences give from first briefing to go-live. */
export const DEFAULT_LEAD_DAYS = 42;

/**
 * Go-live by default: the first business day after six weeks from `now`, counted in the project
 * zone. "After", so the first briefing (go-live −6 weeks) is tomorrow at the earliest and never a
 * time already past today.
 */
export function defaultGoLive(now: Date, calendar: ProjectCalendar): LocalDate {
  const today = DateTime.fromJSDate(now, { zone: calendar.zone }).toISODate()!;
  return calendar.nextBusinessDayOnOrAfter(calendar.addDays(today, DEFAULT_LEAD_DAYS + 1));
}

/** The starter's second milestone by default: its number of business days before go-live. */
export function defaultCutover(starter: StarterInfo, goLive: LocalDate, calendar: ProjectCalendar): LocalDate | undefined {
  return starter.cutover === undefined ? undefined : calendar.addBusinessDays(goLive, -starter.cutover.businessDaysBeforeGoLive);
}
