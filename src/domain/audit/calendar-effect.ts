import type { Occurrence } from '../schedule/occurrence.ts';

/** What applying one plan instead of another does to the calendar, message by message. */
export interface CalendarEffect {
  added: Occurrence[];
  moved: Array<{ occurrence: Occurrence; from: Date }>;
  cancelled: Occurrence[];
  unchanged: number;
}

/**
 * Compares two calendars built from two plan versions at the same `now` (buildCalendar): a key only
 * in `after` is added, only in `before` cancelled, in both at another time moved. Keys are stable
 * across re-plans (comm#occurrence:person:channel), as apply's own diff relies on.
 */
export function calendarEffect(before: readonly Occurrence[], after: readonly Occurrence[]): CalendarEffect {
  const old = new Map(before.map((o) => [o.key, o]));
  const effect: CalendarEffect = { added: [], moved: [], cancelled: [], unchanged: 0 };
  for (const o of after) {
    const was = old.get(o.key);
    if (!was) effect.added.push(o);
    else if (was.dueAt.getTime() !== o.dueAt.getTime()) effect.moved.push({ occurrence: o, from: was.dueAt });
    else effect.unchanged++;
    old.delete(o.key);
  }
  effect.cancelled = [...old.values()];
  return effect;
}
