import { isScalar } from 'yaml';
import type { Trigger } from './model.ts';
import { readMilestoneRef, type Known } from './known.ts';
import { readBool, readMap, type Reader } from './read-values.ts';
import type { Loc } from './yaml-locate.ts';
import { keysOf, TriggerShape } from './plan-shape.ts';

const TRIGGER_KEYS = keysOf(TriggerShape);
const TRIGGER_HELP = 'use { milestone-moved: KEY }, { milestone-done: KEY } or manual';

/** `trigger: manual`, `{ manual: true }`, `{ milestone-moved: KEY }` or `{ milestone-done: KEY }`. */
export function readTrigger(r: Reader, loc: Loc, known: Known): Trigger | undefined {
  if (isScalar(loc.node)) {
    if (loc.node.value === 'manual') return { type: 'manual' };
    r.sink.error(loc, `unknown trigger ${JSON.stringify(loc.node.value)}: ${TRIGGER_HELP}`);
    return undefined;
  }
  const f = readMap(r, loc, TRIGGER_KEYS, TRIGGER_HELP);
  if (f === undefined) return undefined;
  const present = TRIGGER_KEYS.filter((k) => f.has(k));
  if (present.length !== 1) {
    if (present.length > 1) r.sink.error(loc, `a trigger has exactly one form, found ${present.join(' and ')}: make two comms if you need both`);
    else r.sink.error(loc, `empty trigger: ${TRIGGER_HELP}`);
    return undefined;
  }
  const type = present[0];
  const v = type === undefined ? undefined : f.get(type);
  if (type === undefined || v === undefined) return undefined;
  if (type === 'manual') {
    const b = readBool(r, v);
    if (b === false) r.sink.error(v, 'manual: false is not a trigger; write manual: true or give a schedule instead');
    return b === true ? { type: 'manual' } : undefined;
  }
  const milestone = readMilestoneRef(r, v, known);
  return milestone === undefined ? undefined : { type, milestone };
}
