import type { ApiTokenStore, OptOutStore, SessionStore } from './access-stores.ts';
import type { ApprovalStore } from './approval-stores.ts';
import type { EscalationStore, ResponseStore, WorkstreamStore } from './answer-stores.ts';
import type { AuditLog, PlanVersionStore } from './audit-stores.ts';
import type { InboundStore } from './inbound-stores.ts';
import type { CalendarReads, DigestReads, MessageLogStore, OverviewReads, ResponseReads } from './view-stores.ts';
import type { CalendarStore, MilestoneStore, ProjectStore } from './plan-stores.ts';

export interface TransactionOptions {
  /** Longest the whole transaction may run (default 120 s); a bulk one is bounded by each statement's server-side timeout instead. */
  timeoutMs?: number;
  /** Longest to wait for a connection (default 10 s). */
  maxWaitMs?: number;
  /**
   * A bulk write (apply, re-plans, trigger firings): the transaction is the database driver's own,
   * so the calendar store can stream new rows with COPY. Only the bulk stores (projects' plan
   * methods, milestones, calendar) work in it; the others throw.
   */
  bulk?: boolean;
}

/**
 * Every store a use case needs, on one connection. `transaction` is the unit of work: the stores
 * it hands to `fn` share one database transaction, and everything in `fn` commits or none of it.
 * Inside a transaction, `transaction` runs `fn` in the one already open.
 */
export interface Stores {
  projects: ProjectStore;
  people: PeopleStore;
  milestones: MilestoneStore;
  calendar: CalendarStore;
  apiTokens: ApiTokenStore;
  sessions: SessionStore;
  optOuts: OptOutStore;
  responses: ResponseStore;
  workstreams: WorkstreamStore;
  escalations: EscalationStore;
  approvals: ApprovalStore;
  inbound: InboundStore;
  calendarReads: CalendarReads;
  responseReads: ResponseReads;
  overviewReads: OverviewReads;
  digests: DigestReads;
  messageLog: MessageLogStore;
  /** Append-only: the audit trail (written in the unit of work of the action it records). */
  audit: AuditLog;
  planVersions: PlanVersionStore;
  transaction<T>(fn: (tx: Stores) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /**
   * Runs `fn` again, a few times with a short backoff, when the database reports a transient
   * failure (a busy pool, a serialisation conflict); `attempt` counts from 1.
   */
  retrying<T>(fn: (attempt: number) => Promise<T>): Promise<T>;
}

export interface PeopleStore {
  /** The id of the person with this plan id in the project, or null. */
  findId(projectId: string, personKey: string): Promise<string | null>;
}

/** What a use case that reads or writes the database receives. */
export interface StoreDeps {
  stores: Stores;
}
