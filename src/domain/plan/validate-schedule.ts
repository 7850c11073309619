import type { AnchorRef, Every, Offset, Schedule, Weekday } from './model.ts';
import { localMillis, parseLocalDateTime, parseWeekday } from './calendar-values.ts';
import { readMilestoneRef, readOffset, readTime, type Known } from './known.ts';
import { parseEvery } from './offsets.ts';
import { readInt, readMap, readString, type Fields, type Reader } from './read-values.ts';
import type { Loc } from './yaml-locate.ts';
import { keysOf, SCHEDULE_FORMS } from './plan-shape.ts';

const FORMS = {
  anchored: keysOf(SCHEDULE_FORMS.anchored),
  series: keysOf(SCHEDULE_FORMS.series),
  stepped: keysOf(SCHEDULE_FORMS.stepped),
  recurring: keysOf(SCHEDULE_FORMS.recurring),
};
type Form = keyof typeof FORMS;

const FORMS_HELP = 'use { at, offset } (anchored), { at, offsets: [...] } (series), { at, offset, every } (stepped) or { every, from, until } (recurring)';

/** Picks the form from the keys present, so a typo in one key reports against the intended form. */
function detectForm(keys: ReadonlySet<string>): Form | undefined {
  if (keys.has('at')) return keys.has('offsets') ? 'series' : keys.has('every') || keys.has('count') ? 'stepped' : 'anchored';
  if (keys.has('every') || keys.has('from') || keys.has('until') || keys.has('on')) return 'recurring';
  return undefined;
}

export function readSchedule(r: Reader, loc: Loc, known: Known): Schedule | undefined {
  const entries = r.src.entries(loc);
  if (entries === undefined) {
    r.sink.error(loc, `expected a schedule map: ${FORMS_HELP}`);
    return undefined;
  }
  const form = detectForm(new Set(entries.map((e) => e.key)));
  if (form === undefined) {
    r.sink.error(loc, `cannot tell which schedule this is: ${FORMS_HELP}`);
    return undefined;
  }
  const f = readMap(r, loc, FORMS[form]);
  if (f === undefined) return undefined;
  const timeLoc = f.get('time');
  const time = timeLoc === undefined ? undefined : readTime(r, timeLoc);

  const schedule = readForm(r, loc, f, form, known, time);
  // A bad `time` is reported once, after the other keys have been checked too.
  return timeLoc !== undefined && time === undefined ? undefined : schedule;
}

function readForm(r: Reader, loc: Loc, f: Fields, form: Form, known: Known, time: string | undefined): Schedule | undefined {
  const withTime = <T extends object>(s: T): T & { time?: string } => (time === undefined ? s : { ...s, time });
  if (form === 'recurring') return readRecurring(r, f, known, time);

  const atLoc = f.need('at', 'cutover');
  const at = atLoc === undefined ? undefined : readMilestoneRef(r, atLoc, known);
  if (form === 'series') {
    const offsets = readOffsetList(r, f.need('offsets', '["-5 business days", "-1 business day"]'));
    if (at === undefined || offsets === undefined) return undefined;
    warnMidnight(r, loc, known, at, time, offsets);
    return withTime({ type: 'series' as const, at, offsets });
  }
  const offsetLoc = f.need('offset', '"-3 business days" (or "+0 days" for the milestone itself)');
  const offset = offsetLoc === undefined ? undefined : readOffset(r, offsetLoc, true);
  if (form === 'anchored') {
    if (at === undefined || offset === undefined) return undefined;
    warnMidnight(r, loc, known, at, time, [offset]);
    return withTime({ type: 'anchored' as const, at, offset });
  }
  const every = readEveryAt(r, f.need('every', '"business day"'));
  const countLoc = f.get('count');
  const count = countLoc === undefined ? undefined : readInt(r, countLoc, 1);
  if (at === undefined || offset === undefined || every === undefined || (countLoc !== undefined && count === undefined)) return undefined;
  const stepped = withTime({ type: 'stepped' as const, at, offset, every });
  return count === undefined ? stepped : { ...stepped, count };
}

