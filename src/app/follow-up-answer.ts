import { addBusinessTime } from '../domain/escalation/business-time.ts';
import { DEFAULT_ESCALATION, escalationTargets, onAnswer, urgencyOf } from '../domain/escalation/rules.ts';
import type { Plan, SurveyOption } from '../domain/plan/model.ts';
import { parseWallTime } from '../domain/schedule/zone-time.ts';
import { queueEscalationNotice, type NoticeRecipient } from './escalation-notices.ts';
import { PlanCache } from './plan-cache.ts';
import type { Stores } from './ports.ts';

export interface AnswerFacts {
  kind: 'created' | 'changed' | 'unchanged';
  response: { id: string; option: string | null; comment: string | null };
  option: SurveyOption | null;
  context: {
    projectId: string;
    projectUpdatedAt?: Date;
    comm: { id: string; key: string };
    message: { occurrence: number };
    person: { id: string; key: string };
  };
}

export interface FollowUps {
  remindersCancelled: number;
  /** What happened to the escalation of this (comm, occurrence, person). */
  escalation: { id: string; action: 'open' | 'update' | 'raise'; urgency: 'urgent' | 'normal'; noticeId?: string } | undefined;
}

async function planOf(tx: Stores, context: AnswerFacts['context'], plans: PlanCache): Promise<Plan> {
  const updatedAt = context.projectUpdatedAt ?? (await tx.projects.planVersion(context.projectId));
  return plans.get(context.projectId, updatedAt, tx.projects);
}

/**
 * What an answer sets off, inside record-response's transaction so the answer and its follow-ups
 * commit together: the person's pending reminders for that survey are cancelled, and an answer on
 * an escalating option opens (or updates, or raises to urgent) the escalation and queues its notice.
 * `plans` is the process's plan cache (built in src/main/server.ts); without it the plan is read again.
 */
export async function followUpAnswer(tx: Stores, a: AnswerFacts, now: Date, plans: PlanCache = new PlanCache()): Promise<FollowUps> {
  if (a.kind === 'unchanged') return { remindersCancelled: 0, escalation: undefined };
  const where = { commId: a.context.comm.id, occurrence: a.context.message.occurrence, personId: a.context.person.id };
  const cancelled = { count: await tx.responses.cancelReminders(where) };
  const urgency = urgencyOf(a.option ?? undefined);
  // An answer that does not escalate changes no escalation (onAnswer: 'none'), so the open one need not be read.
  if (urgency === undefined) return { remindersCancelled: cancelled.count, escalation: undefined };
  const open = await tx.escalations.openFor(where);
  const action = onAnswer(open ? { urgency: open.urgency as 'urgent' | 'normal' } : undefined, urgency);
  if (action === 'none' || urgency === undefined) return { remindersCancelled: cancelled.count, escalation: undefined };
  const answer = { option: a.response.option ?? '', comment: a.response.comment };

  const plan = await planOf(tx, a.context, plans);
  const base = { plan, projectId: a.context.projectId, commId: where.commId, occurrence: where.occurrence, now };

  if (open) {
    if (action === 'update') {
      await tx.escalations.update(open.id, answer);
      return { remindersCancelled: cancelled.count, escalation: { id: open.id, action, urgency: open.urgency as 'urgent' | 'normal' } };
    }
    // Raised to urgent: whoever holds it now is told at once.
    await tx.escalations.update(open.id, { ...answer, urgency: 'urgent' });
    const holder = open.level > 1 && open.secondId ? open.secondId : open.ownerId;
    const to = await tx.escalations.recipient(holder);
    const notice = await queueEscalationNotice(tx, {
      ...base,
      to,
      urgency: 'urgent',
      level: open.level,
      escalationIds: [open.id],
      role: open.level > 1 ? 'second' : 'owner',
    });
    return { remindersCancelled: cancelled.count, escalation: { id: open.id, action, urgency: 'urgent', noticeId: notice.messageId } };
  }

  const comm = plan.comms.find((c) => c.key === a.context.comm.key);
  const targets = comm && escalationTargets(plan, comm, a.context.person.key);
  if (!targets) return { remindersCancelled: cancelled.count, escalation: undefined };
  const people = await tx.escalations.recipientsByKey(a.context.projectId, [targets.owner, ...(targets.second ? [targets.second] : [])]);
  const owner = people.find((p) => p.key === targets.owner);
  if (!owner) return { remindersCancelled: cancelled.count, escalation: undefined };
  const second: NoticeRecipient | undefined = people.find((p) => p.key === targets.second);
  const created = await tx.escalations.create({
    projectId: a.context.projectId,
    ...where,
    responseId: a.response.id,
    ...answer,
    urgency,
    ownerId: owner.id,
    secondId: second?.id ?? null,
    openedAt: now,
  });
  const notice = await queueEscalationNotice(tx, { ...base, to: owner, urgency, level: 1, escalationIds: [created.id], role: 'owner' });
  if (second) {
    // The clock starts when the owner is told, counted in the owner's own working hours.
    const spec = plan.project.escalation ?? DEFAULT_ESCALATION;
    const hours = { start: parseWallTime(spec.businessHours.start), end: parseWallTime(spec.businessHours.end) };
    const escalateAt = addBusinessTime(plans.calendar(plan), hours, owner.timezone, notice.dueAt.getTime(), spec.after);
    await tx.escalations.update(created.id, { escalateAt: new Date(escalateAt) });
  }
  return { remindersCancelled: cancelled.count, escalation: { id: created.id, action, urgency, noticeId: notice.messageId } };
}
