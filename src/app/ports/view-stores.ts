import type { MESSAGE_STATUSES } from '../../domain/message-status.ts';
import type { DigestSnapshot } from '../../domain/digest/snapshot.ts';
import type { Channel, Plan } from '../../domain/plan/model.ts';
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

/** One message in a cell of the dashboard calendar (calendarGrid, src/app/calendar-grid.ts). */
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

type MessageStatusName = (typeof MESSAGE_STATUSES)[number];

/** One comm occurrence with its copies counted (calendarOccurrences, src/app/calendar-occurrences.ts). */
export interface OccurrenceGroup {
  comm: string;
  /** 0-based index of the occurrence within its comm. */
  occurrence: number;
  /** Occurrences the comm has so far (its highest index + 1), for "2 of 3". */
  occurrences: number;
  /** Absent for the comm's own messages; `reminder`, `escalation`, `escalation-update` otherwise. */
  kind?: string;
  seriesItem?: string;
  /** First and last due instants of the copies, ISO-8601 UTC. */
  first: string;
  last: string;
  /** "HH:mm" when every copy is due at the same wall time in its person's zone (the usual case). */
  localTime: string | null;
  people: number;
  copies: number;
  channels: { slack: number; email: number };
  /** People per audience the comm targets (a person in two counts in both). */
  audiences: Record<string, number>;
  /** Copies per status, only the statuses present. */
  statuses: Partial<Record<MessageStatusName, number>>;
}

export interface OccurrenceQuery {
  projectId: string;
  from?: Date | undefined;
  to?: Date | undefined;
  person?: string | undefined;
  comm?: string | undefined;
  channel?: string | undefined;
  audience?: string | undefined;
  includeCancelled?: boolean | undefined;
  /** One occurrence (with `comm`) of one kind (`comm` for the comm's own messages). */
  occurrence?: number | undefined;
  kind?: string | undefined;
}

export interface OccurrenceCopy {
  key: string;
  person: string;
  name: string;
  timezone: string;
  channel: string;
  /** Due instant, ISO-8601 UTC. */
  at: string;
  status: string;
}

/** The calendar's reads (counted and cut in the database where a page would otherwise load every message). */
export interface CalendarReads {
  messages(projectId: string, f: CalendarMessageFilter): Promise<CalendarMessageRow[]>;
  /** Every pending message of every project, by due time, with its project's `sender.email` (for expected send times). */
  pending(): Promise<Array<{ id: string; channel: Channel; personId: string; dueAt: Date; sender: string | null }>>;
  /** The explanations stored under these hashes. */
  explanations(projectId: string, hashes: readonly (string | null)[]): Promise<Map<string, ExplainStep[]>>;
  grid(q: GridQuery): Promise<Map<string, GridDay>>;
  occurrences(q: OccurrenceQuery): Promise<OccurrenceGroup[]>;
  copies(q: { projectId: string; comm: string; occurrence: number; kind: string; limit: number }): Promise<{ copies: OccurrenceCopy[]; total: number }>;
}

/** A stored answer with its comm's and person's keys and its history, as the responses views show it. */
export interface AnswerRow {
  commId: string;
  comm: { key: string };
  person: { key: string; name: string; audiences: string[] };
  occurrence: number;
  channel: string;
  option: string | null;
  comment: string | null;
  receivedAt: Date;
  /** When the first answer was recorded (receivedAt moves with each change). */
  createdAt: Date;
  fromOtherAddress: boolean;
  history: Array<{ oldOption: string | null; newOption: string | null; newComment: string | null; channel: string; at: Date }>;
}

/** Which answers a responses page shows: of these comms, matching `search` (comment, person id or name) when given. */
export interface AnswerFilter {
  projectId: string;
  commIds: readonly string[];
  search: string | undefined;
}

/** People asked and answered, per comm and audience (surveyRates, src/app/survey-rates.ts). */
export interface SurveyRate {
  commId: string;
  audience: string;
  /** People asked: distinct (occurrence, person) with a survey message sent, on any channel. */
  asked: number;
  answered: number;
}

