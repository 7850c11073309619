/**
 * Plan history: the versions apply stored (`herald history`), the difference between two
 * (`herald diff`: the YAML and what it does to the calendar) and the re-apply of an earlier one
 * (`herald apply PROJECT --rollback-to N`, through applyPlan: nothing sent is sent again).
 */
import { createTwoFilesPatch } from 'diff';
import { calendarEffect } from '../domain/audit/calendar-effect.ts';
import { NotFoundError } from '../domain/errors.ts';
import { messageKeyWords, planWords } from '../domain/plan/comm-title.ts';
import { buildCalendar } from '../domain/schedule/calendar.ts';
import type { Occurrence } from '../domain/schedule/occurrence.ts';
import { applyPlan, type ApplyResult } from './apply-plan.ts';
import { loadPlanSource, type LoadedPlan } from './load-plan.ts';
import type { PlanVersionRow, StoreDeps } from './ports.ts';

export type PlanVersionInfo = Omit<PlanVersionRow, 'file' | 'yaml' | 'files'>;

/** A project's versions, newest first. */
export async function planHistory({ stores }: StoreDeps, q: { project: string }): Promise<PlanVersionInfo[]> {
  const projectId = await stores.projects.idOf(q.project);
  return stores.planVersions.list(projectId);
}

async function versionOf({ stores }: StoreDeps, projectId: string, project: string, n: number): Promise<PlanVersionRow> {
  const v = await stores.planVersions.get(projectId, n);
  if (!v)
    throw new NotFoundError(
      `version ${n} of project ${project}`,
      `list the versions with: herald history ${project} (API: GET /api/v1/projects/${project}/versions; dashboard: its History page)`,
    );
  return v;
}

/** One stored version with its texts (the plan file's YAML and the people CSVs it read). */
export async function planVersion(deps: StoreDeps, q: { project: string; number: number }): Promise<PlanVersionRow> {
  const projectId = await deps.stores.projects.idOf(q.project);
  return versionOf(deps, projectId, q.project, q.number);
}

/** The counts a version's stored summary holds (0 for a count an older summary lacks). */
export interface VersionCounts {
  added: number;
  moved: number;
  cancelled: number;
  unchanged: number;
  milestonesMoved: number;
  triggered: number;
}

export function versionCounts(summary: Record<string, unknown>): VersionCounts {
  const c = (summary.calendar ?? {}) as Partial<Record<'added' | 'moved' | 'cancelled' | 'unchanged', unknown>>;
  const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    added: n(c.added),
    moved: n(c.moved),
    cancelled: n(c.cancelled),
    unchanged: n(c.unchanged),
    milestonesMoved: Array.isArray(summary.milestonesMoved) ? summary.milestonesMoved.length : 0,
    triggered: n(summary.triggered),
  };
}

/** A stored version parsed again from its own texts; a PlanInvalidError names the stored file and line. */
function parsedVersion(v: PlanVersionRow): Omit<LoadedPlan, 'files'> {
  return loadPlanSource(v);
}

export interface VersionDiff {
  from: PlanVersionInfo;
  to: PlanVersionInfo;
  /** A unified diff of the plan file (and of each people CSV that changed). */
  patch: string;
  /**
   * What applying `to` instead of `from` does to the messages due after `now`. `label` is the message
   * in words ("Cutover notice → Bea Meyer (e-mail)"), by the version that has it (`from` for a cancelled one).
   */
  calendar: {
    added: Array<{ key: string; label: string; dueAt: Date }>;
    moved: Array<{ key: string; label: string; from: Date; to: Date }>;
    cancelled: Array<{ key: string; label: string; dueAt: Date }>;
    unchanged: number;
  };
}

/** A unified diff of the plan file, then of each people CSV that changed. */
function patchOf(a: PlanVersionRow, b: PlanVersionRow): string {
  let patch = createTwoFilesPatch(`${a.file} (version ${a.number})`, `${b.file} (version ${b.number})`, a.yaml, b.yaml, undefined, undefined, { context: 3 });
  const names = [...new Set([...a.files, ...b.files].map((f) => f.name))];
  for (const name of names) {
    const x = a.files.find((f) => f.name === name)?.text ?? '';
    const y = b.files.find((f) => f.name === name)?.text ?? '';
    if (x !== y) patch += createTwoFilesPatch(`${name} (version ${a.number})`, `${name} (version ${b.number})`, x, y, undefined, undefined, { context: 3 });
  }
  return patch;
}

const upcoming = (calendar: readonly Occurrence[], now: Date): Occurrence[] => calendar.filter((o) => o.dueAt.getTime() >= now.getTime());

/** The YAML diff of two versions and their calendar effect, both calendars built at the same `now`. */
export async function diffPlanVersions(deps: StoreDeps, q: { project: string; from: number; to: number; now: Date }): Promise<VersionDiff> {
  const projectId = await deps.stores.projects.idOf(q.project);
  const a = await versionOf(deps, projectId, q.project, q.from);
  const b = await versionOf(deps, projectId, q.project, q.to);
  const patch = patchOf(a, b);
  const planA = parsedVersion(a).plan;
  const planB = parsedVersion(b).plan;
  const before = upcoming(buildCalendar(planA, { now: q.now }), q.now);
  const after = upcoming(buildCalendar(planB, { now: q.now }), q.now);
  const effect = calendarEffect(before, after);
  const [wordsA, wordsB] = [planWords(planA), planWords(planB)];
  const info = ({ file: _f, yaml: _y, files: _s, ...rest }: PlanVersionRow): PlanVersionInfo => rest;
  return {
    from: info(a),
    to: info(b),
    patch,
    calendar: {
      added: effect.added.map((o) => ({ key: o.key, label: messageKeyWords(wordsB, o.key), dueAt: o.dueAt })),
      moved: effect.moved.map((m) => ({ key: m.occurrence.key, label: messageKeyWords(wordsB, m.occurrence.key), from: m.from, to: m.occurrence.dueAt })),
      cancelled: effect.cancelled.map((o) => ({ key: o.key, label: messageKeyWords(wordsA, o.key), dueAt: o.dueAt })),
      unchanged: effect.unchanged,
    },
  };
}

/**
 * Re-applies stored version `to` as a new version (the same apply: sent messages stay sent, moved and
 * cancelled ones follow the plan). `check` re-checks the templates as a fresh apply would.
 */
export async function rollbackPlan(
  deps: StoreDeps,
  q: { project: string; to: number; now: Date; actor: string; dryRun?: boolean; check?: Parameters<typeof loadPlanSource>[1] },
): Promise<ApplyResult & { loaded: Omit<LoadedPlan, 'files'> }> {
  const projectId = await deps.stores.projects.idOf(q.project);
  const v = await versionOf(deps, projectId, q.project, q.to);
  const loaded = q.check ? loadPlanSource(v, q.check) : parsedVersion(v);
  const r = await applyPlan(deps, {
    plan: loaded.plan,
    hash: loaded.hash,
    warnings: loaded.warnings,
    now: q.now,
    dryRun: q.dryRun ?? false,
    actor: q.actor,
    source: loaded.source,
    rollbackOf: v.number,
  });
  return { ...r, loaded };
}
