import { approvalOf } from '../domain/approval/rules.ts';
import type { Plan } from '../domain/plan/model.ts';
import type { DecideApprovalResult } from './decide-approval.ts';
import type { ApprovalView } from './list-approvals.ts';

/** How the CLI and the dashboard put an approval into words (the approver's own pages have theirs). */

/** "approved", "requested changes", "no decision yet". */
export function decisionWords(decision: 'approve' | 'reject' | null): string {
  return decision === 'approve' ? 'approved' : decision === 'reject' ? 'requested changes' : 'no decision yet';
}

/** "Waiting for a decision", "Approved", "Changes requested". */
export function stateWords(state: ApprovalView['state']): string {
  return state === 'pending' ? 'Waiting for a decision' : state === 'approved' ? 'Approved' : 'Changes requested';
}

/** Where a decision was made: "in Slack", "from the command line", … */
export function viaWords(via: string | null): string {
  const words: Record<string, string> = {
    slack: 'in Slack',
    email: 'from the e-mail link',
    dashboard: 'on the dashboard',
    cli: 'from the command line',
    api: 'through the API',
  };
  return via === null ? '' : (words[via] ?? `via ${via}`);
}

/** "any one of Maria Lopez and Raj Patel", "both Maria Lopez and Raj Patel", "all of …". */
export function needsWords(a: Pick<ApprovalView, 'needs' | 'approvers'>): string {
  const names = a.approvers.map((p) => p.name);
  if (names.length === 1) return names[0]!;
  const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  if (a.needs === 'any') return `any one of ${list}`;
  return names.length === 2 ? `both ${list}` : `all of ${list}`;
}

const messages = (n: number): string => `${n} held message${n === 1 ? '' : 's'}`;

/**
 * What a decision did, in one sentence: "Approved Go-live executive summary for Maria Lopez: 3 held
 * messages go out now." `who` is " for Maria Lopez" (on an approver's behalf) or " as ci" (as oneself);
 * `after` is the approval as it is now (for the approvers still to decide).
 */
export function decisionOutcome(
  r: Pick<DecideApprovalResult, 'state' | 'changed' | 'released' | 'skipped'>,
  decision: 'approve' | 'reject',
  title: string,
  who: string,
  after?: Pick<ApprovalView, 'approvers' | 'needs'>,
): string {
  if (!r.changed) {
    return r.state === 'pending'
      ? `${title} is no longer waiting for a sign-off in the plan; nothing changed.`
      : `${title} was already ${r.state === 'approved' ? 'approved' : 'sent back for changes'}; nothing changed.`;
  }
  if (decision === 'reject') {
    return `Requested changes to ${title}${who}: its messages are held until its content changes; the project manager is told the reason.`;
  }
  if (r.state === 'pending') {
    const waiting = (after?.approvers ?? []).filter((p) => p.decision === null).map((p) => p.name);
    return `Approved ${title}${who}; still waiting for ${waiting.length ? waiting.join(' and ') : 'the other approvers'} (every approver must approve).`;
  }
  const sent = r.released > 0 ? `${messages(r.released)} ${r.released === 1 ? 'goes' : 'go'} out now` : 'its messages go out as planned';
  const late = r.skipped > 0 ? `; ${messages(r.skipped)} skipped: approved too late (approval.catchUp)` : '';
  return `Approved ${title}${who}: ${sent}${late}.`;
}

/** Why a project lists no approvals at all: none of its comms needs one, or the worker has not asked yet. */
export function whyNoApprovals(plan: Plan): string {
  return plan.comms.some((c) => approvalOf(plan, c))
    ? 'no occurrence of its comms that need a sign-off has messages still to send; herald apply asks their approvers as soon as one has (a plan applied through the API is picked up by the worker within 15 s)'
    : 'none of its comms needs a sign-off (give one approval: { by: [maria] }, or the project approval: { kinds: [...], by: [...] })';
}
