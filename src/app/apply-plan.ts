import type { PlanIssue } from '../domain/errors.ts';
import type { Plan } from '../domain/plan/model.ts';
import { diffCalendar, queuedChanges } from '../domain/replan/diff.ts';
import { buildCalendar } from '../domain/schedule/calendar.ts';
import type { Occurrence } from '../domain/schedule/occurrence.ts';
import { milestoneInstant } from '../domain/schedule/milestones.ts';
import { fireTrigger } from './fire-trigger.ts';
import { withStoredReminders } from './reminder-calendar.ts';
import type { Progress, StoreDeps } from './ports.ts';
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
        const saved = await tx.projects.savePlan(plan, input.hash, instants, input.warnings);
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
        result = {
          project: plan.project.key,
          dryRun: input.dryRun ?? false,
          calendar: summarise(diff),
          milestonesMoved: saved.moved,
          triggered,
          queuedChanged: queuedChanges(diff),
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

/** A message key is `comm#occurrence:person:channel`. */
export function commOfKey(key: string): string {
  return key.slice(0, key.indexOf('#'));
}
