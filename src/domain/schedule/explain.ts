import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Offset, Weekday } from '../plan/model.ts';
import { fromEpochDay, MS_PER_DAY } from './local-date.ts';

/**
 * Why a message is due when it is: the rules that placed it, in the order they applied.
 * `from`/`to` are the value before and after the rule (a date YYYY-MM-DD or a local date-time with
 * its offset), null where a rule only checked and changed nothing.
 */
export interface ExplainStep {
  rule: ExplainRule;
  from: string | null;
  to: string | null;
  reason: string;
}

export type ExplainRule =
  | 'anchor'
  | 'offset'
  | 'recurring'
  | 'step'
  | 'trigger'
  | 'local-time'
  | 'clock-change'
  | 'urgent'
  | 'recipient-calendar'
  | 'blackout'
  | 'quiet-hours';

export function step(rule: ExplainRule, from: string | null, to: string | null, reason: string): ExplainStep {
  return { rule, from, to, reason };
}

// Every placed message carries its chain, and a calendar formats the same few instants (everyone's
// 09:00 on a day) hundreds of times; a luxon format costs ~20 µs. An exact memo, emptied when large
// so a long-running worker does not grow it without bound. (Herald never changes luxon's locale.)
const formatted = new Map<string, string>();
const FORMAT_MEMO_MAX = 50_000;
function format(instant: number, zone: string, pattern: string): string {
  const key = `${instant} ${zone} ${pattern}`;
  let text = formatted.get(key);
  if (text === undefined) {
    if (formatted.size >= FORMAT_MEMO_MAX) formatted.clear();
    text = DateTime.fromMillis(instant, { zone }).toFormat(pattern);
    formatted.set(key, text);
  }
  return text;
}

/** "Fri 8 Jan" — the short form used inside a chain. */
export function dayText(epochDay: number): string {
  return format(epochDay * MS_PER_DAY, 'UTC', 'ccc d LLL');
}

/** "Fri 15 Jan 2027". */
export function longDayText(epochDay: number): string {
  return format(epochDay * MS_PER_DAY, 'UTC', 'ccc d LLL yyyy');
}

export function isoDay(epochDay: number): string {
  return fromEpochDay(epochDay);
}

/** "09:00" from milliseconds since local midnight. */
export function hhmm(msOfDay: number): string {
  const m = Math.floor(msOfDay / 60_000);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The instant in `zone` as ISO-8601 with offset, to the minute: 2027-01-08T09:00+05:30. */
export function localIso(instant: number, zone: string): string {
  return format(instant, zone, "yyyy-MM-dd'T'HH:mmZZ");
}

/** "Fri 8 Jan 09:00" in `zone`. */
export function localText(instant: number, zone: string): string {
  return format(instant, zone, 'ccc d LLL HH:mm');
}

export function utcTime(instant: number): string {
  return format(instant, 'UTC', 'HH:mm');
}

/** "−5 business days" with a real minus sign, as the plan wrote it otherwise. */
export function offsetText(o: Offset): string {
  const unit = o.amount === 1 ? o.unit.replace(/s$/, '') : o.unit;
  return `${o.sign < 0 ? '−' : '+'}${o.amount} ${unit}`;
}

const DAY_NAMES: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
const ORDER: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "Mon–Fri", "Sun–Thu", or a list when the days are not a run (a week may wrap: Sun–Thu). */
export function weekText(days: readonly Weekday[]): string {
  if (days.length === 7) return 'every day';
  const set = new Set(days);
  // Find a start day whose previous day is off, then check the working days form one run from it.
  for (let s = 0; s < 7; s++) {
    const start = ORDER[s] as Weekday;
    if (!set.has(start) || set.has(ORDER[(s + 6) % 7] as Weekday)) continue;
    let n = 0;
    while (n < 7 && set.has(ORDER[(s + n) % 7] as Weekday)) n++;
    if (n === days.length) return n === 1 ? DAY_NAMES[start] : `${DAY_NAMES[start]}–${DAY_NAMES[ORDER[(s + n - 1) % 7] as Weekday]}`;
  }
  return ORDER.filter((d) => set.has(d))
    .map((d) => DAY_NAMES[d])
    .join(', ');
}

const hashes = new WeakMap<readonly ExplainStep[], { hash: string; json: string }>();

/**
 * A chain's JSON and its sha256 (base64url, first 22 characters = 132 bits), the key messages share it under. Cached per array:
 * recipients placed the same way share one array, so a calendar hashes each chain once.
 */
export function explainKey(chain: readonly ExplainStep[]): { hash: string; json: string } {
  let k = hashes.get(chain);
  if (k === undefined) {
    const json = JSON.stringify(chain);
    k = { hash: createHash('sha256').update(json).digest('base64url').slice(0, 22), json };
    hashes.set(chain, k);
  }
  return k;
}