function readRecurring(r: Reader, f: Fields, known: Known, time: string | undefined): Schedule | undefined {
  const every = readEveryAt(r, f.need('every', 'week'));
  const onLoc = f.get('on');
  let on: Weekday | undefined;
  if (onLoc !== undefined) {
    const s = readString(r, onLoc, 'a weekday');
    const d = s === undefined ? undefined : parseWeekday(s);
    if (d !== undefined && !d.ok) r.sink.error(onLoc, d.error);
    else if (d !== undefined && every !== undefined && every.unit !== 'week') {
      r.sink.error(onLoc, `"on" only applies to weekly schedules (every: week or "2 weeks"); remove it for every: ${every.raw}`);
    } else if (d !== undefined) on = d.value;
  }
  const fromLoc = f.need('from', 'kickoff');
  const untilLoc = f.need('until', 'hypercare-end');
  const from = fromLoc === undefined ? undefined : readAnchorRef(r, fromLoc, known);
  const until = untilLoc === undefined ? undefined : readAnchorRef(r, untilLoc, known);
  if (every === undefined || from === undefined || until === undefined || (onLoc !== undefined && on === undefined)) return undefined;
  if (untilLoc !== undefined && anchorMillis(from, known) > anchorMillis(until, known)) {
    r.sink.error(untilLoc, `"until" is before "from": the schedule would never run; swap them or pick a later end`);
    return undefined;
  }
  const s: Schedule = { type: 'recurring', every, from, until };
  if (on !== undefined) s.on = on;
  if (time !== undefined) s.time = time;
  return s;
}

function readEveryAt(r: Reader, loc: Loc | undefined): Every | undefined {
  if (loc === undefined) return undefined;
  const s = readString(r, loc, 'a repeat interval such as week');
  if (s === undefined) return undefined;
  const e = parseEvery(s);
  if (!e.ok) r.sink.error(loc, e.error);
  return e.ok ? e.value : undefined;
}

function readOffsetList(r: Reader, loc: Loc | undefined): Offset[] | undefined {
  if (loc === undefined) return undefined;
  const items = r.src.items(loc);
  if (items === undefined || items.length === 0) {
    r.sink.error(loc, 'expected a non-empty list of offsets, e.g. ["-5 business days", "-1 business day"]');
    return undefined;
  }
  const offsets = items.map((item) => readOffset(r, item, true));
  return offsets.every((o) => o !== undefined) ? (offsets as Offset[]) : undefined;
}

const DATE_LIKE = /^\d{4}-/;

/** `from`/`until`: a milestone key, or a local date/date-time in the project zone. */
export function readAnchorRef(r: Reader, loc: Loc, known: Known): AnchorRef | undefined {
  const s = readString(r, loc, 'a milestone key or a date YYYY-MM-DD');
  if (s === undefined) return undefined;
  if (DATE_LIKE.test(s)) {
    const d = parseLocalDateTime(s, known.zone);
    if (!d.ok) r.sink.error(loc, d.error);
    return d.ok ? { date: d.value } : undefined;
  }
  const m = readMilestoneRef(r, loc, known);
  return m === undefined ? undefined : { milestone: m };
}

function anchorMillis(a: AnchorRef, known: Known): number {
  const at = 'date' in a ? a.date : known.milestones.get(a.milestone)?.at;
  return at === undefined ? NaN : localMillis(at, known.zone);
}

/** A date-only milestone with day offsets and no `time` would send at local midnight: legal, rarely meant. */
function warnMidnight(r: Reader, loc: Loc, known: Known, at: string, time: string | undefined, offsets: readonly Offset[]): void {
  const m = known.milestones.get(at);
  if (time !== undefined || m === undefined || m.at.includes('T')) return;
  const hours = offsets.some((o) => o.unit === 'minutes' || o.unit === 'hours');
  r.sink.warn(
    loc,
    `milestone "${at}" has no time of day and this schedule has no "time": messages are due ${hours ? 'relative to' : 'at'} 00:00` +
      `; add time: "09:00" (for example)`,
  );
}
