import type { GridDay, GridQuery } from '../calendar-grid.ts';
import type { OccurrenceCopy, OccurrenceGroup, OccurrenceQuery } from '../calendar-occurrences.ts';
import type { Channel } from '../../domain/plan/model.ts';
import type { ExplainStep } from '../../domain/schedule/explain.ts';

export interface CalendarMessageFilter {
  from: Date | null;
  to: Date | null;
  person: string | null;
  includeCancelled: boolean;
  comm: string | null;
}

/** One message as the calendar lists it. */
export interface CalendarMessageRow {
  id: string;
  key: string;
  comm: string;
  person: string;
  channel: string;
  dueAt: Date;
  /** The person's zone. */
  tz: string;
  occurrence: number;
  status: string;
  seriesItem: string | null;
  explainHash: string | null;
  kind: string;
  sentAt: Date | null;
}

/** The calendar's reads (counted and cut in the database where a page would otherwise load every message). */
export interface CalendarReads {
  messages(projectId: string, f: CalendarMessageFilter): Promise<CalendarMessageRow[]>;
  /** Every pending message of every project, by due time (for expected send times). */
  pending(): Promise<Array<{ id: string; channel: Channel; personId: string; dueAt: Date }>>;
  /** The explanations stored under these hashes. */
  explanations(projectId: string, hashes: readonly (string | null)[]): Promise<Map<string, ExplainStep[]>>;
  grid(q: GridQuery): Promise<Map<string, GridDay>>;
  occurrences(q: OccurrenceQuery): Promise<OccurrenceGroup[]>;
  copies(q: { projectId: string; comm: string; occurrence: number; kind: string; limit: number }): Promise<{ copies: OccurrenceCopy[]; total: number }>;
}
