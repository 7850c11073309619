import { DateTime } from 'luxon';
import { HeraldError, NotFoundError } from '../domain/errors.ts';
import type { Plan } from '../domain/plan/model.ts';
import { diffCalendar, queuedChanges } from '../domain/replan/diff.ts';
import { buildCalendar, commMilestones } from '../domain/schedule/calendar.ts';
import { milestoneInstant } from '../domain/schedule/milestones.ts';
import { milestoneOrderWarnings } from '../domain/schedule/milestone-order.ts';
import type { StoreDeps } from './ports.ts';
import { fireTrigger } from './fire-trigger.ts';
import { withStoredReminders } from './reminder-calendar.ts';
import { commOfKey } from './apply-plan.ts';
import { summarise, type ReplanSummary } from './replan-summary.ts';

export interface MoveResult {
  project: string;
  milestone: string;
  from: Date;
  to: Date;
  calendar: ReplanSummary;
  triggered: number;
  queuedChanged: string[];
  /** Milestones whose order with this one the move changes, in words (milestone-order.ts). */
  warnings: string[];
  /** The project zone, in which the CLI and dashboard show `from` and `to`. */
  timezone: string;
}

/**
 * Moves one milestone and re-plans only the comms anchored to it. The stored plan is
 * updated too; the YAML file in git is the PM's to change (a later `apply` of the old
 * file moves the milestone back, and says so).
 */
export async function moveMilestone(
  { stores }: StoreDeps,
  input: { project: string; milestone: string; when: string; now: Date; source?: string; dryRun?: boolean; actor?: string },
): Promise<MoveResult> {
  let result: MoveResult | undefined;
  await stores
    .transaction(
      async (tx) => {
        const stored = await tx.projects.load(input.project);
        const { plan } = stored;
        const current = plan.milestones.find((m) => m.key === input.milestone);
        if (!current) {
          throw new NotFoundError(
            `milestone "${input.milestone}" in project ${input.project}`,
            `known milestones: ${plan.milestones.map((m) => m.key).join(', ')}`,
          );
        }
        const at = parseWhen(input.when, current.at, plan.project.timezone);
        const moved: Plan = { ...plan, milestones: plan.milestones.map((m) => (m.key === current.key ? { ...m, at } : m)) };
        const from = milestoneInstant(plan, current.key).toJSDate();
        const to = milestoneInstant(moved, current.key).toJSDate();

        // A blackout bounded by this milestone moves with it, and can move any scheduled comm.
        const movesBlackout = (plan.project.blackouts ?? []).some((b) => [b.from, b.to].some((x) => 'milestone' in x && x.milestone === current.key));
        const affected = moved.comms.filter((c) => c.schedule && (movesBlackout || commMilestones(c).includes(current.key))).map((c) => c.key);
        const desired = buildCalendar(moved, { now: input.now, comms: affected });
        const affectedSet = new Set(affected);
        const existing = (
          await tx.calendar.existing(
            stored.projectId,
            affected.map((k) => stored.commIds.get(k)!),
          )
        ).filter((m) => affectedSet.has(commOfKey(m.key)));
        const wanted = await withStoredReminders(tx, { plan: moved, projectId: stored.projectId, desired, existing, now: input.now });
        const diff = diffCalendar(wanted, existing, { now: input.now, catchUp: plan.project.catchUp });
        const ids = { projectId: stored.projectId, person: stored.personIds, comm: stored.commIds };
        await tx.calendar.writeDiff(stored.projectId, diff, ids);
        let triggered = 0;
        if (from.getTime() !== to.getTime()) {
          await tx.milestones.setAt(stored.projectId, current.key, to, at);
          await tx.milestones.recordMove(stored.projectId, current.key, from, to, input.source ?? 'cli', input.now);
          await tx.projects.savePlanJson(stored.projectId, moved);
          triggered = (await fireTrigger(tx, moved, ids, { type: 'milestone-moved', milestone: current.key }, input.now))?.added ?? 0;
          await tx.audit.append({
            at: input.now,
            actor: input.actor ?? 'herald',
            action: 'milestone.moved',
            projectKey: input.project,
            ref: current.key,
            detail: { from: from.toISOString(), to: to.toISOString(), source: input.source ?? 'cli', moved: diff.move.length, triggered },
          });
        }
        result = {
          project: input.project,
          milestone: current.key,
          from,
          to,
          calendar: summarise(diff, plan),
          triggered,
          queuedChanged: queuedChanges(diff),
          warnings: milestoneOrderWarnings(plan, moved, current.key),
          timezone: plan.project.timezone,
        };
        if (input.dryRun) throw new RollbackSignal();
      },
      { bulk: true },
    )
    .catch((e: unknown) => {
      if (!(e instanceof RollbackSignal)) throw e;
    });
  return result!;
}

class RollbackSignal extends Error {}

/**
 * `WHEN` is a local date or date-time in the project zone. A bare date keeps the
 * milestone's time of day, so "move cutover to 2027-01-22" keeps its 18:00 start.
 */
export function parseWhen(when: string, previousAt: string, zone: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(when);
  const value = dateOnly && previousAt.includes('T') ? `${when}${previousAt.slice(previousAt.indexOf('T'))}` : when;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(value) || !DateTime.fromISO(value, { zone }).isValid) {
    throw new HeraldError('BAD_WHEN', `"${when}" is not a date or date-time`, {
      hint: 'write YYYY-MM-DD (keeps the time of day) or YYYY-MM-DDTHH:mm, in the project time zone',
    });
  }
  return value;
}

export async function markMilestoneDone(
  { stores }: StoreDeps,
  input: { project: string; milestone: string; now: Date; actor?: string },
): Promise<{ alreadyDone: boolean; triggered: number }> {
  return stores.transaction(
    async (tx) => {
      const stored = await tx.projects.load(input.project);
      const ms = await tx.milestones.byKey(stored.projectId);
      const m = ms.get(input.milestone);
      if (!m) {
        throw new NotFoundError(`milestone "${input.milestone}" in project ${input.project}`, `known milestones: ${[...ms.keys()].join(', ')}`);
      }
      if (m.doneAt) return { alreadyDone: true, triggered: 0 };
      await tx.milestones.markDone(m.id, input.now);
      const ids = { projectId: stored.projectId, person: stored.personIds, comm: stored.commIds };
      const fired = await fireTrigger(tx, stored.plan, ids, { type: 'milestone-done', milestone: input.milestone }, input.now);
      await tx.audit.append({
        at: input.now,
        actor: input.actor ?? 'herald',
        action: 'milestone.done',
        projectKey: input.project,
        ref: input.milestone,
        detail: { triggered: fired?.added ?? 0 },
      });
      return { alreadyDone: false, triggered: fired?.added ?? 0 };
    },
    { bulk: true },
  );
}
