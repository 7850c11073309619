import type { CalendarStore, MilestoneStore, ProjectStore } from './plan-stores.ts';

export interface TransactionOptions {
  /** Longest the whole transaction may run (bulk re-plans of thousands of people take minutes). */
  timeoutMs?: number;
  /** Longest to wait for a connection. */
  maxWaitMs?: number;
}

/**
 * Every store a use case needs, on one connection. `transaction` is the unit of work: the stores
 * it hands to `fn` share one database transaction (the driver-level one apply needs for COPY), and
 * everything in `fn` commits or none of it. Inside a transaction, `transaction` runs `fn` in it.
 */
export interface Stores {
  projects: ProjectStore;
  milestones: MilestoneStore;
  calendar: CalendarStore;
  transaction<T>(fn: (tx: Stores) => Promise<T>, opts?: TransactionOptions): Promise<T>;
}

/** What a use case that reads or writes the database receives. */
export interface StoreDeps {
  stores: Stores;
}