export interface ResponseReads {
  /** The project's id and plan, or undefined when there is none. */
  project(projectKey: string): Promise<{ id: string; plan: Plan } | undefined>;
  /** Every answer of the project (or of one comm), oldest first. */
  all(projectId: string, commKey: string | undefined): Promise<AnswerRow[]>;
  /** Distinct (comm, occurrence, person) with a survey message sent, on any channel. */
  asked(
    projectId: string,
    commKeys: readonly string[],
  ): Promise<Array<{ occurrence: number; comm: { key: string }; person: { key: string; audiences: string[] } }>>;
  commIds(projectId: string, keys: readonly string[]): Promise<Array<{ id: string; key: string }>>;
  /** Answers per (comm, option). */
  counts(projectId: string, commIds: readonly string[]): Promise<Array<{ commId: string; option: string | null; count: number }>>;
  /** People asked and answered, per comm and audience. */
  rates(projectId: string, commIds?: readonly string[]): Promise<SurveyRate[]>;
  /** The newest answers matching, at most `limit`, and how many match in all. */
  latest(f: AnswerFilter, limit: number): Promise<{ rows: AnswerRow[]; matching: number }>;
  /** The newest comments matching, at most `limit`. */
  latestComments(
    f: AnswerFilter,
    limit: number,
  ): Promise<Array<{ commId: string; option: string | null; comment: string | null; person: { key: string; name: string } }>>;
}

/** What the dashboard overview counts, read in one go (each part by the database). */
export interface OverviewData {
  milestones: Array<{ key: string; label: string | null; at: Date; doneAt: Date | null; moves: Array<{ fromAt: Date; toAt: Date; movedAt: Date }> }>;
  /** Messages sent in [weekAgo, now) and due in [now, weekAhead), per comm key and channel. */
  sent: Array<{ comm: string; channel: string; count: number }>;
  due: Array<{ comm: string; channel: string; count: number }>;
  workstreams: Array<{
    key: string;
    name: string;
    ownerKey: string;
    status: string | null;
    statusComment: string | null;
    statusAt: Date | null;
    statusByPersonId: string | null;
  }>;
  openEscalations: number;
  failedMessages: number;
  /** Approvals waiting for a decision, and messages held for them. */
  pendingApprovals: number;
  heldMessages: number;
}

export interface OverviewReads {
  project(projectKey: string): Promise<{ id: string; key: string; name: string; timezone: string } | undefined>;
  data(projectId: string, window: { weekAgo: Date; now: Date; weekAhead: Date }): Promise<OverviewData>;
  /** People of the project with these plan ids or these row ids. */
  people(projectId: string, keys: readonly string[], ids: readonly string[]): Promise<Array<{ id: string; key: string; name: string }>>;
}

export interface DigestReads {
  /** What the weekly digest of a project covers, as of `now`. */
  snapshot(input: { projectId: string; plan: Plan; now: Date }): Promise<DigestSnapshot>;
}

export interface MessageLogFilter {
  status?: string;
  comm?: string;
  person?: string;
  channel?: string;
  limit?: number;
  offset?: number;
}

/** One message of the delivery log, with its attempts (as the database renders them). */
export interface MessageLogRow extends Pick<CalendarMessageRow, 'id' | 'key' | 'comm' | 'person' | 'channel' | 'dueAt' | 'status' | 'sentAt'> {
  attempts: number;
  providerId: string | null;
  providerChannel: string | null;
  lastError: string | null;
  deliveries: Array<{ at: string; outcome: string; channel: string; providerId?: string; error?: string }>;
  /** The survey answer of this message's comm occurrence and person (any channel), or null. */
  answer: { option: string | null; comment: string | null; channel: string; at: Date } | null;
}

export interface MessageLogStore {
  /** A project's messages by due time (default at most 1,000). */
  list(projectId: string, f: MessageLogFilter): Promise<MessageLogRow[]>;
  /** Failed messages (all of the project's, or these) back to planned, due no earlier than `now`; returns how many. */
  retryFailed(projectId: string, messageIds: readonly string[] | undefined, now: Date): Promise<number>;
}
