import type { EscalationSpec } from '../plan/model.ts';
import type { ProjectCalendar } from '../schedule/business-calendar.ts';
import { instantToWall, wallToInstant } from '../schedule/zone-time.ts';

/** Working hours as ms since local midnight, start < end (e.g. 09:00–17:00). */
export interface BusinessHours {
  start: number;
  end: number;
}

/** How long an escalation may stay unacknowledged: an exact duration or one counted in working time. */
export type EscalationDelay = EscalationSpec['after'];

const EXACT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
const MAX_DAYS = 3660;

/**
 * The instant `delay` after `from` for someone in `zone`. Business hours count only time inside
 * `hours` on the project calendar's business days (in the person's zone: an owner in Kolkata is
 * given four of their own working hours); business days move to the same local time that many
 * business days on (from outside working hours, counting starts at the next opening).
 */
export function addBusinessTime(calendar: ProjectCalendar, hours: BusinessHours, zone: string, from: number, delay: EscalationDelay): number {
  if (delay.unit === 'minutes' || delay.unit === 'hours' || delay.unit === 'days') return from + delay.amount * EXACT_MS[delay.unit];
  const start = nextOpening(calendar, hours, zone, from);
  if (delay.unit === 'business days') {
    const { epochDay, msOfDay } = instantToWall(zone, start);
    return wallToInstant(zone, calendar.addBusinessEpochDays(epochDay, delay.amount), msOfDay);
  }
  let left = delay.amount * EXACT_MS.hours;
  let { epochDay } = instantToWall(zone, start);
  let cursor = start;
  for (let guard = 0; guard < MAX_DAYS; guard++, epochDay++) {
    if (!calendar.isBusinessEpochDay(epochDay)) continue;
    const open = Math.max(cursor, wallToInstant(zone, epochDay, hours.start));
    const close = wallToInstant(zone, epochDay, hours.end);
    if (close <= open) continue;
    if (close - open >= left) return open + left;
    left -= close - open;
    cursor = close;
  }
  return cursor + left;
}

/** `from` if it is inside working hours, else the next instant working hours begin. */
export function nextOpening(calendar: ProjectCalendar, hours: BusinessHours, zone: string, from: number): number {
  let { epochDay } = instantToWall(zone, from);
  for (let guard = 0; guard < MAX_DAYS; guard++, epochDay++) {
    if (!calendar.isBusinessEpochDay(epochDay)) continue;
    const open = wallToInstant(zone, epochDay, hours.start);
    const close = wallToInstant(zone, epochDay, hours.end);
    if (from < close) return Math.max(from, open);
  }
  return from;
}

const DELAY_RE = /^(\d+)\s*(minutes?|hours?|days?|business hours?|business days?)$/;

/** "4 business hours", "30 minutes", "1 business day". */
export function parseEscalationDelay(raw: string): { ok: true; value: EscalationDelay } | { ok: false; error: string } {
  const m = DELAY_RE.exec(raw.trim().toLowerCase().replace(/\s+/g, ' '));
  if (!m) {
    return { ok: false, error: `"${raw}" is not a delay: write an amount and a unit, e.g. "4 business hours", "2 hours" or "1 business day"` };
  }
  const amount = Number(m[1]);
  if (amount < 1) return { ok: false, error: `"${raw}": the delay must be at least 1` };
  const word = m[2]!;
  const unit = (word.endsWith('s') ? word : `${word}s`) as EscalationDelay['unit'];
  return { ok: true, value: { unit, amount, raw } };
}
