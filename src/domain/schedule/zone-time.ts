import { IANAZone } from 'luxon';
import { HeraldError } from '../errors.ts';
import { MS_PER_DAY } from './local-date.ts';

/**
 * Wall-clock time ↔ instant conversion with Herald's DST rules. Luxon's own conversion picks the
 * later instant for an ambiguous wall time in zones west of UTC and the earlier one east of it, so
 * the rule "an ambiguous time takes its first instant" is implemented here on top of raw offsets.
 */

const zones = new Map<string, IANAZone>();

export function zoneOf(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = IANAZone.create(name);
    if (!zone.isValid) {
      throw new HeraldError('ZONE_INVALID', `unknown time zone "${name}"`, { hint: 'use an IANA zone such as America/Chicago' });
    }
    zones.set(name, zone);
  }
  return zone;
}

// Luxon reads an offset through Intl (~10 µs each), and a calendar asks for the same instants over
// and over (everyone's 09:00 on a day). An exact memo per zone is always right; it is emptied when
// large so a long-running worker does not grow it without bound.
const offsets = new WeakMap<IANAZone, Map<number, number>>();
const MEMO_MAX = 50_000;

function offsetMs(zone: IANAZone, instant: number): number {
  let memo = offsets.get(zone);
  if (!memo) offsets.set(zone, (memo = new Map()));
  let ms = memo.get(instant);
  if (ms === undefined) {
    if (memo.size >= MEMO_MAX) memo.clear();
    ms = zone.offset(instant) * 60_000;
    memo.set(instant, ms);
  }
  return ms;
}

/** Which instant an ambiguous (repeated) wall time resolves to. Herald's rule is 'earlier'. */
export type Ambiguity = 'earlier' | 'later';

/**
 * The instant at which clocks in `zone` show `msOfDay` on `epochDay`.
 * A time skipped by a clock change moves forward by the gap (02:30 → 03:30);
 * a repeated one takes its first instant unless `ambiguity` is 'later'.
 */
export function wallToInstant(zoneName: string, epochDay: number, msOfDay: number, ambiguity: Ambiguity = 'earlier'): number {
  const zone = zoneOf(zoneName);
  const wall = epochDay * MS_PER_DAY + msOfDay;
  // Offsets a day either side bracket any single transition near this wall time.
  const before = offsetMs(zone, wall - MS_PER_DAY);
  const after = offsetMs(zone, wall + MS_PER_DAY);
  const t1 = wall - before;
  const t2 = wall - after;
  const ok1 = offsetMs(zone, t1) === before;
  const ok2 = offsetMs(zone, t2) === after;
  if (ok1 && ok2) return ambiguity === 'earlier' ? Math.min(t1, t2) : Math.max(t1, t2);
  if (ok1) return t1;
  if (ok2) return t2;
  // Gap: read the wall time with the offset in force before the change, which lands after it.
  return t1;
}

export interface ZonedWall {
  epochDay: number;
  msOfDay: number;
}

/** The local date and time of day that clocks in `zone` show at `instant`. */
export function instantToWall(zoneName: string, instant: number): ZonedWall {
  const local = instant + offsetMs(zoneOf(zoneName), instant);
  const epochDay = Math.floor(local / MS_PER_DAY);
  return { epochDay, msOfDay: local - epochDay * MS_PER_DAY };
}

const WALL_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** "HH:mm[:ss]" → milliseconds since local midnight. */
export function parseWallTime(time: string): number {
  const m = WALL_RE.exec(time);
  if (!m) throw new HeraldError('TIME_INVALID', `"${time}" is not a time of day in the form HH:mm`);
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000;
}
