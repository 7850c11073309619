import type { MilestoneSpec, ProjectApprovalSpec } from './model.ts';
import { parseWallTime } from './calendar-values.ts';
import { parseOffset } from './offsets.ts';
import { readString, type Reader } from './read-values.ts';
import type { Offset } from './model.ts';
import { hint } from './suggest.ts';
import type { Loc } from './yaml-locate.ts';

/** What the comms section may refer to, gathered from the sections before it. */
export interface Known {
  zone: string;
  /** Every declared milestone; undefined when its own definition is invalid (already reported). */
  milestones: ReadonlyMap<string, MilestoneSpec | undefined>;
  audiences: ReadonlySet<string>;
  /** People per audience, to warn about comms that reach nobody. */
  audienceSizes: ReadonlyMap<string, number>;
  /** Declared ids and keys, valid or not, so one bad definition does not cascade into "unknown" errors. */
  people: ReadonlySet<string>;
  workstreams: ReadonlySet<string>;
  /** project.approval, whose fields a comm's `approval` inherits. */
  approval?: ProjectApprovalSpec | undefined;
}

export function readMilestoneRef(r: Reader, loc: Loc, known: Known): string | undefined {
  const key = readString(r, loc, 'a milestone key');
  if (key === undefined) return undefined;
  if (known.milestones.has(key)) return key;
  r.sink.error(loc, `unknown milestone "${key}"${hint(key, known.milestones.keys())}`);
  return undefined;
}

export function readTime(r: Reader, loc: Loc): string | undefined {
  const s = readString(r, loc, 'a time HH:mm');
  if (s === undefined) return undefined;
  const t = parseWallTime(s);
  if (!t.ok) r.sink.error(loc, t.error);
  return t.ok ? t.value : undefined;
}

export function readOffset(r: Reader, loc: Loc, signRequired: boolean): Offset | undefined {
  const s = readString(r, loc, signRequired ? 'an offset such as "-3 business days"' : 'a delay such as "2 business days"');
  if (s === undefined) return undefined;
  const o = parseOffset(s, { signRequired });
  if (!o.ok) r.sink.error(loc, o.error);
  return o.ok ? o.value : undefined;
}
