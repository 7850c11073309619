import type { Plan } from '../domain/plan/model.ts';
import { diffCalendar } from '../domain/replan/diff.ts';
import { triggeredOccurrences } from '../domain/schedule/calendar.ts';
import { writeDiff } from '../db/repo/message-store.ts';
import type { SqlClient } from '../db/repo/sql-client.ts';
import { withStoredReminders } from './reminder-calendar.ts';
import { summarise, type ReplanSummary } from './replan-summary.ts';

export type TriggerEvent = { type: 'milestone-moved' | 'milestone-done'; milestone: string } | { type: 'manual'; comm: string };

/** The comms a trigger event fires. */
export function commsFiredBy(plan: Plan, event: TriggerEvent): string[] {
  return plan.comms
    .filter((c) => {
      const t = c.trigger;
      if (!t) return false;
      if (event.type === 'manual') return t.type === 'manual' && c.key === event.comm;
      return t.type === event.type && t.milestone === event.milestone;
    })
    .map((c) => c.key);
}

/**
 * Materialises one firing of each triggered comm at `at` (quiet hours still apply per person).
 * Each firing gets the next occurrence index, so earlier firings stay as they were.
 */
export async function fireTrigger(
  db: SqlClient,
  plan: Plan,
  ids: { projectId: string; person: ReadonlyMap<string, string>; comm: ReadonlyMap<string, string> },
  event: TriggerEvent,
  at: Date,
): Promise<ReplanSummary | undefined> {
  const comms = commsFiredBy(plan, event);
  let total: ReplanSummary | undefined;
  for (const key of comms) {
    const commId = ids.comm.get(key)!;
    const [row] = await db.$queryRawUnsafe<Array<{ next: number }>>(
      `SELECT COALESCE(MAX("occurrence") + 1, 0)::int AS "next" FROM "Message" WHERE "commId"=$1::uuid`,
      commId,
    );
    const fired = triggeredOccurrences(plan, key, at, Number(row?.next ?? 0));
    const occurrences = await withStoredReminders(db, { plan, projectId: ids.projectId, desired: fired, existing: [], now: at });
    // A firing is due now by definition, so catch-up never skips it.
    const diff = diffCalendar(occurrences, [], { now: at, catchUp: 'send' });
    await writeDiff(db, ids.projectId, diff, ids);
    const s = summarise(diff);
    total = total ? { ...s, added: total.added + s.added } : s;
  }
  return total;
}
