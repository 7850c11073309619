import type { Clock } from '../src/app/ports.ts';
import type { PlanCache } from '../src/app/plan-cache.ts';
import { syncAllApprovals, type ApprovalSyncDeps } from '../src/app/sync-approvals.ts';
import { PERIODIC } from './catalogue.ts';
import { Periodic } from './periodic.ts';

/**
 * Thin: every `intervalMs` (default 15 s), brings approvals in line with each project's plan: asks
 * approvers of new occurrences, withdraws approvals whose content changed and moves requests whose
 * date moved. Occurrences already checked against the current plan cost one query per project.
 */
export class ApprovalSweeper extends Periodic {
  constructor(o: { deps: ApprovalSyncDeps & { plans: PlanCache; clock: Clock }; intervalMs?: number; onError?: (e: unknown) => void }) {
    super(
      () => syncAllApprovals(o.deps),
      () => o.intervalMs ?? PERIODIC.syncApprovals.intervalMs,
      o.onError,
    );
  }
}
