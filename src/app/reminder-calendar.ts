import type { Plan } from '../domain/plan/model.ts';
import type { ExistingMessage } from '../domain/replan/diff.ts';
import type { Occurrence } from '../domain/schedule/occurrence.ts';
import { answerKey, withReminders } from '../domain/survey/reminders.ts';
import type { Stores } from './ports.ts';

/**
 * The one place survey reminders join the calendar (apply, milestone moves and trigger firings
 * all come through here). What the plan cannot know comes from the database: who has answered
 * (no reminder for them), whose reminders are paused (out of office), and when surveys already
 * sent actually went out (reminders count from that, not from a moved plan time). Survey
 * messages that will never go out (skipped by catch-up, cancelled, failed) get no reminders.
 */
export async function withStoredReminders(
  stores: Pick<Stores, 'calendar'>,
  input: { plan: Plan; projectId: string; desired: readonly Occurrence[]; existing: readonly ExistingMessage[]; now: Date },
): Promise<Occurrence[]> {
  const { plan, desired, existing, now } = input;
  const reminding = plan.comms.filter((c) => c.survey?.remind).map((c) => c.key);
  if (reminding.length === 0) return [...desired];
  const [answered, paused] = await Promise.all([stores.calendar.answered(input.projectId, reminding), stores.calendar.remindersPaused(input.projectId, now)]);
  const byKey = new Map(existing.map((m) => [m.key, m]));
  const sentDueAt = new Map<string, Date>();
  const skip = new Set<string>();
  for (const o of desired) {
    const m = byKey.get(o.key);
    if (m && (m.status === 'sent' || m.status === 'sending')) sentDueAt.set(o.key, m.dueAt);
    else if (m && (m.status === 'failed' || m.status === 'skipped')) skip.add(o.key);
    else if (o.dueAt.getTime() < now.getTime() && plan.project.catchUp === 'skip') skip.add(o.key);
  }
  return withReminders(plan, desired, {
    answered: new Set(answered.map((a) => answerKey(a.comm, a.occurrence, a.person))),
    pausedUntil: new Map(paused.map((p) => [p.key, p.until])),
    sentDueAt,
    skip,
  });
}
