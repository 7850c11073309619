/**
 * A project whose go-live summary needs approval (test/fixtures/plans/approval-links.plan.yaml) applied,
 * and its approvals created as the worker's sweep creates them, without a worker: for tests of the
 * approver's pages and messages.
 */
import { applyPlan } from '../../src/app/apply-plan.ts';
import { approvalOption } from '../../src/app/approval-outbound.ts';
import { loadPlanFile } from '../../src/app/load-plan.ts';
import { syncApprovals } from '../../src/app/sync-approvals.ts';
import type { Database } from '../../src/db/database.ts';
import { signToken } from '../../src/domain/tokens.ts';
import { buildEngine } from '../../src/templates/builtin.ts';
import { TEST_SECRET } from './delivery.ts';

export const APPROVAL_PLAN = 'test/fixtures/plans/approval-links.plan.yaml';
export const APPROVAL_PROJECT = 'approval-test';

export interface SeededApprovals {
  projectId: string;
  /** A signed /a/ path for an approver (plan id) and occurrence, for the current round. */
  link(approver: string, occurrence: number, decision?: 'approve' | 'reject'): Promise<string>;
}

export async function seedApprovals(db: Database, now = new Date()): Promise<SeededApprovals> {
  const loaded = await loadPlanFile(APPROVAL_PLAN);
  await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now });
  const projectId = (await db.stores.projects.findId(APPROVAL_PROJECT))!;
  const planUpdatedAt = await db.stores.projects.planVersion(projectId);
  const publicUrl = 'http://herald.test';
  await syncApprovals({ stores: db.stores, engine: buildEngine({ PUBLIC_URL: publicUrl }), publicUrl }, { projectId, plan: loaded.plan, planUpdatedAt, now });
  return {
    projectId,
    async link(approver, occurrence, decision = 'approve') {
      const a = await db.prisma.approval.findFirstOrThrow({ where: { projectId, occurrence } });
      const person = await db.prisma.person.findFirstOrThrow({ where: { projectId, key: approver } });
      const exp = Math.floor(now.getTime() / 1000) + 3600;
      return `/a/${signToken(TEST_SECRET, { k: 'approval', m: a.id, p: person.id, o: approvalOption(decision, a.round), exp })}`;
    },
  };
}
