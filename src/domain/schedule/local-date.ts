import type { Weekday } from '../plan/model.ts';
import { HeraldError } from '../errors.ts';

/**
 * Calendar dates without a zone, as ISO `YYYY-MM-DD` strings at the API and as "epoch days"
 * (days since 1970-01-01) inside the scheduler, where plain integer arithmetic is both exact and fast.
 */
export type LocalDate = string;

const MS_PER_DAY = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** 1970-01-01 was a Thursday; index 0 = Monday to match WEEKDAYS. */
const WEEKDAY_BY_INDEX: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function toEpochDay(date: LocalDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new HeraldError('DATE_INVALID', `"${date}" is not a date in the form YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new HeraldError('DATE_INVALID', `"${date}" is not a real calendar date`);
  }
  return Math.round(ms / MS_PER_DAY);
}

export function fromEpochDay(day: number): LocalDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function weekdayOfEpochDay(day: number): Weekday {
  // ((day % 7) + 7) % 7 keeps pre-1970 days positive; +3 shifts Thursday (day 0) to index 3.
  return WEEKDAY_BY_INDEX[(((day + 3) % 7) + 7) % 7] as Weekday;
}

export function yearOfEpochDay(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** Adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsToEpochDay(day: number, months: number): number {
  const d = new Date(day * MS_PER_DAY);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Math.round(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay)) / MS_PER_DAY);
}

export { MS_PER_DAY };
