import type { AudienceSpec } from './model.ts';
import { isNothing, readKeyedMap, readMap, readString, type Reader } from './read-values.ts';
import type { Loc } from './yaml-locate.ts';
import { AudienceShape, keysOf } from './plan-shape.ts';

/** `audiences:` key → { description? }; an empty value is allowed. */
export function readAudiences(r: Reader, loc: Loc | undefined): AudienceSpec[] {
  if (loc === undefined) return [];
  const out: AudienceSpec[] = [];
  for (const e of readKeyedMap(r, loc, 'audiences: { ops: { description: Operations leads } }')) {
    if (isNothing(e.value.node)) {
      out.push({ key: e.key });
      continue;
    }
    const f = readMap(r, e.value, keysOf(AudienceShape), `${e.key}: { description: … }`);
    if (f === undefined) {
      // Still declared: references to it should not also fail (the map error already fails the plan).
      out.push({ key: e.key });
      continue;
    }
    const d = f.get('description');
    const description = d === undefined ? undefined : readString(r, d, 'a description');
    out.push(description === undefined ? { key: e.key } : { key: e.key, description });
  }
  return out;
}
