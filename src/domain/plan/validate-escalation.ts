import type { EscalationSpec } from './model.ts';
import { parseEscalationDelay } from '../escalation/business-time.ts';
import { DEFAULT_ESCALATION } from '../escalation/rules.ts';
import { parseWallTime } from './calendar-values.ts';
import { readMap, readString, type Reader } from './read-values.ts';
import type { Loc } from './yaml-locate.ts';
import { BusinessHoursShape, EscalationShape, keysOf } from './plan-shape.ts';

/** `project.escalation: { after: "4 business hours", businessHours: { start: "09:00", end: "17:00" } }`. */
export function readEscalation(r: Reader, loc: Loc): EscalationSpec | undefined {
  const f = readMap(r, loc, keysOf(EscalationShape), 'escalation: { after: "4 business hours" }');
  if (f === undefined) return undefined;
  const mark = r.sink.errorCount();
  let after: EscalationSpec['after'] = DEFAULT_ESCALATION.after;
  const aLoc = f.get('after');
  if (aLoc !== undefined) {
    const s = readString(r, aLoc, 'a delay such as "4 business hours"');
    if (s !== undefined) {
      const d = parseEscalationDelay(s);
      if (d.ok) after = d.value;
      else r.sink.error(aLoc, d.error);
    }
  }
  let businessHours: EscalationSpec['businessHours'] = { ...DEFAULT_ESCALATION.businessHours };
  const hLoc = f.get('businessHours');
  if (hLoc !== undefined) {
    const h = readMap(r, hLoc, keysOf(BusinessHoursShape), 'businessHours: { start: "09:00", end: "17:00" }');
    const times: Partial<Record<'start' | 'end', string>> = {};
    for (const k of ['start', 'end'] as const) {
      const v = h?.need(k, k === 'start' ? '"09:00"' : '"17:00"');
      const s = v === undefined ? undefined : readString(r, v, 'a time HH:mm');
      if (v === undefined || s === undefined) continue;
      const t = parseWallTime(s);
      if (t.ok) times[k] = t.value;
      else r.sink.error(v, t.error);
    }
    if (times.start !== undefined && times.end !== undefined) {
      if (times.start >= times.end)
        r.sink.error(hLoc, `business hours must start before they end (got ${times.start}–${times.end}), e.g. start "09:00", end "17:00"`);
      else businessHours = { start: times.start, end: times.end };
    }
  }
  return r.sink.errorCount() === mark ? { after, businessHours } : undefined;
}
