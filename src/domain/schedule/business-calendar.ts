import type { ProjectSpec, Weekday } from '../plan/model.ts';
import { HeraldError } from '../errors.ts';
import { holidayData, publicHolidayDays } from './holiday-data.ts';
import { fromEpochDay, toEpochDay, weekdayOfEpochDay, yearOfEpochDay, type LocalDate } from './local-date.ts';

/**
 * The project's calendar: its zone, working weekdays and holidays (date-holidays public holidays of
 * the configured country/region, plus the plan's extra dates). Dates are ISO `YYYY-MM-DD` in the
 * project zone; the `*Day` methods do the same on epoch days for the scheduler's inner loops.
 */
export class ProjectCalendar {
  readonly zone: string;
  private readonly workdays: ReadonlySet<Weekday>;
  private readonly extra: ReadonlySet<number>;
  private readonly holidaysByYear = new Map<number, ReadonlyMap<number, string>>();
  private readonly country: string | undefined;
  private readonly region: string | undefined;

  /** The working weekdays, Monday first. */
  readonly weekdays: readonly Weekday[];

  constructor(project: Pick<ProjectSpec, 'timezone' | 'businessDays' | 'holidays'>) {
    this.zone = project.timezone;
    this.weekdays = project.businessDays;
    this.workdays = new Set(project.businessDays);
    if (this.workdays.size === 0) {
      throw new HeraldError('CALENDAR_INVALID', 'the project has no business days', { hint: 'set project.businessDays, e.g. [mon, tue, wed, thu, fri]' });
    }
    this.extra = new Set(project.holidays.extra.map(toEpochDay));
    const { country, region } = project.holidays;
    if (country) {
      const known = holidayData().holidays[country.toUpperCase()];
      if (!known) {
        throw new HeraldError('CALENDAR_INVALID', `date-holidays does not know the country "${country}"`, { hint: 'use an ISO 3166 code such as US or GB' });
      }
      if (region && !(known.states ?? known.regions)?.[region.toUpperCase()]) {
        throw new HeraldError('CALENDAR_INVALID', `date-holidays does not know the region "${region}" of ${country}`, {
          hint: 'use a region code such as CA for California',
        });
      }
      this.country = country;
      this.region = region;
    }
  }

  isBusinessDay(date: LocalDate): boolean {
    return this.isBusinessEpochDay(toEpochDay(date));
  }

  /** Whether `date` is a holiday (public or extra), regardless of weekday. */
  isHoliday(date: LocalDate): boolean {
    return this.isHolidayEpochDay(toEpochDay(date));
  }

  addDays(date: LocalDate, days: number): LocalDate {
    return fromEpochDay(toEpochDay(date) + days);
  }

  /** Moves by `n` business days (negative = back); from a non-business day, ±1 reaches the nearest one that way. */
  addBusinessDays(date: LocalDate, n: number): LocalDate {
    return fromEpochDay(this.addBusinessEpochDays(toEpochDay(date), n));
  }

  nextBusinessDayOnOrAfter(date: LocalDate): LocalDate {
    return fromEpochDay(this.nextBusinessEpochDayOnOrAfter(toEpochDay(date)));
  }

  isBusinessEpochDay(day: number): boolean {
    return this.workdays.has(weekdayOfEpochDay(day)) && !this.isHolidayEpochDay(day);
  }

  isHolidayEpochDay(day: number): boolean {
    return this.extra.has(day) || this.publicHolidays(yearOfEpochDay(day)).has(day);
  }

  isWorkdayEpochDay(day: number): boolean {
    return this.workdays.has(weekdayOfEpochDay(day));
  }

  /** The holiday's name ("Republic Day"), "a plan holiday" for an extra date, or undefined. */
  holidayName(day: number): string | undefined {
    return this.publicHolidays(yearOfEpochDay(day)).get(day) ?? (this.extra.has(day) ? 'a plan holiday (holidays.extra)' : undefined);
  }

  addBusinessEpochDays(day: number, n: number): number {
    const step = n < 0 ? -1 : 1;
    let d = day;
    for (let left = Math.abs(n); left > 0; ) {
      d += step;
      if (this.isBusinessEpochDay(d)) left--;
    }
    return d;
  }

  nextBusinessEpochDayOnOrAfter(day: number): number {
    let d = day;
    while (!this.isBusinessEpochDay(d)) d++;
    return d;
  }

  private publicHolidays(year: number): ReadonlyMap<number, string> {
    let days = this.holidaysByYear.get(year);
    if (days) return days;
    days = this.country === undefined ? NONE : publicHolidaysOf(this.country, this.region, year);
    this.holidaysByYear.set(year, days);
    return days;
  }
}

const NONE: ReadonlyMap<number, string> = new Map();

/**
 * A year's public holidays are a pure function of country, region and year, and each plan
 * parse, calendar build and recipient calendar makes its own ProjectCalendar: computed once per
 * process (bounded), and kept on disk across runs (holiday-data.ts).
 */
const holidaysByKey = new Map<string, ReadonlyMap<number, string>>();

function publicHolidaysOf(country: string, region: string | undefined, year: number): ReadonlyMap<number, string> {
  const key = `${country}|${region ?? ''}|${year}`;
  let days = holidaysByKey.get(key);
  if (days) return days;
  days = new Map(publicHolidayDays(country, region, year));
  if (holidaysByKey.size >= 4096) holidaysByKey.clear();
  holidaysByKey.set(key, days);
  return days;
}
