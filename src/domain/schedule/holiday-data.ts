import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * date-holidays, loaded in two parts and only as far as a command needs it.
 *
 * `import Holidays from 'date-holidays'` evaluates its 800 kB data module (a JavaScript object
 * literal) and the rule parser with everything the parser can need: astronomical calendars
 * (astronomia), moment-timezone with its zone data, Chinese, Hebrew, Hijri and Jalaali calendars.
 * That import was ~120 ms of `herald validate` (bench:cli), paid by every command that parses a plan.
 * Here the data is the package's own JSON copy (data/holidays.json, identical to its data module;
 * JSON.parse takes ~12 ms), which is all that checking country and region codes needs; the parser
 * (its CommonJS build: one `require`, synchronous, so the calendar's methods stay synchronous) is
 * loaded the first time a year's public holidays are computed.
 */

/** The parts of date-holidays' data this code reads. */
export interface HolidayData {
  holidays: Record<string, { states?: Record<string, unknown>; regions?: Record<string, unknown> }>;
}

/** One holiday as date-holidays' `getHolidays(year)` returns it. */
export interface Holiday {
  date: string;
  start: Date;
  end: Date;
  name: string;
  type: string;
}

export interface HolidayRules {
  getHolidays(year: number): Holiday[];
}

type ParserClass = new (data: HolidayData, country: string, state?: string) => HolidayRules;

// Resolved from date-holidays itself, whose dependency the parser is (it may not be hoisted).
const requireHere = createRequire(import.meta.url);
const entry = requireHere.resolve('date-holidays');
let data: HolidayData | undefined;
let Parser: ParserClass | undefined;

export function holidayData(): HolidayData {
  // The path is absolute, so the package's "exports" (which do not list the JSON) do not apply.
  data ??= requireHere(join(dirname(entry), '..', 'data', 'holidays.json')) as HolidayData;
  return data;
}

/** Country codes (upper case) that date-holidays has rules for. */
export function holidayCountries(): string[] {
  return Object.keys(holidayData().holidays);
}

/** Region (state) codes of a country, as date-holidays' `getStates` lists them; [] when it has none. */
export function holidayRegions(country: string): string[] {
  const c = holidayData().holidays[country.toUpperCase()];
  return Object.keys(c?.states ?? c?.regions ?? {});
}

/** The rules of a country (and region); loads the parser on first use. */
export function holidayRules(country: string, region?: string): HolidayRules {
  if (!Parser) {
    const mod = createRequire(entry)('date-holidays-parser') as { default: ParserClass };
    Parser = mod.default;
  }
  return region ? new Parser(holidayData(), country, region) : new Parser(holidayData(), country);
}
