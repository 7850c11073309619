import type { OutboundMessage } from '../channels/channel.ts';
import { approvalOf } from '../domain/approval/rules.ts';
import { approvalOutbound } from './approval-outbound.ts';
import type { CommSpec, Plan } from '../domain/plan/model.ts';
import { tellProjectManager } from './approval-notices.ts';
import type { Clock, MessageForDelivery } from './ports.ts';
import { syncApprovals, type ApprovalSyncDeps } from './sync-approvals.ts';

/** What delivery asks before sending a message whose comm needs a sign-off. */
export interface ApprovalGate {
  /** `send`: approved (or no approval needed); `held`: the message was held (or is no longer this worker's). */
  check(msg: MessageForDelivery, plan: Plan, comm: CommSpec): Promise<'send' | 'held'>;
  /** An approval request, reminder or notice, rendered now; undefined when there is nothing left to say. */
  outbound(msg: MessageForDelivery, plan: Plan, now: Date): Promise<OutboundMessage | undefined>;
}

/**
 * The delivery gate: a claimed message of an occurrence that is not approved is held, not sent and
 * not dropped, and the project manager is told once per round. The approval row is locked while the
 * message is held, and a decision locks it too, so an approval landing at that moment either sees
 * the held message (and releases it) or is seen here (and the message is sent): never neither.
 * An occurrence not yet checked against the current plan is synced first, so content changed since
 * its approval is never sent on the old approval.
 */
export function approvalGate(deps: ApprovalSyncDeps & { clock: Clock; secret: string }): ApprovalGate {
  return {
    outbound: (msg, plan, now) => approvalOutbound(deps.stores, plan, msg, { publicUrl: deps.publicUrl, secret: deps.secret, now }),
    async check(msg, plan, comm) {
      if (!approvalOf(plan, comm)) return 'send';
      const now = deps.clock.now();
      const only = { commKey: comm.key, occurrence: msg.occurrence };
      let a = await deps.stores.approvals.find(msg.projectId, msg.commId, msg.occurrence);
      if (a === null || a.checkedPlanAt.getTime() < msg.planUpdatedAt.getTime()) {
        await syncApprovals(deps, { projectId: msg.projectId, plan, planUpdatedAt: msg.planUpdatedAt, now, only });
        a = await deps.stores.approvals.find(msg.projectId, msg.commId, msg.occurrence);
      }
      if (a === null) return 'send';
      // An approved occurrence is the common case (every copy of a 400-person notice): one read, no lock.
      if (a.state === 'approved') return 'send';
      const approvalId = a.id;
      return deps.stores.transaction(async (tx) => {
        const locked = await tx.approvals.lock(approvalId);
        if (locked?.state === 'approved') return 'send';
        if (!(await tx.approvals.hold(msg.id))) return 'held';
        if (locked?.state === 'pending' && (await tx.approvals.markHeldNotice(approvalId, now))) {
          const ids = { projectId: msg.projectId, commId: msg.commId, occurrence: msg.occurrence, approvalId, round: locked.round };
          await tellProjectManager(tx, { ...ids, plan, comm, kind: 'approval-held', now });
          await tx.audit.append({
            at: now,
            actor: 'herald',
            action: 'message.held',
            projectKey: msg.projectKey,
            ref: `${comm.key}#${msg.occurrence}`,
            detail: { round: locked.round },
          });
        }
        return 'held';
      });
    },
  };
}
