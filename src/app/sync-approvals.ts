import { approvalOf } from '../domain/approval/rules.ts';
import type { Plan } from '../domain/plan/model.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import { approvalContent } from './approval-content.ts';
import { askApprovers, moveRequests } from './approval-notices.ts';
import type { ApprovalRow, Clock, StoreDeps, Stores } from './ports.ts';
import type { PlanCache } from './plan-cache.ts';

export interface ApprovalSyncDeps extends StoreDeps {
  engine: TemplateEngine;
  publicUrl: string;
}

export interface ApprovalSyncResult {
  /** Occurrences asked for the first time. */
  requested: number;
  /** Approvals withdrawn because the content changed (asked again). */
  withdrawn: number;
  /** Approvals kept although the first send moved (only the date changed). */
  kept: number;
}

/**
 * Brings a project's approvals in line with its plan: an occurrence that needs a sign-off and has
 * unsent messages gets an approval (asking its approvers); one whose content changed is withdrawn
 * and asked again (a new round); one whose date alone moved keeps its state, and its requests move
 * with it. Occurrences checked against this version of the plan are skipped, so a worker can call
 * this often. `only` limits it to one occurrence (the delivery gate).
 */
export async function syncApprovals(
  deps: ApprovalSyncDeps,
  input: { projectId: string; plan: Plan; planUpdatedAt: Date; now: Date; only?: { commKey: string; occurrence: number } },
): Promise<ApprovalSyncResult> {
  const result: ApprovalSyncResult = { requested: 0, withdrawn: 0, kept: 0 };
  const { plan, now } = input;
  const comms = new Map(plan.comms.flatMap((c) => ((input.only === undefined || c.key === input.only.commKey) && approvalOf(plan, c) ? [[c.key, c]] : [])));
  if (comms.size === 0) return result;
  await deps.stores.transaction(async (tx) => {
    for (const p of await tx.approvals.pending(input.projectId, [...comms.keys()])) {
      if (input.only !== undefined && p.occurrence !== input.only.occurrence) continue;
      const isCurrent = (a: ApprovalRow) => a.checkedPlanAt.getTime() >= input.planUpdatedAt.getTime() && a.firstSendAt.getTime() === p.firstSendAt.getTime();
      if (p.approval !== null && isCurrent(p.approval)) continue;
      // Locked and read again: of two workers syncing one occurrence, the second sees the first's work.
      const a = p.approval === null ? null : await tx.approvals.lock(p.approval.id);
      if (a !== null && isCurrent(a)) continue;
      const comm = comms.get(p.commKey)!;
      const spec = approvalOf(plan, comm)!;
      const occ = { index: p.occurrence, seriesItem: p.seriesItem ?? undefined, dueAt: p.firstSendAt };
      const content = approvalContent(deps.engine, plan, comm, occ, now, deps.publicUrl);
      const ref = `${comm.key}#${p.occurrence}`;
      const base = { plan, projectId: input.projectId, commId: p.commId, occurrence: p.occurrence, spec, firstSendAt: p.firstSendAt, now };
      if (a === null) {
        const created = await tx.approvals.create({
          projectId: input.projectId,
          commId: p.commId,
          occurrence: p.occurrence,
          round: 1,
          contentHash: content.hash,
          preview: content.variants,
          state: 'pending',
          firstSendAt: p.firstSendAt,
          requestedAt: now,
          checkedPlanAt: input.planUpdatedAt,
        });
        if (created === null) continue;
        await askApprovers(tx, { ...base, approvalId: created.id, round: 1 });
        await audit(tx, plan, now, 'approval.requested', ref, { round: 1, approvers: spec.by, needs: spec.needs });
        result.requested++;
      } else if (a.contentHash !== content.hash) {
        const round = a.round + 1;
        await tx.approvals.update(a.id, {
          round,
          contentHash: content.hash,
          preview: content.variants,
          state: 'pending',
          firstSendAt: p.firstSendAt,
          requestedAt: now,
          decidedAt: null,
          note: null,
          heldNoticeAt: null,
          checkedPlanAt: input.planUpdatedAt,
        });
        await tx.approvals.cancelRequests(input.projectId, p.commId, p.occurrence);
        await askApprovers(tx, { ...base, approvalId: a.id, round });
        await audit(tx, plan, now, 'approval.withdrawn', ref, { round, was: a.state, reason: 'the content changed' });
        result.withdrawn++;
      } else {
        const moved = a.firstSendAt.getTime() !== p.firstSendAt.getTime();
        await tx.approvals.update(a.id, { firstSendAt: p.firstSendAt, checkedPlanAt: input.planUpdatedAt, preview: content.variants });
        if (moved) {
          if (a.state === 'pending') await moveRequests(tx, { ...base, approvalId: a.id, round: a.round });
          await audit(tx, plan, now, 'approval.kept', ref, { state: a.state, from: a.firstSendAt.toISOString(), to: p.firstSendAt.toISOString() });
          result.kept++;
        }
      }
    }
  });
  return result;
}

async function audit(
  tx: Pick<Stores, 'audit'>,
  plan: Plan,
  at: Date,
  action: 'approval.requested' | 'approval.withdrawn' | 'approval.kept',
  ref: string,
  detail: Record<string, unknown>,
) {
  await tx.audit.append({ at, actor: 'herald', action, projectKey: plan.project.key, ref, detail });
}

/** Every project's approvals against its current plan (the worker's approval sweep); returns the totals. */
export async function syncAllApprovals(deps: ApprovalSyncDeps & { plans: PlanCache; clock: Clock }): Promise<ApprovalSyncResult> {
  const total: ApprovalSyncResult = { requested: 0, withdrawn: 0, kept: 0 };
  for (const key of await deps.stores.projects.keys()) {
    const projectId = await deps.stores.projects.findId(key);
    if (projectId === null) continue;
    const planUpdatedAt = await deps.stores.projects.planVersion(projectId);
    const plan = await deps.plans.get(projectId, planUpdatedAt);
    if (!plan.comms.some((c) => approvalOf(plan, c))) continue;
    const r = await syncApprovals(deps, { projectId, plan, planUpdatedAt, now: deps.clock.now() });
    total.requested += r.requested;
    total.withdrawn += r.withdrawn;
    total.kept += r.kept;
  }
  return total;
}

/** One project's approvals against its stored plan, by key (the CLI after apply and milestone moves, so it can say what happened). */
export async function syncProjectApprovals(deps: ApprovalSyncDeps, input: { project: string; now: Date }): Promise<ApprovalSyncResult> {
  const stored = await deps.stores.projects.load(input.project);
  const planUpdatedAt = await deps.stores.projects.planVersion(stored.projectId);
  return syncApprovals(deps, { projectId: stored.projectId, plan: stored.plan, planUpdatedAt, now: input.now });
}

/** "approvals: 1 asked, 1 withdrawn (the content changed; asked again), 2 kept (only the date moved)"; undefined when nothing happened. */
export function approvalsLine(r: ApprovalSyncResult): string | undefined {
  const parts = [
    r.requested ? `${r.requested} asked` : '',
    r.withdrawn ? `${r.withdrawn} withdrawn (the content changed; approvers asked again)` : '',
    r.kept ? `${r.kept} kept (only the date moved)` : '',
  ].filter(Boolean);
  return parts.length ? `approvals: ${parts.join(', ')}` : undefined;
}
