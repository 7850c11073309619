import { isScalar } from 'yaml';
import type { BlackoutBound, BlackoutSpec, CommSpec, RecipientCalendarSpec } from './model.ts';
import { readMilestoneRef, readOffset, type Known } from './known.ts';
import { isNothing, readBool, readMap, readString, readStringOrList, type Reader } from './read-values.ts';
import { hint } from './suggest.ts';
import { readAnchorRef } from './validate-schedule.ts';
import type { Loc } from './yaml-locate.ts';
import { BlackoutBoundShape, BlackoutShape, keysOf, RecipientCalendarShape } from './plan-shape.ts';

const CALENDAR_EXAMPLE = 'recipientCalendar: { holidays: true, workDays: true }';

/** `recipientCalendar: { holidays, workDays }` (a missing key is false), or `true`/`false` for both. */
export function readRecipientCalendar(r: Reader, loc: Loc): RecipientCalendarSpec | undefined {
  if (isScalar(loc.node) && typeof loc.node.value === 'boolean') return { holidays: loc.node.value, workDays: loc.node.value };
  const f = readMap(r, loc, keysOf(RecipientCalendarShape), CALENDAR_EXAMPLE);
  if (f === undefined) return undefined;
  const out: RecipientCalendarSpec = { holidays: false, workDays: false };
  for (const k of ['holidays', 'workDays'] as const) {
    const v = f.get(k);
    if (v === undefined) continue;
    const b = readBool(r, v);
    if (b === undefined) return undefined;
    out[k] = b;
  }
  return out;
}

/** One read blackout and where it was written, for the checks that need the whole plan. */
export interface ReadBlackout {
  /** Undefined when a bound was invalid (already reported); its allow list is still checked. */
  spec?: BlackoutSpec;
  loc: Loc;
  allow: { value: string; loc: Loc }[];
}

const BLACKOUT_EXAMPLE = '- { from: { at: cutover }, to: { at: cutover, offset: "+2 days" }, label: Cutover weekend, allow: [ops-impact] }';

/** `project.blackouts`: read after the milestones, since bounds may name them. */
export function readBlackouts(r: Reader, loc: Loc | undefined, known: Known): ReadBlackout[] {
  if (loc === undefined || isNothing(loc.node)) return [];
  const items = r.src.items(loc);
  if (items === undefined) {
    r.sink.error(loc, `expected a list of windows, e.g. ${BLACKOUT_EXAMPLE}`);
    return [];
  }
  const out: ReadBlackout[] = [];
  for (const item of items) {
    const f = readMap(r, item, keysOf(BlackoutShape), BLACKOUT_EXAMPLE);
    if (f === undefined) continue;
    const fromLoc = f.need('from', '{ at: cutover } or 2027-01-15T18:00');
    const toLoc = f.need('to', '{ at: cutover, offset: "+2 days" } or 2027-01-17T18:00');
    const from = fromLoc === undefined ? undefined : readBound(r, fromLoc, known);
    const to = toLoc === undefined ? undefined : readBound(r, toLoc, known);
    const labelLoc = f.get('label');
    const label = labelLoc === undefined ? undefined : readString(r, labelLoc, 'a label');
    const allowLoc = f.get('allow');
    const allow = allowLoc === undefined ? [] : (readStringOrList(r, allowLoc, 'a comm key or kind') ?? []);
    if (from === undefined || to === undefined) {
      out.push({ loc: item, allow });
      continue;
    }
    const spec: BlackoutSpec = { from, to, allow: allow.map((a) => a.value) };
    if (label !== undefined) spec.label = label;
    out.push({ spec, loc: item, allow });
  }
  return out;
}

/** A date/date-time, a milestone key, or `{ at: milestone, offset }`. */
function readBound(r: Reader, loc: Loc, known: Known): BlackoutBound | undefined {
  if (isScalar(loc.node)) return readAnchorRef(r, loc, known);
  const f = readMap(r, loc, keysOf(BlackoutBoundShape), '{ at: cutover, offset: "+2 days" }');
  if (f === undefined) return undefined;
  const atLoc = f.need('at', 'cutover');
  const milestone = atLoc === undefined ? undefined : readMilestoneRef(r, atLoc, known);
  const offLoc = f.get('offset');
  const offset = offLoc === undefined ? undefined : readOffset(r, offLoc, true);
  if (milestone === undefined || (offLoc !== undefined && offset === undefined)) return undefined;
  return offset === undefined ? { milestone } : { milestone, offset };
}

/** `allow` names comm keys or kinds of this plan. */
export function checkBlackoutAllows(r: Reader, blackouts: readonly ReadBlackout[], comms: readonly CommSpec[]): void {
  const names = new Set([...comms.map((c) => c.key), ...comms.map((c) => c.kind)]);
  for (const b of blackouts) {
    for (const a of b.allow) {
      if (!names.has(a.value)) r.sink.error(a.loc, `allow: "${a.value}" is neither a comm key nor a comm kind of this plan${hint(a.value, names)}`);
    }
  }
}
