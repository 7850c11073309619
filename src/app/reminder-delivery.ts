import type { Plan } from '../domain/plan/model.ts';
import { pushOutOfQuietHours, quietWindowOf } from '../domain/schedule/quiet-hours.ts';
import type { MessageForDelivery } from '../db/repo/delivery-store.ts';
import type { SqlClient } from '../db/repo/sql-client.ts';
import type { RenderedMessage } from '../templates/rendered.ts';

export type ReminderVerdict = { send: true } | { send: false; skip: string } | { send: false; waitUntil: Date };

/**
 * The last word on a reminder, at the moment it is sent: answering cancels reminders at once,
 * but an answer may land between the claim and the send, a pause (out-of-office reply) may be
 * set after the reminder was planned, and a survey that never went out needs no reminder.
 */
export async function reminderVerdict(db: SqlClient, plan: Plan, msg: MessageForDelivery, now: Date): Promise<ReminderVerdict> {
  const [row] = await db.$queryRawUnsafe<Array<{ answered: boolean; surveySent: boolean }>>(
    `SELECT EXISTS (SELECT 1 FROM "Response" WHERE "commId"=$1::uuid AND "occurrence"=$2 AND "personId"=$3::uuid) AS "answered",
            EXISTS (SELECT 1 FROM "Message" WHERE "commId"=$1::uuid AND "occurrence"=$2 AND "personId"=$3::uuid
                      AND "kind"='comm' AND "status"='sent') AS "surveySent"`,
    msg.commId,
    msg.occurrence,
    msg.person.id,
  );
  if (row?.answered) return { send: false, skip: 'answered' };
  if (!row?.surveySent) return { send: false, skip: 'survey_not_sent' };
  const paused = msg.person.remindersPausedUntil;
  if (paused && paused.getTime() > now.getTime()) {
    return { send: false, waitUntil: new Date(pushOutOfQuietHours(msg.person.timezone, paused.getTime(), quietWindowOf(plan.project))) };
  }
  return { send: true };
}

/** A claimed message goes back to the calendar at a later time, as if never claimed. */
export async function postpone(db: SqlClient, messageId: string, dueAt: Date): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE "Message" SET "status"='planned', "dueAt"=$2::timestamptz, "attempts"=GREATEST(0, "attempts"-1), "updatedAt"=now()
     WHERE "id"=$1::uuid AND "status"='sending'`,
    messageId,
    dueAt.toISOString(),
  );
}

const PREFIX = 'Reminder: ';

/** The survey message again, with the same buttons and links, marked as a reminder. */
export function asReminder(r: RenderedMessage): RenderedMessage {
  const subject = `${PREFIX}${r.subject}`;
  if (r.channel === 'email') return { ...r, subject };
  const blocks = r.blocks?.map((b) => {
    const block = b as { type?: string; text?: { type: string; text: string } };
    return block.type === 'header' && block.text ? { ...block, text: { ...block.text, text: `${PREFIX}${block.text.text}`.slice(0, 150) } } : b;
  });
  return { ...r, subject, text: `${PREFIX}${r.text}`, ...(blocks ? { blocks } : {}) };
}
