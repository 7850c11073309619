import type { Plan } from '../domain/plan/model.ts';
import { pushOutOfQuietHours, quietWindowOf } from '../domain/schedule/quiet-hours.ts';
import type { DeliveryStore, MessageForDelivery } from './ports.ts';
import type { RenderedMessage } from '../templates/rendered.ts';

/** How long a reminder waits for its survey, still on its way, to go out first. */
const SURVEY_FIRST_MS = 5_000;

export type ReminderVerdict = { send: true } | { send: false; skip: string } | { send: false; waitUntil: Date };

/**
 * The last word on a reminder, at the moment it is sent: answering cancels reminders at once,
 * but an answer may land between the claim and the send, a pause (out-of-office reply) may be
 * set after the reminder was planned, and a survey that never went out needs no reminder.
 */
export async function reminderVerdict(store: Pick<DeliveryStore, 'reminderFacts'>, plan: Plan, msg: MessageForDelivery, now: Date): Promise<ReminderVerdict> {
  const row = await store.reminderFacts({ commId: msg.commId, occurrence: msg.occurrence, personId: msg.person.id });
  if (row?.answered) return { send: false, skip: 'answered' };
  // Catching up on a past calendar makes a survey and its reminder due together: the reminder follows.
  if (!row?.surveySent && row?.surveyPending) return { send: false, waitUntil: new Date(now.getTime() + SURVEY_FIRST_MS) };
  if (!row?.surveySent) return { send: false, skip: 'survey_not_sent' };
  const paused = msg.person.remindersPausedUntil;
  if (paused && paused.getTime() > now.getTime()) {
    return { send: false, waitUntil: new Date(pushOutOfQuietHours(msg.person.timezone, paused.getTime(), quietWindowOf(plan.project))) };
  }
  return { send: true };
}

const PREFIX = 'Reminder: ';

/** The survey message again, with the same buttons and links, marked as a reminder. */
export function asReminder(r: RenderedMessage): RenderedMessage {
  const subject = `${PREFIX}${r.subject}`;
  if (r.channel === 'email') return { ...r, subject };
  const text = `${PREFIX}${r.text}`;
  if (!r.blocks) return { ...r, subject, text };
  const blocks = r.blocks.map((b) => {
    const block = b as { type?: string; text?: { type: string; text: string } };
    return block.type === 'header' && block.text ? { ...block, text: { ...block.text, text: `${PREFIX}${block.text.text}`.slice(0, 150) } } : b;
  });
  return { ...r, subject, text, blocks };
}
