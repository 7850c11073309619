import { approvalOf, type ApprovalState } from '../domain/approval/rules.ts';
import { HeraldError } from '../domain/errors.ts';
import { commOccurrenceTitle } from '../domain/plan/comm-title.ts';
import type { ApprovalVoteRow, StoreDeps } from './ports.ts';
import { labelVariant, type LabelledVariant } from './render-approval.ts';

/** An approval as one of its approvers sees it from a link or a Slack button: names and labels, never keys. */
export interface ApprovalLinkView {
  approvalId: string;
  projectKey: string;
  /** The project's name, the comm's title and occurrence ("Go-live summary 1 of 3"). */
  project: string;
  title: string;
  state: ApprovalState;
  /** The current round; a link of an earlier one is stale (the content changed since). */
  round: number;
  /** False when the plan no longer asks for this sign-off (the comm was removed or opted out). */
  needed: boolean;
  needs: 'any' | 'all';
  firstSendAt: Date;
  decidedAt: Date | null;
  /** The approver the link or button is for. */
  reader: { key: string; name: string; timezone: string; locale: string; slackId: string | null };
  variants: LabelledVariant[];
  /** Decisions of the current round, oldest first, by name. */
  decisions: Array<{ name: string; decision: 'approve' | 'reject'; note: string | null; at: Date; you: boolean }>;
  /** Approvers who have not decided in this round. */
  waitingFor: string[];
  /** How many people and messages wait on it. */
  recipients: number;
  held: number;
}

function invalid(why: string): HeraldError {
  return new HeraldError('TOKEN_INVALID', `the link or token is not valid (${why})`, { hint: 'use the link exactly as it came in the message' });
}

/**
 * What an approval link's page (`/a/<token>`) and the Slack buttons show: the approval the token
 * names, for the person it names (its database id), checked to be one of the comm's approvers.
 */
export async function approvalForLink({ stores }: StoreDeps, input: { approvalId: string; personId: string }): Promise<ApprovalLinkView> {
  const a = await stores.approvals.get(input.approvalId);
  if (!a) throw invalid('this approval no longer exists');
  const key = (await stores.escalations.personKeys([input.personId])).get(input.personId);
  const [person] = key === undefined ? [] : await stores.escalations.recipientsByKey(a.projectId, [key]);
  if (key === undefined || !person || person.id !== input.personId) throw invalid('no such approver in this project');
  const plan = a.plan;
  const comm = plan.comms.find((c) => c.key === a.commKey);
  const spec = comm ? approvalOf(plan, comm) : undefined;
  if (spec && !spec.by.includes(key)) {
    throw new HeraldError('APPROVAL_FORBIDDEN', `you are no longer one of the approvers of ${commOccurrenceTitle(plan, a.commKey, a.occurrence)}`, {
      hint: 'the plan changed who approves; ask the project manager',
    });
  }
  const inPlan = plan.people.find((p) => p.id === key);
  const nameOf = (id: string) => plan.people.find((p) => p.id === id)?.name ?? id;
  const votes: ApprovalVoteRow[] = await stores.approvals.votes(a.id, a.round);
  const latest = new Map(votes.map((v) => [v.approver, v]));
  const [recipients, held] = await Promise.all([
    stores.approvals.recipients(a.projectId, a.commId, a.occurrence),
    stores.approvals.held(a.projectId, a.commId, a.occurrence),
  ]);
  return {
    approvalId: a.id,
    projectKey: a.projectKey,
    project: plan.project.name,
    title: commOccurrenceTitle(plan, a.commKey, a.occurrence),
    state: a.state,
    round: a.round,
    needed: spec !== undefined,
    needs: spec?.needs ?? 'any',
    firstSendAt: a.firstSendAt,
    decidedAt: a.decidedAt,
    reader: {
      key,
      name: inPlan?.name ?? key,
      timezone: inPlan?.timezone ?? person.timezone,
      locale: inPlan?.locale ?? 'en',
      slackId: person.slackId,
    },
    variants: a.preview.map((v) => labelVariant(plan, v)),
    decisions: [...latest.values()].map((v) => ({ name: nameOf(v.approver), decision: v.decision, note: v.note, at: v.at, you: v.approver === key })),
    waitingFor: (spec?.by ?? []).filter((id) => !latest.has(id)).map(nameOf),
    recipients,
    held: held.length,
  };
}
