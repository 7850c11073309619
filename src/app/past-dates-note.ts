import { DateTime } from 'luxon';
import type { Occurrence } from '../domain/schedule/occurrence.ts';

/**
 * One line for a plan whose messages are mostly already due (an example copied months later, a
 * plan kept from last year): how many, and what `catchUp` will do with them. Undefined when at
 * least half are still to come.
 */
export function pastDatesNote(calendar: readonly Pick<Occurrence, 'dueAt'>[], now: Date, catchUp: 'skip' | 'send', zone: string): string | undefined {
  const past = calendar.filter((o) => o.dueAt.getTime() < now.getTime());
  if (calendar.length === 0 || past.length * 2 <= calendar.length) return undefined;
  const last = new Date(Math.max(...calendar.map((o) => o.dueAt.getTime())));
  const lastText = DateTime.fromJSDate(last, { zone }).toFormat('ccc d LLL yyyy');
  const what =
    catchUp === 'skip' ? 'catchUp: skip stores them as skipped and sends none of them' : 'catchUp: send sends every one of them as soon as a worker runs';
  const tail = past.length === calendar.length ? `all ${calendar.length} messages` : `${past.length} of ${calendar.length} messages`;
  return (
    `note: ${tail} are already due (the last on ${lastText}); ${what}. ` +
    `To plan ahead instead, move the milestones (herald milestone move) or start from herald init.`
  );
}
