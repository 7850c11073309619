import type { ApprovalSpec, CommSpec, Offset, Plan } from '../plan/model.ts';
import { ProjectCalendar } from '../schedule/business-calendar.ts';
import { pushOutOfQuietHours, quietWindowOf } from '../schedule/quiet-hours.ts';
import { reminderDueAt } from '../survey/reminders.ts';

/**
 * Approval before send: which comms wait for a sign-off, what state an occurrence's approval is in
 * given the approvers' votes, when approvers are asked and reminded, and what a late approval does
 * to a held message. Pure: the use cases in src/app/*approval* store and send.
 */

export type ApprovalState = 'pending' | 'approved' | 'rejected';
export type Vote = { approver: string; decision: 'approve' | 'reject' };

/**
 * The approval a comm needs, or undefined. A comm's own `approval` wins (false: never); otherwise
 * project.approval applies to its kinds, except urgent comms and "the date moved" notices when
 * project.approval.skip lists them. Digests never wait (their content is computed when sent).
 */
export function approvalOf(plan: Plan, comm: CommSpec): ApprovalSpec | undefined {
  if (comm.kind === 'digest' || comm.approval === false) return undefined;
  if (comm.approval) return comm.approval;
  const p = plan.project.approval;
  if (!p?.kinds.includes(comm.kind)) return undefined;
  if (comm.urgent && p.skip.includes('urgent')) return undefined;
  if (comm.trigger?.type === 'milestone-moved' && p.skip.includes('milestone-moved')) return undefined;
  return { by: p.by, needs: p.needs, before: p.before, catchUp: p.catchUp, remind: p.remind };
}

/** any: the first approval decides; all: every approver. One rejection rejects either way. */
export function approvalState(spec: Pick<ApprovalSpec, 'by' | 'needs'>, votes: readonly Vote[]): ApprovalState {
  const latest = new Map<string, Vote['decision']>();
  for (const v of votes) latest.set(v.approver, v.decision);
  if ([...latest.values()].includes('reject')) return 'rejected';
  const approved = spec.by.filter((a) => latest.get(a) === 'approve').length;
  const needed = spec.needs === 'all' ? spec.by.length : 1;
  // An editor approving on an approver's behalf counts as that approver; one not in `by` (a PM) counts as one approval.
  const extra = [...latest.entries()].filter(([a, d]) => d === 'approve' && !spec.by.includes(a)).length;
  return approved + extra >= needed ? 'approved' : 'pending';
}

/**
 * When an approver is asked: `before` ahead of the occurrence's first send, counted like a survey
 * reminder backwards (business days on the project calendar, keeping the local time of day), out of
 * quiet hours; never before `now`.
 */
export function askAt(plan: Plan, zone: string, firstSend: Date, before: Offset, now: Date): Date {
  const at = reminderDueAt(new ProjectCalendar(plan.project), undefined, zone, firstSend.getTime(), before, -1);
  return new Date(pushOutOfQuietHours(zone, Math.max(at, now.getTime()), quietWindowOf(plan.project)));
}

/**
 * A message held for approval, released at `now`: still sent when approval came within
 * `catchUp` of its planned time (always, for `send`), else skipped with the reason.
 */
export function releaseVerdict(plan: Plan, spec: Pick<ApprovalSpec, 'catchUp'>, dueAt: Date, now: Date): { send: true } | { send: false; reason: string } {
  if (spec.catchUp === 'send') return { send: true };
  const limit = reminderDueAt(new ProjectCalendar(plan.project), undefined, plan.project.timezone, dueAt.getTime(), spec.catchUp, 1);
  if (now.getTime() <= limit) return { send: true };
  return { send: false, reason: `approved more than ${spec.catchUp.raw} after its time (approval.catchUp)` };
}

/** Who is told about held and rejected comms: the comm's workstream owner, else project.owner. */
export function projectManagerOf(plan: Pick<Plan, 'workstreams' | 'project'>, comm: Pick<CommSpec, 'workstream'>): string | undefined {
  const ws = comm.workstream === undefined ? undefined : plan.workstreams.find((w) => w.key === comm.workstream);
  return ws?.owner ?? plan.project.owner;
}
