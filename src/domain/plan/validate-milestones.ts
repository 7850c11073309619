import { isScalar } from 'yaml';
import type { MilestoneSpec } from './model.ts';
import { parseLocalDateTime } from './calendar-values.ts';
import { readKeyedMap, readMap, readString, type Reader } from './read-values.ts';
import type { Loc } from './yaml-locate.ts';
import { keysOf, MilestoneShape } from './plan-shape.ts';

/** `milestones:` key → { at, label? }; `key: 2027-01-15` is accepted as shorthand for `{ at: … }`. */
export function readMilestones(r: Reader, loc: Loc | undefined, zone: string | undefined): { milestones: MilestoneSpec[]; declared: Set<string> } {
  const out: MilestoneSpec[] = [];
  const declared = new Set<string>();
  if (loc === undefined) return { milestones: out, declared };
  for (const e of readKeyedMap(r, loc, 'milestones: { cutover: { at: 2027-01-15T18:00 } }')) {
    declared.add(e.key);
    let atLoc: Loc | undefined = e.value;
    let label: string | undefined;
    if (!isScalar(e.value.node)) {
      const f = readMap(r, e.value, keysOf(MilestoneShape), `${e.key}: { at: 2027-01-15T18:00, label: … }`);
      if (f === undefined) continue;
      atLoc = f.need('at', '2027-01-15T18:00');
      const l = f.get('label');
      if (l !== undefined) label = readString(r, l, 'a label');
    }
    if (atLoc === undefined) continue;
    const s = readString(r, atLoc, 'a date YYYY-MM-DD or date-time YYYY-MM-DDTHH:mm');
    if (s === undefined) continue;
    const at = parseLocalDateTime(s, zone);
    if (!at.ok) {
      r.sink.error(atLoc, at.error);
      continue;
    }
    out.push(label === undefined ? { key: e.key, at: at.value } : { key: e.key, at: at.value, label });
  }
  return { milestones: out, declared };
}
