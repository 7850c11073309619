import { askAt, projectManagerOf } from '../domain/approval/rules.ts';
import type { ApprovalSpec, CommSpec, Plan } from '../domain/plan/model.ts';
import { ProjectCalendar } from '../domain/schedule/business-calendar.ts';
import { pushOutOfQuietHours, quietWindowOf } from '../domain/schedule/quiet-hours.ts';
import { reminderDueAt } from '../domain/survey/reminders.ts';
import { noticeChannel } from './escalation-notices.ts';
import type { NoticeRecipient, Stores } from './ports.ts';

type Tx = Pick<Stores, 'approvals' | 'escalations'>;

/** One round of one occurrence's approval, as the messages about it need it. */
interface RoundRef {
  plan: Plan;
  projectId: string;
  commId: string;
  occurrence: number;
  approvalId: string;
  round: number;
  now: Date;
}

/** `approval:<id>:r<round>:<approver>:<channel>`, its reminders `…:r<round>:remind<n>:…`: one row each, by key. */
export function requestKey(approvalId: string, round: number, approverKey: string, channel: string, reminder?: number): string {
  return `approval:${approvalId}:r${round}:${reminder === undefined ? '' : `remind${reminder}:`}${approverKey}:${channel}`;
}

/** The round an approval message (request, reminder or notice) belongs to: the `r<round>` after its approval id. */
export function roundOfKey(key: string): number {
  return Number(/^approval:[^:]+:r(\d+):/.exec(key)?.[1] ?? 0);
}

/** The approver (plan id) a request or reminder message is for: the part before its channel. */
export function approverOfKey(key: string): string {
  const parts = key.split(':');
  return parts[parts.length - 2] ?? '';
}

/** Each approver's request and reminders for a round: key and due time (see askApprovers). */
async function requestRows(
  tx: Tx,
  input: { plan: Plan; projectId: string; approvalId: string; round: number; spec: ApprovalSpec; firstSendAt: Date; now: Date },
): Promise<Array<{ approver: NoticeRecipient; channel: 'slack' | 'email'; key: string; dueAt: Date }>> {
  const approvers = await tx.escalations.recipientsByKey(input.projectId, input.spec.by);
  const calendar = new ProjectCalendar(input.plan.project);
  const quiet = quietWindowOf(input.plan.project);
  const rows: Array<{ approver: NoticeRecipient; channel: 'slack' | 'email'; key: string; dueAt: Date }> = [];
  for (const a of approvers) {
    const channel = noticeChannel(a);
    const at = askAt(input.plan, a.timezone, input.firstSendAt, input.spec.before, input.now);
    rows.push({ approver: a, channel, key: requestKey(input.approvalId, input.round, a.key, channel), dueAt: at });
    for (let n = 1; n <= input.spec.remind.times; n++) {
      const due = reminderDueAt(calendar, quiet, a.timezone, at.getTime(), input.spec.remind.after, n);
      rows.push({ approver: a, channel, key: requestKey(input.approvalId, input.round, a.key, channel, n), dueAt: new Date(due) });
    }
  }
  return rows;
}

/**
 * Asks each approver of a round: a request over their channel (Slack where they have an id, else
 * e-mail) `before` ahead of the first send, and reminders after it for approvers who stay silent
 * (`approval.remind`, the survey rule: each `after` later, `times` of them; a reminder that finds
 * the approver's vote, or the approval decided, is skipped).
 */
export async function askApprovers(tx: Tx, input: RoundRef & { spec: ApprovalSpec; firstSendAt: Date }): Promise<void> {
  for (const r of await requestRows(tx, input)) {
    await tx.approvals.addMessage({
      projectId: input.projectId,
      commId: input.commId,
      personId: r.approver.id,
      occurrence: input.occurrence,
      channel: r.channel,
      kind: 'approval-request',
      key: r.key,
      dueAt: r.dueAt,
    });
  }
}

/** Moves a round's unsent requests and reminders with the occurrence's first send (the content, and the approval, stay). */
export async function moveRequests(
  tx: Tx,
  input: { plan: Plan; projectId: string; approvalId: string; round: number; spec: ApprovalSpec; firstSendAt: Date; now: Date },
): Promise<void> {
  for (const r of await requestRows(tx, input)) await tx.approvals.moveMessage(input.projectId, r.key, r.dueAt);
}

/**
 * A notice to the project manager about an occurrence (held, or changes requested), outside their
 * quiet hours, one per approval, round and kind by its key. Nothing when the plan names no one.
 */
export async function tellProjectManager(
  tx: Tx,
  input: RoundRef & { comm: CommSpec; kind: 'approval-held' | 'approval-rejected' },
): Promise<string | undefined> {
  const pm = projectManagerOf(input.plan, input.comm);
  if (pm === undefined) return undefined;
  const [to] = await tx.escalations.recipientsByKey(input.projectId, [pm]);
  if (!to) return undefined;
  const channel = noticeChannel(to);
  const what = input.kind === 'approval-held' ? 'held' : 'rejected';
  return tx.approvals.addMessage({
    projectId: input.projectId,
    commId: input.commId,
    personId: to.id,
    occurrence: input.occurrence,
    channel,
    kind: input.kind,
    key: `approval:${input.approvalId}:r${input.round}:${what}:${to.key}:${channel}`,
    dueAt: new Date(pushOutOfQuietHours(to.timezone, input.now.getTime(), quietWindowOf(input.plan.project))),
  });
}
