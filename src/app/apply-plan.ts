import type { PlanIssue } from '../domain/errors.ts';
import type { Plan } from '../domain/plan/model.ts';
import { diffCalendar, queuedChanges } from '../domain/replan/diff.ts';
import { buildCalendar } from '../domain/schedule/calendar.ts';
import type { Occurrence } from '../domain/schedule/occurrence.ts';
import { milestoneInstant } from '../domain/schedule/milestones.ts';
import { fireTrigger } from './fire-trigger.ts';
import { withStoredReminders } from './reminder-calendar.ts';
import type { PlanSource, Progress, StoreDeps, Stores } from './ports.ts';
import { silentProgress } from './ports.ts';
import { summarise, type ReplanSummary } from './replan-summary.ts';

export interface ApplyResult {
  project: string;
  dryRun: boolean;
  calendar: ReplanSummary;
  milestonesMoved: Array<{ key: string; from: Date; to: Date }>;
  /** Messages created by milestone-moved triggers. */
  triggered: number;
  /** Moved or cancelled messages that already had a queue job: the queue drops those jobs. */
  queuedChanged: string[];
  /** The plan version this apply stored, or the latest one when the sources were unchanged (none for a dry run). */
  version: number | null;
}

class DryRunRollback extends Error {}

/**
 * Stores a validated plan and rebuilds its calendar in one transaction: applying the same
 * plan twice changes nothing; a dry run computes the same result and rolls it back.
 */
export async function applyPlan(
  { stores }: StoreDeps,
  input: {
    plan: Plan;
    hash: string;
    /** The plan's validation warnings, stored with it (the dashboard's Plan page shows them). */
    warnings?: readonly PlanIssue[];
    now: Date;
    dryRun?: boolean;
    progress?: Progress;
    /** Called with the calendar the plan asks for, before anything is stored (capacity checks). */
    onCalendar?: (calendar: readonly Occurrence[]) => void;
    /** New rows from which the bulk COPY path is taken (default BULK_LOAD_MIN_ROWS); tests lower it. */
    bulkLoadMinRows?: number;
    /** Who applies it (an API token's name, user@host for the CLI), for the plan version and the audit log; default "herald". */
    actor?: string;
    /**
     * The texts as applied, stored as the plan version. A plan built in code (tests, benches) has
     * none: its version stores the plan model as JSON (valid YAML), which may not validate again.
     */
    source?: PlanSource;
    /** Re-applying stored version N (`herald apply --rollback-to N`). */
    rollbackOf?: number;
  },
): Promise<ApplyResult> {
  const { plan, now } = input;
  const progress = input.progress ?? silentProgress;
  const instants = new Map(plan.milestones.map((m) => [m.key, milestoneInstant(plan, m.key).toJSDate()]));
  progress.step('building calendar', 0, 1);
  const desired = buildCalendar(plan, { now });
  progress.step('building calendar', 1, 1);
  input.onCalendar?.(desired);
  const triggerComms = new Set(plan.comms.filter((c) => c.trigger).map((c) => c.key));

  let result: ApplyResult | undefined;
  try {
    await stores.transaction(
      async (tx) => {
        progress.step('storing plan', 0, 3);
        const saved = await tx.projects.savePlan(plan, input.hash, instants, now, input.warnings);
        progress.step('loading messages', 1, 3);
        // Triggered messages are fired by events, not by the calendar: a re-plan leaves them alone.
        const existing = (await tx.calendar.existing(saved.projectId)).filter((m) => !triggerComms.has(commOfKey(m.key)));
        const wanted = await withStoredReminders(tx, { plan, projectId: saved.projectId, desired, existing, now });
        const diff = diffCalendar(wanted, existing, { now, catchUp: plan.project.catchUp });
        progress.step('writing messages', 2, 3);
        const ids = { projectId: saved.projectId, person: saved.personIds, comm: saved.commIds };
        await tx.calendar.writeDiff(saved.projectId, diff, ids, { bulkLoadMinRows: input.bulkLoadMinRows });
        let triggered = 0;
        for (const mv of saved.moved) {
          const fired = await fireTrigger(tx, plan, ids, { type: 'milestone-moved', milestone: mv.key }, now);
          triggered += fired?.added ?? 0;
        }
        progress.step('writing messages', 3, 3);
        const calendar = summarise(diff, plan);
        const version = input.dryRun ? null : await recordVersion(tx, saved.projectId, input, { calendar, milestonesMoved: saved.moved, triggered });
        result = {
          project: plan.project.key,
          dryRun: input.dryRun ?? false,
          calendar,
          milestonesMoved: saved.moved,
          triggered,
          queuedChanged: queuedChanges(diff),
          version,
        };
        if (input.dryRun) throw new DryRunRollback();
      },
      { bulk: true },
    );
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
  }
  return result!;
}

/**
 * Stores the plan version (unless the sources are those of the latest version: applying the same
 * plan twice adds no version) and the audit entries of the apply and of the milestones it moved.
 */
async function recordVersion(
  tx: Stores,
  projectId: string,
  input: { plan: Plan; hash: string; now: Date; actor?: string; source?: PlanSource; rollbackOf?: number },
  summary: { calendar: ReplanSummary; milestonesMoved: ApplyResult['milestonesMoved']; triggered: number },
): Promise<number> {
  const actor = input.actor ?? 'herald';
  const latest = await tx.planVersions.latest(projectId);
  const unchanged = latest !== null && latest.hash === input.hash;
  const number = unchanged
    ? latest.number
    : await tx.planVersions.append(projectId, {
        hash: input.hash,
        ...(input.source ?? { file: 'plan.json', yaml: JSON.stringify(input.plan, null, 2), files: [] }),
        appliedBy: actor,
        appliedAt: input.now,
        summary: JSON.parse(JSON.stringify(summary)) as Record<string, unknown>,
        rollbackOf: input.rollbackOf ?? null,
      });
  const projectKey = input.plan.project.key;
  const rolledBack = input.rollbackOf !== undefined;
  const c = summary.calendar;
  await tx.audit.append({
    at: input.now,
    actor,
    action: rolledBack ? 'plan.rolled-back' : 'plan.applied',
    projectKey,
    ref: `version ${number}`,
    detail: {
      version: number,
      unchanged,
      ...(rolledBack ? { rollbackTo: input.rollbackOf } : {}),
      added: c.added,
      moved: c.moved,
      cancelled: c.cancelled,
      triggered: summary.triggered,
    },
  });
  for (const m of summary.milestonesMoved) {
    await tx.audit.append({
      at: input.now,
      actor,
      action: 'milestone.moved',
      projectKey,
      ref: m.key,
      detail: { from: m.from.toISOString(), to: m.to.toISOString(), source: 'plan', version: number },
    });
  }
  return number;
}

/** A message key is `comm#occurrence:person:channel`. */
export function commOfKey(key: string): string {
  return key.slice(0, key.indexOf('#'));
}
