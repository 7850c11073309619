import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MS_PER_DAY, toEpochDay } from './local-date.ts';

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
 *
 * Computed years can also be kept between runs in a HolidayStore, which the composition root
 * installs (the CLI's is on disk: src/app/holiday-disk-store.ts); this module does no I/O of its
 * own. Loading the parser and computing a year takes ~85 ms of the ~500 ms of CPU `herald
 * validate` needs, for a result that depends only on country, region, year and the packages'
 * versions (holidayCacheKey). It is only a cache: a missing, unreadable or unwritable store
 * means computing as before.
 */

/** The parts of date-holidays' data this code reads. */
export interface HolidayData {
  version: string;
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

/** A year's public holidays as [epoch day, name], multi-day ones (rare) one entry per day. */
export type HolidayDays = ReadonlyArray<readonly [number, string]>;

function computePublicHolidays(country: string, region: string | undefined, year: number): HolidayDays {
  const days = new Map<number, string>();
  for (const h of holidayRules(country, region).getHolidays(year)) {
    if (h.type !== 'public') continue;
    const first = toEpochDay(h.date.slice(0, 10));
    const span = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / MS_PER_DAY));
    for (let i = 0; i < span; i++) if (!days.has(first + i)) days.set(first + i, h.name);
  }
  return [...days];
}

/** Keeps computed years between runs. `read` may throw (nothing stored yet); so may `write`. */
export interface HolidayStore {
  read(): Record<string, HolidayDays>;
  write(entries: Readonly<Record<string, HolidayDays>>): void;
}

let store: HolidayStore | undefined;
let cache: Record<string, HolidayDays> | undefined;

/** Installs (or, with undefined, removes) the store computed years are kept in; the next lookup reads it afresh. */
export function useHolidayStore(s: HolidayStore | undefined): void {
  store = s;
  cache = undefined;
}

/** What stored years depend on: date-holidays', its data's and its parser's versions. */
export function holidayCacheKey(): string {
  const versionOf = (pkg: string, from: string): string => (createRequire(from)(`${pkg}/package.json`) as { version: string }).version;
  return `${versionOf('date-holidays', import.meta.url)}-${holidayData().version}-parser-${versionOf('date-holidays-parser', entry)}`;
}

function openCache(): Record<string, HolidayDays> {
  if (cache) return cache;
  cache = {};
  try {
    const stored = store?.read();
    if (stored && typeof stored === 'object') cache = { ...stored };
  } catch {
    // Nothing stored yet, or unreadable: it is rewritten on the first year computed.
  }
  return cache;
}

/** The public holidays of a country (and region) in a year: from the disk cache, else computed and stored. */
export function publicHolidayDays(country: string, region: string | undefined, year: number): HolidayDays {
  const c = openCache();
  const key = `${country.toUpperCase()}|${(region ?? '').toUpperCase()}|${year}`;
  const hit = c[key];
  if (Array.isArray(hit)) return hit;
  const days = computePublicHolidays(country, region, year);
  c[key] = days;
  try {
    store?.write(c);
  } catch {
    store = undefined; // read-only home (a container): compute each time, as before
  }
  return days;
}
