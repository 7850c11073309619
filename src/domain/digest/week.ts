import { DateTime } from 'luxon';
import { HeraldError } from '../errors.ts';

const DAY_MS = 86_400_000;

/** The digest covers the seven days ending at its send time, and compares with the seven before. */
export interface DigestWindow {
  /** Start of this week's window (now − 7 days). */
  from: Date;
  /** The send instant; the window ends here. */
  to: Date;
  /** Start of last week's window (now − 14 days); it ends at `from`. */
  previousFrom: Date;
}

export function digestWindow(now: Date): DigestWindow {
  const to = new Date(now.getTime());
  return { from: new Date(to.getTime() - 7 * DAY_MS), to, previousFrom: new Date(to.getTime() - 14 * DAY_MS) };
}

export function inWindow(at: Date | undefined, from: Date, to: Date): boolean {
  return at !== undefined && at.getTime() >= from.getTime() && at.getTime() < to.getTime();
}

/** An ISO week as written in the CLI and in the digest: `2027-W03`. */
export type IsoWeek = string;

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** The ISO week (year-W##) of a calendar date `YYYY-MM-DD`. */
export function isoWeekOfDate(date: string): IsoWeek {
  const d = DateTime.fromISO(date, { zone: 'utc' });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}

/** The ISO week an instant falls in, counted in `zone`. */
export function isoWeekOf(at: Date, zone: string): IsoWeek {
  const d = DateTime.fromJSDate(at, { zone });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}

/**
 * A weekly digest's occurrence number is its ISO week as one integer (2027-W03 → 202703), so its
 * message key (`comm#202703:person:channel`) names the week itself: moving the milestone the
 * schedule counts from can never turn one week's digest into another's, and the database's unique
 * key on (project, key) makes a second digest for the same person, channel and week impossible.
 */
export function weekOccurrence(week: IsoWeek): number {
  const m = ISO_WEEK.exec(week);
  if (!m) throw new HeraldError('BAD_WEEK', `"${week}" is not an ISO week`, { hint: 'write it as YYYY-Www, e.g. 2027-W03' });
  return Number(m[1]) * 100 + Number(m[2]);
}

export function weekOfOccurrence(occurrence: number): IsoWeek {
  return `${Math.floor(occurrence / 100)}-W${String(occurrence % 100).padStart(2, '0')}`;
}

/** Weeks of these years only: outside them a date is certainly a typo, and PostgreSQL cannot compare years before 100. */
const WEEK_YEARS = { min: 1970, max: 9998 } as const;

/** Checks `2027-W03` is a real week (W53 only in long years) and returns its Monday, `YYYY-MM-DD`. */
export function mondayOfWeek(week: IsoWeek): string {
  const m = ISO_WEEK.exec(week);
  const year = m ? Number(m[1]) : NaN;
  const d =
    m && year >= WEEK_YEARS.min && year <= WEEK_YEARS.max
      ? DateTime.fromObject({ weekYear: year, weekNumber: Number(m[2]), weekday: 1 }, { zone: 'utc' })
      : undefined;
  if (!m || !d || !d.isValid || d.weekNumber !== Number(m[2])) {
    throw new HeraldError('BAD_WEEK', `"${week}" is not an ISO week of ${WEEK_YEARS.min}–${WEEK_YEARS.max}`, {
      hint: 'write it as YYYY-Www with a week that exists (W01–W52, W53 in long years), e.g. 2027-W03',
    });
  }
  return d.toISODate() as string;
}
