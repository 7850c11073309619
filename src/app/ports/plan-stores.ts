import type { PlanIssue } from '../../domain/errors.ts';
import type { Plan } from '../../domain/plan/model.ts';
import type { CalendarDiff, ExistingMessage } from '../../domain/replan/diff.ts';

export interface SavedPlan {
  projectId: string;
  personIds: Map<string, string>;
  commIds: Map<string, string>;
  /** Milestones whose instant differs from what was stored before (not new ones). */
  moved: Array<{ key: string; from: Date; to: Date }>;
}

/** A project's last applied plan and the ids its rows were stored under. */
export interface StoredProject {
  projectId: string;
  plan: Plan;
  personIds: Map<string, string>;
  commIds: Map<string, string>;
}

export interface StoredMilestone {
  key: string;
  id: string;
  at: Date;
  doneAt: Date | null;
}

/** The ids calendar rows are written under: the project's, and people's and comms' by key. */
export interface CalendarIds {
  projectId: string;
  person: ReadonlyMap<string, string>;
  comm: ReadonlyMap<string, string>;
}

/** Plan source: the stored plan of a project and its entities. */
export interface ProjectStore {
  /**
   * Upserts the project and every plan entity keyed by (project, key). Entities dropped from the
   * plan are kept (their sent messages are history). The plan's validation warnings are kept with it.
   */
  /** `now` (the use case's clock) stamps the moves a changed milestone date records. */
  savePlan(plan: Plan, hash: string, milestoneInstants: ReadonlyMap<string, Date>, now: Date, warnings?: readonly PlanIssue[]): Promise<SavedPlan>;
  /** Loads a project's plan and ids; a NotFoundError names the known projects. */
  load(projectKey: string): Promise<StoredProject>;
  /** The id of a project, without its plan (a 10,000-person plan is megabytes of JSON to parse). */
  idOf(projectKey: string): Promise<string>;
  /** The id of a project, or null when there is none. */
  findId(projectKey: string): Promise<string | null>;
  /** A project's id and plan, or undefined when there is none. */
  findWithPlan(projectKey: string): Promise<{ id: string; plan: Plan } | undefined>;
  /** Every project's key. */
  keys(): Promise<string[]>;
  /** The stored plan of a project by id and the version (`updatedAt`) it is, or undefined. */
  planById(projectId: string): Promise<{ plan: Plan; updatedAt: Date } | undefined>;
  /** Which version of its plan a project has (its `updatedAt`). */
  planVersion(projectId: string): Promise<Date>;
  /** Replaces the stored plan (a milestone moved outside `apply`). */
  savePlanJson(projectId: string, plan: Plan): Promise<void>;
}

export interface MilestoneStore {
  byKey(projectId: string): Promise<Map<string, StoredMilestone>>;
  /** Sets a milestone's instant and its local wall time as written in the plan. */
  setAt(projectId: string, key: string, at: Date, localAt: string): Promise<void>;
  /** `movedAt` is the use case's clock (the digest's "moved this week" and the overview read it). */
  recordMove(projectId: string, key: string, from: Date, to: Date, source: string, movedAt: Date): Promise<void>;
  markDone(milestoneId: string, at: Date): Promise<void>;
  /** A project's milestones with how often each moved; throws when there is no such project. */
  withMoveCounts(projectKey: string): Promise<Array<{ key: string; label: string | null; at: Date; doneAt: Date | null; moves: number }>>;
}

/** The calendar rows (comm messages and their reminders) a re-plan compares and writes. */
export interface CalendarStore {
  /** For a whole project or only some comms; escalation notices are no re-plan's business. */
  existing(projectId: string, commIds?: readonly string[]): Promise<ExistingMessage[]>;
  /** Writes a diff; updates touch only rows still pending (a claimed message is never moved under a worker). */
  writeDiff(projectId: string, diff: CalendarDiff, ids: CalendarIds, opts?: { bulkLoadMinRows?: number }): Promise<void>;
  /** The occurrence index a new firing of the comm gets (0 for the first). */
  nextOccurrence(commId: string): Promise<number>;
  /** The highest occurrence index of the comm's messages (0 when none). */
  lastOccurrence(commId: string): Promise<number>;
  /** Who has answered the surveys of these comms, by comm key, occurrence and person key. */
  answered(projectId: string, commKeys: readonly string[]): Promise<Array<{ comm: string; occurrence: number; person: string }>>;
  /** People (by key) whose reminders are paused past `now`, and until when. */
  remindersPaused(projectId: string, now: Date): Promise<Array<{ key: string; until: Date }>>;
}
