import { DateTime, IANAZone } from 'luxon';
import type { Weekday } from './model.ts';
import { closest } from './suggest.ts';
import type { Parsed } from './offsets.ts';

const zoneCache = new Map<string, boolean>();

/** IANA zone check, cached: constructing Intl formatters per CSV row would dominate large imports. */
export function isValidZone(zone: string): boolean {
  let ok = zoneCache.get(zone);
  if (ok === undefined) {
    // Offsets like "UTC+2" or "EST" are not IANA names and their DST rules differ.
    ok = zone.includes('/') || zone === 'UTC' ? IANAZone.isValidZone(zone) : false;
    zoneCache.set(zone, ok);
  }
  return ok;
}

let zoneNames: string[] | undefined;

/** "America/Chicgo" → "America/Chicago": the closest IANA name, from the zones this Node knows. */
export function closestZone(zone: string): string | undefined {
  zoneNames ??= Intl.supportedValuesOf('timeZone');
  // Compared by the city part too, so "Chicgo" and "america/chicago" find it.
  const city = zone.slice(zone.lastIndexOf('/') + 1).toLowerCase();
  const exact = zoneNames.find((z) => z.toLowerCase() === zone.toLowerCase()) ?? zoneNames.find((z) => z.slice(z.lastIndexOf('/') + 1).toLowerCase() === city);
  return exact ?? closest(zone, zoneNames);
}

export function zoneError(zone: string): string {
  const near = closestZone(zone);
  return `"${zone}" is not an IANA time zone: ${near ? `did you mean ${near}? ` : ''}use a name like America/Chicago, Europe/London or UTC`;
}

/** "09:00" → "09:00"; "9:00" is accepted and padded. */
export function parseWallTime(raw: string): Parsed<string> {
  const m = /^(\d{1,2}):(\d{2})$/.exec(raw.trim());
  if (m !== null) {
    const h = Number(m[1]);
    const min = Number(m[2]);
    if (h <= 23 && min <= 59) return { ok: true, value: `${String(h).padStart(2, '0')}:${m[2]}` };
  }
  return { ok: false, error: `"${raw}" is not a time: use 24-hour HH:mm, e.g. "09:00" or "18:30" (quote it in YAML)` };
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** Why a date or date-time of the right shape does not exist, in a PM's words ("February 2027 has 28 days"). */
function outOfRange(raw: string): string | undefined {
  const [y, mo, d, h, mi, se] = (raw.match(/\d+/g) ?? []).map(Number);
  if (y === undefined || mo === undefined || d === undefined) return undefined;
  if (mo < 1 || mo > 12) return `there is no month ${mo}: months go from 01 to 12`;
  const month = DateTime.utc(y, mo, 1);
  if (d < 1 || d > (month.daysInMonth ?? 31)) return `${month.toFormat('LLLL yyyy')} has ${month.daysInMonth} days`;
  if (h !== undefined && h > 23) return 'hours go from 00 to 23';
  if ((mi !== undefined && mi > 59) || (se !== undefined && se > 59)) return 'minutes and seconds go from 00 to 59';
  return undefined;
}

export function parseIsoDate(raw: string): Parsed<string> {
  if (DATE_RE.test(raw) && DateTime.fromISO(raw, { zone: 'UTC' }).isValid) return { ok: true, value: raw };
  const why = DATE_RE.test(raw) ? outOfRange(raw) : undefined;
  return { ok: false, error: why ? `"${raw}" is not a date: ${why}` : `"${raw}" is not a date: use YYYY-MM-DD, e.g. 2027-01-15` };
}

/**
 * A local date or date-time that must exist in `zone`: a wall time skipped by a clock change
 * (02:30 on a spring-forward night) is rejected so a milestone never silently shifts.
 */
export function parseLocalDateTime(raw: string, zone: string | undefined): Parsed<string> {
  if (DATE_RE.test(raw)) return parseIsoDate(raw);
  if (!DATE_TIME_RE.test(raw)) {
    return { ok: false, error: `"${raw}" is not a date or date-time: use YYYY-MM-DD or YYYY-MM-DDTHH:mm, e.g. 2027-01-15T18:00` };
  }
  const utc = DateTime.fromISO(raw, { zone: 'UTC' });
  // Luxon reads T24:00 as the next midnight; a PM writing it meant a time that does not exist.
  const why = outOfRange(raw);
  if (why !== undefined || !utc.isValid)
    return { ok: false, error: `"${raw}" is not a valid date-time: ${why ?? 'use YYYY-MM-DDTHH:mm, e.g. 2027-01-15T18:00'}` };
  if (zone !== undefined && isValidZone(zone)) {
    const local = DateTime.fromISO(raw, { zone });
    const fmt = raw.length > 16 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm";
    if (local.toFormat(fmt) !== raw) {
      return { ok: false, error: `"${raw}" does not exist in ${zone} (the clocks skip it); use ${local.toFormat(fmt)} or another time` };
    }
  }
  return { ok: true, value: raw };
}

const WEEKDAY_NAMES: Record<string, Weekday> = {
  mon: 'mon',
  monday: 'mon',
  tue: 'tue',
  tues: 'tue',
  tuesday: 'tue',
  wed: 'wed',
  wednesday: 'wed',
  thu: 'thu',
  thur: 'thu',
  thurs: 'thu',
  thursday: 'thu',
  fri: 'fri',
  friday: 'fri',
  sat: 'sat',
  saturday: 'sat',
  sun: 'sun',
  sunday: 'sun',
};

export function parseWeekday(raw: string): Parsed<Weekday> {
  const d = WEEKDAY_NAMES[raw.trim().toLowerCase()];
  return d !== undefined ? { ok: true, value: d } : { ok: false, error: `"${raw}" is not a weekday: use mon, tue, wed, thu, fri, sat, sun (or monday…sunday)` };
}

/** Milliseconds of a local date/date-time in a zone, for ordering anchors. */
export function localMillis(at: string, zone: string): number {
  return DateTime.fromISO(at, { zone }).toMillis();
}
