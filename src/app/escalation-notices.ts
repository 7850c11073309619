import { HeraldError } from '../domain/errors.ts';
import { batchDueAt, type Urgency } from '../domain/escalation/rules.ts';
import type { Plan } from '../domain/plan/model.ts';
import { pushOutOfQuietHours, quietWindowOf } from '../domain/schedule/quiet-hours.ts';
import type { NoticeRecipient, Stores } from './ports.ts';

export type { NoticeRecipient } from './ports.ts';

const HOUR = 3_600_000;
/** How many later hours a batch may roll over to when the hour's notice is already being sent. */
const ROLLOVERS = 3;

/** Slack where the person has an id (a DM), else email; a permanent Slack failure falls back to email. */
export function noticeChannel(p: Pick<NoticeRecipient, 'email' | 'slackId'>): 'slack' | 'email' {
  return p.slackId || !p.email ? 'slack' : 'email';
}

/**
 * Puts escalations on a notice message to `to`, through the ordinary delivery pipeline (so a
 * notice is retried, logged and failed like any message). `urgent`: a message of its own, due
 * now, even in quiet hours. `normal`: the recipient's batch for the next full hour (after quiet
 * hours), one row per (recipient, hour) by its key, so however many workers and answers race,
 * the hour has exactly one message. The row is locked while escalations join it; once a worker
 * has claimed it for sending, later ones roll over to the next hour's batch.
 * Returns the notice's message id and due instant.
 */
export async function queueEscalationNotice(
  tx: Pick<Stores, 'escalations'>,
  input: {
    plan: Plan;
    projectId: string;
    commId: string;
    occurrence: number;
    to: NoticeRecipient;
    urgency: Urgency;
    level: number;
    escalationIds: readonly string[];
    role: 'owner' | 'second';
    now: Date;
  },
): Promise<{ messageId: string; dueAt: Date }> {
  const { to } = input;
  const channel = noticeChannel(to);
  const quiet = quietWindowOf(input.plan.project);
  const push = (at: number): number => pushOutOfQuietHours(to.timezone, at, quiet);
  let due = batchDueAt(input.urgency, input.now.getTime(), push);
  for (let attempt = 0; ; attempt++) {
    const key =
      input.urgency === 'urgent'
        ? `escalation:${input.escalationIds[0]}:l${input.level}:${to.key}:${channel}`
        : `escalations:${to.key}:${new Date(due).toISOString()}:${channel}`;
    await tx.escalations.addNotice({
      projectId: input.projectId,
      commId: input.commId,
      personId: to.id,
      key,
      occurrence: input.occurrence,
      channel,
      dueAt: new Date(due),
      kind: 'escalation',
    });
    // Locked until commit: a worker claiming this row waits, then renders with these escalations.
    const row = await tx.escalations.lockNotice(input.projectId, key);
    if (!row) throw new HeraldError('INTERNAL', `escalation notice ${key} vanished`, { retryable: true });
    const pending = row.status === 'planned' || row.status === 'queued';
    if (pending || attempt >= ROLLOVERS) {
      await tx.escalations.linkNotice(input.escalationIds, row.id, input.role);
      return { messageId: row.id, dueAt: new Date(due) };
    }
    due = input.urgency === 'urgent' ? input.now.getTime() + attempt + 1 : push(due + HOUR);
  }
}

/**
 * "Raj's team is on it": tells the person who answered that the owner acted, on the channel they
 * answered on, outside their quiet hours. One message per escalation and state, by its key.
 */
export async function queueEscalationUpdate(
  tx: Pick<Stores, 'escalations'>,
  input: {
    plan: Plan;
    projectId: string;
    escalation: { id: string; commId: string; occurrence: number };
    to: NoticeRecipient;
    answeredOn: string;
    state: 'acknowledged' | 'resolved';
    now: Date;
  },
): Promise<string> {
  const { to } = input;
  const channel = input.answeredOn === 'slack' && (to.slackId || !to.email) ? 'slack' : to.email ? 'email' : 'slack';
  const due = new Date(pushOutOfQuietHours(to.timezone, input.now.getTime(), quietWindowOf(input.plan.project)));
  const key = `escalation:${input.escalation.id}:${input.state}:${to.key}:${channel}`;
  await tx.escalations.addNotice({
    projectId: input.projectId,
    commId: input.escalation.commId,
    personId: to.id,
    key,
    occurrence: input.escalation.occurrence,
    channel,
    dueAt: due,
    kind: 'escalation-update',
  });
  const id = await tx.escalations.noticeId(input.projectId, key);
  await tx.escalations.linkNotice([input.escalation.id], id, 'answerer');
  return id;
}
