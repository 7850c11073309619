import type { PersonSpec, Plan, RecipientCalendarSpec, Weekday } from '../plan/model.ts';
import { ProjectCalendar } from './business-calendar.ts';
import { weekText } from './explain.ts';

/**
 * The days one recipient works: their own `workDays` (else the project's business days) minus
 * the public holidays of their own `country`/`region` (else the project's), plus the plan's
 * `holidays.extra` (company-wide closures). Either half can be switched off by the rule.
 */
export interface RecipientDays {
  /** Equal signatures mean equal days, so recipients can share computations. */
  readonly signature: string;
  /** "IN public holidays, works Mon–Fri". */
  readonly describe: string;
  isWorking(day: number): boolean;
  /** Why `day` is not a working day: "Republic Day, a public holiday in IN". */
  whyOff(day: number): string;
  /** The first working day on or after `day`. */
  nextWorking(day: number): number;
  /** `n` working days after `day` (n ≥ 1). */
  addWorking(day: number, n: number): number;
}

/** Beyond a year of days off in a row the calendar is broken; stop rather than loop. */
const MAX_DAYS_OFF = 400;

class Days implements RecipientDays {
  readonly signature: string;
  readonly describe: string;
  constructor(
    private readonly cal: ProjectCalendar,
    private readonly rule: RecipientCalendarSpec,
    private readonly country: string | undefined,
    signature: string,
  ) {
    this.signature = signature;
    const parts: string[] = [];
    if (rule.holidays) parts.push(country ? `${country} public holidays` : 'no public holidays');
    if (rule.workDays) parts.push(`works ${weekText(cal.weekdays)}`);
    this.describe = parts.join(', ');
  }

  isWorking(day: number): boolean {
    return (!this.rule.workDays || this.cal.isWorkdayEpochDay(day)) && (!this.rule.holidays || !this.cal.isHolidayEpochDay(day));
  }

  whyOff(day: number): string {
    const holiday = this.rule.holidays ? this.cal.holidayName(day) : undefined;
    if (holiday !== undefined) return holiday.startsWith('a plan') ? holiday : `${holiday}, a public holiday in ${this.country ?? 'the project'}`;
    return `not a working day (works ${weekText(this.cal.weekdays)})`;
  }

  nextWorking(day: number): number {
    let d = day;
    for (let i = 0; !this.isWorking(d) && i < MAX_DAYS_OFF; i++) d++;
    return d;
  }

  addWorking(day: number, n: number): number {
    let d = day;
    for (let left = n; left > 0; ) {
      d = this.nextWorking(d + 1);
      left--;
    }
    return d;
  }
}

/**
 * Day calendars are pure functions of country, region, week and extra dates, and date-holidays is slow
 * to set up, so they are kept across calendar builds (a few distinct ones per plan; bounded).
 */
const calendars = new Map<string, ProjectCalendar>();
function calendarOf(country: string | undefined, region: string | undefined, workDays: readonly Weekday[], extra: readonly string[]): ProjectCalendar {
  const key = `${country ?? ''}|${region ?? ''}|${workDays.join(',')}|${extra.join(',')}`;
  let cal = calendars.get(key);
  if (cal === undefined) {
    if (calendars.size >= 256) calendars.clear();
    const holidays = { extra: [...extra], country, region };
    cal = new ProjectCalendar({ timezone: 'UTC', businessDays: [...workDays], holidays });
    calendars.set(key, cal);
  }
  return cal;
}

/** Builds (and caches by signature) recipients' working days for one calendar build. */
export class RecipientDaysCache {
  private readonly byKey = new Map<string, RecipientDays>();
  constructor(private readonly plan: Plan) {}

  of(person: PersonSpec, rule: RecipientCalendarSpec): RecipientDays {
    const h = this.plan.project.holidays;
    const country = person.country ?? h.country;
    const region = person.country !== undefined ? person.region : h.region;
    const workDays = person.workDays ?? this.plan.project.businessDays;
    const key = `${rule.holidays ? 'H' : ''}${rule.workDays ? 'W' : ''}|${country ?? ''}|${region ?? ''}|${workDays.join(',')}|${h.extra.join(',')}`;
    let days = this.byKey.get(key);
    if (days === undefined) {
      const cal = calendarOf(country, region, workDays, h.extra);
      days = new Days(cal, rule, country && region ? `${country}-${region}` : country, key);
      this.byKey.set(key, days);
    }
    return days;
  }
}

/** The rule in force for a comm: its own override, else the project's default; off when neither says. */
export function recipientRule(plan: Plan, comm: { recipientCalendar?: RecipientCalendarSpec }): RecipientCalendarSpec | undefined {
  const rule = comm.recipientCalendar ?? plan.project.recipientCalendar;
  return rule && (rule.holidays || rule.workDays) ? rule : undefined;
}
