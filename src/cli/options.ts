import { HeraldError, NotFoundError } from '../domain/errors.ts';
import { closest, knownList } from '../domain/plan/suggest.ts';
import { loadProject } from '../db/repo/project-store.ts';
import type { SqlClient } from '../db/repo/sql-client.ts';

/** `--format xml` and the like fail with the choices instead of silently falling back to a default. */
export function checkChoice(flag: string, value: string, choices: readonly string[]): string {
  if (!choices.includes(value)) {
    const list = choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}` : (choices[0] ?? '');
    throw new HeraldError('BAD_OPTION', `${flag} ${value} is not known`, { hint: `use ${flag} ${list}` });
  }
  return value;
}

/** A whole-number option (`--limit`, `--occurrence`); `Number('abc') || 0` would hide the typo. */
export function checkCount(flag: string, value: string, min: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n >= min)) throw new HeraldError('BAD_OPTION', `${flag} ${value} is not a whole number from ${min}`, { hint: `e.g. ${flag} ${Math.max(min, 1)}` });
  return n;
}

/**
 * A `--person` or `--comm` filter that matched nothing may be a typo: say so instead of printing
 * an empty list. Call it only on an empty result, so a normal listing pays nothing.
 */
export async function checkFilterKeys(db: SqlClient, project: string, f: { person?: string | undefined; comm?: string | undefined }): Promise<void> {
  const stored = await loadProject(db, project);
  const unknown = (noun: string, key: string, keys: Iterable<string>): NotFoundError => {
    const known = [...keys];
    const near = closest(key, known);
    return new NotFoundError(`${noun} "${key}" in project ${project}`, `${near ? `did you mean "${near}"? ` : ''}known: ${knownList(known)}`);
  };
  if (f.person !== undefined && !stored.personIds.has(f.person)) throw unknown('person', f.person, stored.personIds.keys());
  if (f.comm !== undefined && !stored.commIds.has(f.comm)) throw unknown('comm', f.comm, stored.commIds.keys());
}
