import { applyPlan } from '../../src/app/apply-plan.ts';
import { loadPlanFile } from '../../src/app/load-plan.ts';
import { syncApprovals } from '../../src/app/sync-approvals.ts';
import type { Database } from '../../src/db/database.ts';
import { buildEngine } from '../../src/templates/builtin.ts';

export const APPROVALS_PLAN = 'test/fixtures/plans/approvals.plan.yaml';
export const APPROVALS_PROJECT = 'approvals-test';
/** Mon 4 Feb 2030, before the plan's first sends (the ops briefing's from Tue 12 Feb): every approval is pending. */
export const APPROVALS_NOW = new Date('2030-02-04T15:00:00Z');

/**
 * Applies the approvals fixture plan and asks for its approvals, as the worker's approval sweep does:
 * one for the executive summary (any of Maria and Raj) and one per part of the ops briefing (both).
 * `holdDueBy` puts the summary's messages due by then on hold, as the delivery gate does when they
 * come due before a decision (Kai's at 08:00 UTC on Fri 15 Feb, 09:00 in Berlin; Eva's at 15:00 UTC).
 */
export async function seedApprovals(db: Database, opts: { now?: Date; holdDueBy?: Date } = {}): Promise<void> {
  const now = opts.now ?? APPROVALS_NOW;
  const { plan, hash } = await loadPlanFile(APPROVALS_PLAN);
  await applyPlan(db, { plan, hash, now });
  const projectId = (await db.stores.projects.findId(APPROVALS_PROJECT))!;
  const planUpdatedAt = await db.stores.projects.planVersion(projectId);
  await syncApprovals(
    { stores: db.stores, engine: buildEngine({ PUBLIC_URL: 'http://127.0.0.1' }), publicUrl: 'http://127.0.0.1' },
    { projectId, plan, planUpdatedAt, now },
  );
  if (opts.holdDueBy) {
    await db.prisma.message.updateMany({
      where: { projectId, kind: 'comm', comm: { key: 'go-live-summary' }, dueAt: { lte: opts.holdDueBy } },
      data: { status: 'held' },
    });
  }
}
