import { isMap, isScalar, isSeq } from 'yaml';
import type { IssueSink } from './issues.ts';
import { hint } from './suggest.ts';
import type { Loc, MapEntry, YamlSource } from './yaml-locate.ts';

/** What the validators need to read YAML values and report problems. */
export interface Reader {
  src: YamlSource;
  sink: IssueSink;
}

/** The keys of one YAML map, checked against the keys allowed there. */
export class Fields {
  constructor(
    readonly loc: Loc,
    private readonly byKey: Map<string, MapEntry>,
    private readonly r: Reader,
  ) {}

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): Loc | undefined {
    return this.byKey.get(key)?.value;
  }

  keyLine(key: string): number {
    return this.byKey.get(key)?.keyLine ?? this.loc.line;
  }

  /** The value of a required key; reports it missing (with what to write) otherwise. */
  need(key: string, example: string): Loc | undefined {
    const v = this.get(key);
    if (v === undefined) this.r.sink.error(this.loc, `missing required key "${key}" (for example ${key}: ${example})`);
    return v;
  }
}

export function describe(node: unknown): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'nothing' : `${typeof node.value === 'string' ? 'text' : typeof node.value} ${JSON.stringify(node.value)}`;
  return 'an unexpected value';
}

/** Reads a map, reporting unknown keys (with a suggestion) and duplicate keys. */
export function readMap(r: Reader, loc: Loc, allowed: readonly string[], example = 'key: value'): Fields | undefined {
  const entries = r.src.entries(loc);
  if (entries === undefined) {
    r.sink.error(loc, `expected a map (${example}), found ${describe(loc.node)}`);
    return undefined;
  }
  const byKey = new Map<string, MapEntry>();
  for (const e of entries) {
    const at = { file: loc.file, line: e.keyLine, path: e.value.path };
    const first = byKey.get(e.key);
    if (first !== undefined) {
      r.sink.error(at, `duplicate key "${e.key}" (first at line ${first.keyLine}); keep one`);
      continue;
    }
    if (!allowed.includes(e.key)) {
      r.sink.error(at, `unknown key "${e.key}"${hint(e.key, allowed, 'allowed', Infinity)}`);
      continue;
    }
    byKey.set(e.key, e);
  }
  return new Fields(loc, byKey, r);
}

/** Entries of a keyed map (milestones, workstreams…): any key, duplicates reported. */
export function readKeyedMap(r: Reader, loc: Loc, example: string): MapEntry[] {
  const entries = r.src.entries(loc);
  if (entries === undefined) {
    if (!isNothing(loc.node)) r.sink.error(loc, `expected a map (${example}), found ${describe(loc.node)}`);
    return [];
  }
  const seen = new Map<string, number>();
  const out: MapEntry[] = [];
  for (const e of entries) {
    const first = seen.get(e.key);
    const at = { file: loc.file, line: e.keyLine, path: e.value.path };
    if (first !== undefined) {
      r.sink.error(at, `duplicate key "${e.key}" (first at line ${first}); keys must be unique`);
      continue;
    }
    seen.set(e.key, e.keyLine);
    if (checkKeyName(r, at, e.key)) out.push(e);
  }
  return out;
}

export const KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Keys and ids appear in CLI arguments and message keys, so they stay simple. Template names and
 * series item keys follow the same rule because they become file names under the templates folder:
 * no "/", no leading ".", so never "..".
 */
export function checkKeyName(r: Reader, at: { file: string; line: number; path: string }, key: string, what = 'key'): boolean {
  if (KEY_RE.test(key)) return true;
  r.sink.error(at, `"${key}" is not a valid ${what}: use letters, digits, ".", "_" or "-", starting with a letter or digit`);
  return false;
}

export function isNothing(node: unknown): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** Text value; numbers are accepted as their text so `id: 42` works. Empty text is an error. */
export function readString(r: Reader, loc: Loc, what = 'a text value'): string | undefined {
  if (isScalar(loc.node) && (typeof loc.node.value === 'string' || typeof loc.node.value === 'number')) {
    const s = String(loc.node.value).trim();
    if (s !== '') return s;
    r.sink.error(loc, `must not be empty: expected ${what}`);
    return undefined;
  }
  r.sink.error(loc, `expected ${what}, found ${describe(loc.node)}`);
  return undefined;
}

export function readBool(r: Reader, loc: Loc): boolean | undefined {
  if (isScalar(loc.node) && typeof loc.node.value === 'boolean') return loc.node.value;
  r.sink.error(loc, `expected true or false, found ${describe(loc.node)}`);
  return undefined;
}

export function readInt(r: Reader, loc: Loc, min: number): number | undefined {
  if (isScalar(loc.node) && typeof loc.node.value === 'number' && Number.isInteger(loc.node.value) && loc.node.value >= min) return loc.node.value;
  r.sink.error(loc, `expected a whole number ≥ ${min}, found ${describe(loc.node)}`);
  return undefined;
}

/** One of a fixed set of words, with a suggestion for typos. */
export function readEnum<T extends string>(r: Reader, loc: Loc, allowed: readonly T[]): T | undefined {
  const s = readString(r, loc, `one of ${allowed.join(', ')}`);
  if (s === undefined) return undefined;
  if ((allowed as readonly string[]).includes(s)) return s as T;
  r.sink.error(loc, `"${s}" is not allowed${hint(s, allowed, 'use one of')}`);
  return undefined;
}

/** A single text value or a list of them (`audience: ops` or `audience: [ops, desk]`), each with its location. */
export function readStringOrList(r: Reader, loc: Loc, what: string): { value: string; loc: Loc }[] | undefined {
  const items = r.src.items(loc);
  if (items === undefined) {
    const s = readString(r, loc, `${what} or a list of them`);
    return s === undefined ? undefined : [{ value: s, loc }];
  }
  if (items.length === 0) {
    r.sink.error(loc, `the list is empty: give at least one ${what}`);
    return undefined;
  }
  const out: { value: string; loc: Loc }[] = [];
  for (const item of items) {
    const s = readString(r, item, what);
    if (s !== undefined) out.push({ value: s, loc: item });
  }
  return out;
}
