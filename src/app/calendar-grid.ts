/**
 * The dashboard calendar's cells: per day (in the viewer's zone) the number of messages and the
 * first few of them, counted and cut in the database. A 10,000-person project has tens of
 * thousands of messages in a cutover week; loading them all through queryCalendar (explanations
 * included) took a median 6.3 s of server time per page (bench:dashboard), against 300 ms.
 */
import type { StoreDeps } from './ports.ts';

export interface GridEntry {
  key: string;
  comm: string;
  /** The comm's 0-based occurrence (a digest's ISO week). */
  occurrence: number;
  person: string;
  channel: string;
  /** Due time, ISO-8601 UTC. */
  at: string;
  status: string;
  seriesItem?: string;
  /** Absent for a comm's own message; `reminder`, `escalation`, … otherwise. */
  kind?: string;
}

export interface GridDay {
  total: number;
  entries: GridEntry[];
}

export interface GridQuery {
  projectId: string;
  from: Date;
  to: Date;
  /** The zone whose days the cells are. */
  zone: string;
  /** Entries kept per day (the rest are only counted). */
  perDay: number;
  person?: string | undefined;
  comm?: string | undefined;
  channel?: string | undefined;
  audience?: string | undefined;
}

/** Days (YYYY-MM-DD in `zone`) that have messages, each with its count and first `perDay` entries by due time. */
export function calendarGrid({ stores }: StoreDeps, q: GridQuery): Promise<Map<string, GridDay>> {
  return stores.calendarReads.grid(q);
}
