import type { Plan } from '../domain/plan/model.ts';
import { diffCalendar } from '../domain/replan/diff.ts';
import { triggeredOccurrences } from '../domain/schedule/calendar.ts';
import type { CalendarIds, Stores } from './ports.ts';
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
export async function fireTrigger(stores: Stores, plan: Plan, ids: CalendarIds, event: TriggerEvent, at: Date): Promise<ReplanSummary | undefined> {
  const comms = commsFiredBy(plan, event);
  let total: ReplanSummary | undefined;
  for (const key of comms) {
    const commId = ids.comm.get(key)!;
    const fired = triggeredOccurrences(plan, key, at, await stores.calendar.nextOccurrence(commId));
    const occurrences = await withStoredReminders(stores, { plan, projectId: ids.projectId, desired: fired, existing: [], now: at });
    // A firing is due now by definition, so catch-up never skips it.
    const diff = diffCalendar(occurrences, [], { now: at, catchUp: 'send' });
    await stores.calendar.writeDiff(ids.projectId, diff, ids);
    const s = summarise(diff);
    total = total ? { ...s, added: total.added + s.added } : s;
  }
  return total;
}
