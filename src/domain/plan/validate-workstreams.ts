import type { WorkstreamSpec } from './model.ts';
import { readKeyedMap, readMap, readString, type Reader } from './read-values.ts';
import { hint } from './suggest.ts';
import type { Loc } from './yaml-locate.ts';
import { keysOf, WorkstreamShape } from './plan-shape.ts';

/** `workstreams:` key → { name, owner, escalation? }; owner and escalation must be known people. */
export function readWorkstreams(r: Reader, loc: Loc | undefined, people: ReadonlySet<string>): { workstreams: WorkstreamSpec[]; declared: Set<string> } {
  const out: WorkstreamSpec[] = [];
  const declared = new Set<string>();
  if (loc === undefined) return { workstreams: out, declared };
  for (const e of readKeyedMap(r, loc, 'workstreams: { identity: { name: Identity, owner: dana } }')) {
    declared.add(e.key);
    const f = readMap(r, e.value, keysOf(WorkstreamShape), `${e.key}: { name: …, owner: PERSON-ID }`);
    if (f === undefined) continue;
    const nameLoc = f.need('name', 'Identity & MFA');
    const name = nameLoc === undefined ? undefined : readString(r, nameLoc, 'a name');
    const ownerLoc = f.need('owner', 'a person id');
    const owner = ownerLoc === undefined ? undefined : readPersonRef(r, ownerLoc, people);
    const escLoc = f.get('escalation');
    const escalation = escLoc === undefined ? undefined : readPersonRef(r, escLoc, people);
    if (name === undefined || owner === undefined || (escLoc !== undefined && escalation === undefined)) continue;
    out.push(escalation === undefined ? { key: e.key, name, owner } : { key: e.key, name, owner, escalation });
  }
  return { workstreams: out, declared };
}

export function readPersonRef(r: Reader, loc: Loc, people: ReadonlySet<string>): string | undefined {
  const id = readString(r, loc, 'a person id');
  if (id === undefined) return undefined;
  if (people.has(id)) return id;
  r.sink.error(loc, `unknown person "${id}"${hint(id, people.keys())}`);
  return undefined;
}
