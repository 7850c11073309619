import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NotFoundError, type PlanIssue } from '../domain/errors.ts';
import type { Plan } from '../domain/plan/model.ts';
import type { Where } from '../domain/plan/issues.ts';
import { parsePlan, type ParsePlanOptions, type ReadFile } from '../domain/plan/parse-plan.ts';
import { confinedFile } from '../fs/confined-path.ts';
import type { PlanSource } from './ports.ts';

export interface LoadPlanOptions extends ParsePlanOptions {
  /** Directory that relative paths and displayed file names are relative to; defaults to process.cwd(). */
  cwd?: string;
}

export interface LoadedPlan {
  plan: Plan;
  warnings: PlanIssue[];
  /** Where each comm is in the plan file (its `- key:` line), for warnings about a comm as a whole. */
  commAt: Map<string, Where>;
  /** Absolute paths of the plan file and every file it read (people CSVs), in read order. */
  files: string[];
  /** sha256 (hex) over the plan text and the texts of the files it read, to detect changes. */
  hash: string;
  /** The texts as read, stored as the applied plan version (`herald history`, `herald apply --rollback-to`). */
  source: PlanSource;
}

/**
 * Reads a plan and its people CSV from disk and validates it.
 * Issues name files as the user typed them (relative to cwd), e.g. `plans/q1.yaml:42`.
 * @throws NotFoundError when the plan file cannot be read; PlanInvalidError when it is invalid.
 */
export async function loadPlanFile(planPath: string, opts: LoadPlanOptions = {}): Promise<LoadedPlan> {
  const cwd = opts.cwd ?? process.cwd();
  const absolute = path.resolve(cwd, planPath);
  const shown = path.isAbsolute(planPath) ? displayName(cwd, absolute) : path.normalize(planPath);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch {
    throw new NotFoundError(`plan file ${shown}`, 'check the path; it is relative to the current directory');
  }
  const files = [absolute];
  const source: PlanSource = { file: shown, yaml: text, files: [] };
  const hash = createHash('sha256').update(text);
  // A plan reads only files in its own folder or below it (realpath: symlinks cannot lead out).
  const readFile: ReadFile = (relative) => {
    const found = confinedFile(path.dirname(absolute), relative);
    if (!found.ok) return found.missing ? undefined : { problem: found.reason };
    try {
      const t = readFileSync(found.path, 'utf8');
      files.push(path.resolve(path.dirname(absolute), relative));
      // A separator so moving bytes between files changes the hash.
      hash.update('\0').update(t);
      source.files.push({ name: relative, text: t });
      return { file: path.normalize(path.join(path.dirname(shown), relative)), text: t };
    } catch {
      return undefined;
    }
  };
  const { checkTemplate } = opts;
  const { plan, warnings, commAt } = parsePlan({ file: shown, text, readFile }, { checkTemplate });
  return { plan, warnings, commAt, files, hash: hash.digest('hex'), source };
}

/** An absolute path inside cwd is shown relative to it; anything else stays absolute. */
function displayName(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? absolute : rel;
}

/**
 * Validates a plan given as text (the REST API's `POST /plans` body). Issues name the file as
 * `name` (default `plan.yaml`). A plan that points at a people CSV gets the CLI's "cannot read"
 * issue: the API never reads files from the server's disk on a caller's behalf.
 * @throws PlanInvalidError when it is invalid.
 */
export function loadPlanText(text: string, opts: ParsePlanOptions & { name?: string } = {}): Omit<LoadedPlan, 'files'> {
  const { checkTemplate } = opts;
  const file = opts.name ?? 'plan.yaml';
  const { plan, warnings, commAt } = parsePlan({ file, text, readFile: () => undefined }, { checkTemplate });
  return { plan, warnings, commAt, hash: createHash('sha256').update(text).digest('hex'), source: { file, yaml: text, files: [] } };
}

/**
 * Validates a stored plan version again (`herald apply --rollback-to N`): the plan reads its people
 * CSVs from the texts stored with it, never from disk, so the version is re-applied exactly as it was.
 * @throws PlanInvalidError when it no longer validates (a rule added since, a template removed).
 */
export function loadPlanSource(source: PlanSource, opts: ParsePlanOptions = {}): Omit<LoadedPlan, 'files'> {
  const hash = createHash('sha256').update(source.yaml);
  const byName = new Map(source.files.map((f) => [f.name, f.text]));
  const read: PlanSource['files'] = [];
  const readFile: ReadFile = (relative) => {
    const t = byName.get(relative);
    if (t === undefined) return undefined;
    hash.update('\0').update(t);
    read.push({ name: relative, text: t });
    return { file: path.normalize(path.join(path.dirname(source.file), relative)), text: t };
  };
  const { plan, warnings, commAt } = parsePlan({ file: source.file, text: source.yaml, readFile }, { checkTemplate: opts.checkTemplate });
  return { plan, warnings, commAt, hash: hash.digest('hex'), source: { file: source.file, yaml: source.yaml, files: read } };
}
