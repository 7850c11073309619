/**
 * The dashboard calendar's cells: per day (in the viewer's zone) the number of messages and the
 * first few of them, counted and cut in the database. A 10,000-person project has tens of
 * thousands of messages in a cutover week; loading them all through queryCalendar (explanations
 * included) took a median 6.3 s of server time per page (bench:dashboard), against 300 ms.
 */
import type { GridDay, GridQuery, StoreDeps } from './ports.ts';

/** Days (YYYY-MM-DD in `zone`) that have messages, each with its count and first `perDay` entries by due time. */
export function calendarGrid({ stores }: StoreDeps, q: GridQuery): Promise<Map<string, GridDay>> {
  return stores.calendarReads.grid(q);
}
