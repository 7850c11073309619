import type { AuditEntry, AuditEvent } from '../../domain/audit/actions.ts';

/**
 * The audit trail. Append-only: there is no method to change or remove an entry (and the database
 * refuses UPDATE, DELETE and TRUNCATE on the table). Writes go through the unit of work of the
 * action they record, so an action and its entry commit together.
 */
export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** A project's entries in the order they were written, after `afterSeq`, from `since` on; at most `limit`. */
  list(q: { projectKey: string; since?: Date; afterSeq?: string; limit: number }): Promise<AuditEntry[]>;
}

export interface PlanSource {
  /** The plan file's name as given. */
  file: string;
  yaml: string;
  /** Other files the plan read (people CSVs), by the name the plan gives them. */
  files: Array<{ name: string; text: string }>;
}

export interface PlanVersionRow extends PlanSource {
  number: number;
  hash: string;
  appliedBy: string;
  appliedAt: Date;
  summary: Record<string, unknown>;
  rollbackOf: number | null;
}

/** Applied versions of a project's plan. Append-only too: a version is never changed. */
export interface PlanVersionStore {
  /** Stores the next version (1 for the first) and returns its number. */
  append(projectId: string, v: Omit<PlanVersionRow, 'number'>): Promise<number>;
  /** The latest version's number and hash, or null before the first. */
  latest(projectId: string): Promise<{ number: number; hash: string } | null>;
  /** Every version, newest first, without sources. */
  list(projectId: string): Promise<Array<Omit<PlanVersionRow, keyof PlanSource>>>;
  get(projectId: string, number: number): Promise<PlanVersionRow | null>;
}
