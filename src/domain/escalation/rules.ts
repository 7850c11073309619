import type { CommSpec, EscalationSpec, Plan, SurveyOption } from '../plan/model.ts';

/** How fast an escalation travels: `urgent` at once (even in quiet hours), `normal` batched hourly. */
export type Urgency = 'urgent' | 'normal';
export type EscalationState = 'open' | 'acknowledged' | 'resolved';
export type EscalationAction = 'acknowledge' | 'resolve';

/** Whether an answer on `option` opens an escalation, and how urgent it is. */
export function urgencyOf(option: Pick<SurveyOption, 'escalate'> | undefined): Urgency | undefined {
  if (option?.escalate === 'urgent') return 'urgent';
  if (option?.escalate === true) return 'normal';
  return undefined;
}

/**
 * Who gets an escalation from this comm: `survey.escalateTo`, or the comm's workstream owner, then
 * (level 2) the workstream's escalation person. A comm without a workstream (a workstream-status
 * survey answered by the owners themselves) goes to the escalation person of the workstream the
 * answering person owns.
 */
export function escalationTargets(plan: Plan, comm: CommSpec, answeredBy: string): { owner: string; second?: string } | undefined {
  const ws = comm.workstream === undefined ? plan.workstreams.find((w) => w.owner === answeredBy) : plan.workstreams.find((w) => w.key === comm.workstream);
  const to = comm.survey?.escalateTo;
  let owner = to !== undefined && to !== 'workstream-owner' ? to : ws?.owner;
  let second = ws?.escalation;
  if (owner === answeredBy) {
    owner = second;
    second = undefined;
  }
  if (owner === undefined) return undefined;
  return second === undefined || second === owner ? { owner } : { owner, second };
}

/**
 * What an answer does to the open escalation of the same (comm, occurrence, person):
 * - a new escalating answer with none open opens one;
 * - a changed escalating answer updates the open one (and raises it to urgent if it became so;
 *   never lowers it: the owner was already told it was urgent);
 * - an answer that no longer escalates closes nothing: the owner decides.
 */
export function onAnswer(open: { urgency: Urgency } | undefined, urgency: Urgency | undefined): 'open' | 'update' | 'raise' | 'none' {
  if (urgency === undefined) return 'none';
  if (!open) return 'open';
  return open.urgency === 'normal' && urgency === 'urgent' ? 'raise' : 'update';
}

/** Acknowledge then resolve; resolving skips acknowledging; nothing goes back; repeats change nothing. */
export function transition(state: EscalationState, action: EscalationAction): 'acknowledged' | 'resolved' | undefined {
  if (action === 'acknowledge') return state === 'open' ? 'acknowledged' : undefined;
  return state === 'resolved' ? undefined : 'resolved';
}

const HOUR = 3_600_000;

/**
 * The batch an escalation joins: `normal` ones wait for the next full hour (UTC), so an owner
 * gets at most one such message an hour; quiet hours then move the batch to the window's end,
 * where everything raised overnight arrives as one message. `urgent` goes at once.
 */
export function batchDueAt(urgency: Urgency, now: number, pushQuiet: (at: number) => number): number {
  if (urgency === 'urgent') return now;
  return pushQuiet(Math.floor(now / HOUR) * HOUR + HOUR);
}

/** `project.escalation` when the plan gives none: four of the owner's working hours, 09:00–17:00. */
export const DEFAULT_ESCALATION: EscalationSpec = {
  after: { unit: 'business hours', amount: 4, raw: '4 business hours' },
  businessHours: { start: '09:00', end: '17:00' },
};
