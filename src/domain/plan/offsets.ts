import type { Every, EveryUnit, Offset, OffsetUnit } from './model.ts';
import { closest } from './suggest.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const OFFSET_UNITS: Record<string, OffsetUnit> = {
  minute: 'minutes',
  minutes: 'minutes',
  hour: 'hours',
  hours: 'hours',
  day: 'days',
  days: 'days',
  'business day': 'business days',
  'business days': 'business days',
  week: 'weeks',
  weeks: 'weeks',
};

const EVERY_UNITS: Record<string, EveryUnit> = {
  day: 'day',
  days: 'day',
  'business day': 'business day',
  'business days': 'business day',
  week: 'week',
  weeks: 'week',
  month: 'month',
  months: 'month',
};

function unitHint(unit: string, units: Record<string, unknown>): string {
  const near = closest(unit, Object.keys(units));
  return near !== undefined
    ? ` (did you mean "${near}"?)`
    : ` (use ${Object.keys(units)
        .filter((u) => !u.endsWith('s'))
        .join(', ')}, singular or plural)`;
}

const OFFSET_RE = /^([+-])?\s*(\d+)\s*([a-z][a-z ]*?)$/;

/**
 * "-3 business days", "+1 business day", "+4 hours".
 * `signRequired` is for schedule offsets, where before/after must be explicit; a reminder delay
 * ("2 business days") may omit it but must not be negative.
 */
export function parseOffset(raw: string, opts: { signRequired: boolean }): Parsed<Offset> {
  const text = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  const m = OFFSET_RE.exec(text);
  if (m === null) {
    return { ok: false, error: `"${raw}" is not an offset: write a signed amount and unit, e.g. "-3 business days", "+1 day" or "+4 hours"` };
  }
  const [, sign, amount, unitText = ''] = m;
  const unit = OFFSET_UNITS[unitText];
  if (unit === undefined) return { ok: false, error: `"${raw}": unknown unit "${unitText}"${unitHint(unitText, OFFSET_UNITS)}` };
  if (sign === undefined && opts.signRequired) {
    return { ok: false, error: `"${raw}" needs a sign: "-${amount} ${unitText}" (before) or "+${amount} ${unitText}" (after)` };
  }
  if (sign === '-' && !opts.signRequired) return { ok: false, error: `"${raw}" must not be negative: write "${amount} ${unitText}"` };
  return { ok: true, value: { sign: sign === '-' ? -1 : 1, amount: Number(amount), unit, raw } };
}

const EVERY_RE = /^(?:(\d+)\s+)?([a-z][a-z ]*?)$/;

/** "day", "business day", "week", "2 weeks", "month". */
export function parseEvery(raw: string): Parsed<Every> {
  const text = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  const m = EVERY_RE.exec(text);
  if (m === null) return { ok: false, error: `"${raw}" is not a repeat interval: use day, business day, week, "2 weeks" or month` };
  const [, count, unitText = ''] = m;
  const unit = EVERY_UNITS[unitText];
  if (unit === undefined) return { ok: false, error: `"${raw}": unknown interval "${unitText}"${unitHint(unitText, EVERY_UNITS)}` };
  const n = count === undefined ? 1 : Number(count);
  if (n < 1) return { ok: false, error: `"${raw}": the interval must be at least 1` };
  if (count === undefined && unitText.endsWith('s')) return { ok: false, error: `"${raw}": write "${unitText.slice(0, -1)}" or "2 ${unitText}"` };
  return { ok: true, value: { unit, n, raw } };
}
