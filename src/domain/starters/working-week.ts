import type { Weekday } from '../plan/model.ts';
import { holidayData } from '../schedule/holiday-data.ts';

const MON_FRI: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const SUN_THU: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu'];

/**
 * Countries whose working week runs Sunday to Thursday. date-holidays knows each country's
 * holidays and zones but not its weekend, so the few exceptions to Monday–Friday are listed here.
 */
const SUNDAY_TO_THURSDAY = new Set(['IL', 'SA', 'EG', 'KW', 'QA', 'BH', 'OM', 'JO', 'DZ']);

/** The usual working week of a country (Monday–Friday unless listed above). */
export function workingWeekOf(country: string | undefined): readonly Weekday[] {
  return country !== undefined && SUNDAY_TO_THURSDAY.has(country.toUpperCase()) ? SUN_THU : MON_FRI;
}

/** The country's first time zone in date-holidays' data (its capital's, as a rule), if any. */
export function zoneOfCountry(country: string): string | undefined {
  const entry = holidayData().holidays[country.toUpperCase()] as { zones?: string[] } | undefined;
  return entry?.zones?.[0];
}
