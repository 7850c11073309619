import type { ApprovalState } from '../../domain/approval/rules.ts';
import type { Plan } from '../../domain/plan/model.ts';

/** One variant of an occurrence as approvers see it: rendered for a sample recipient. */
export interface ApprovalVariant {
  audience: string;
  channel: 'slack' | 'email';
  locale: string;
  /** The sample recipient's name (the content is theirs: greetings differ per person). */
  sample: string;
  subject: string;
  text: string;
}

/** A comm occurrence that still has messages to send, and its approval if it has one. */
export interface PendingOccurrence {
  commId: string;
  commKey: string;
  occurrence: number;
  /** The earliest planned send of its messages (those already sent included, cancelled ones not). */
  firstSendAt: Date;
  seriesItem: string | null;
  approval: ApprovalRow | null;
}

export interface ApprovalRow {
  id: string;
  projectId: string;
  commId: string;
  occurrence: number;
  round: number;
  contentHash: string;
  preview: ApprovalVariant[];
  state: ApprovalState;
  firstSendAt: Date;
  requestedAt: Date;
  decidedAt: Date | null;
  note: string | null;
  heldNoticeAt: Date | null;
  /** The project's plan as of when the content hash was computed (Project.updatedAt then). */
  checkedPlanAt: Date;
}

/** An approval with what the use cases around it need: the project, its plan, the comm's key. */
export interface ApprovalWithPlan extends ApprovalRow {
  projectKey: string;
  commKey: string;
  plan: Plan;
  planUpdatedAt: Date;
}

export interface ApprovalVoteRow {
  approver: string;
  decision: 'approve' | 'reject';
  note: string | null;
  via: string;
  actor: string;
  at: Date;
  round: number;
}

/** A message row to create if its key is new (requests, held and rejection notices). */
export interface ApprovalMessage {
  projectId: string;
  commId: string;
  personId: string;
  key: string;
  occurrence: number;
  channel: 'slack' | 'email';
  dueAt: Date;
  kind: 'approval-request' | 'approval-held' | 'approval-rejected';
}

export interface ApprovalStore {
  /** Occurrences of these comms (by key) with unsent (planned, queued, held or sending) messages, with their approval rows. */
  pending(projectId: string, commKeys: readonly string[]): Promise<PendingOccurrence[]>;
  /** The approval of one occurrence, or null. */
  find(projectId: string, commId: string, occurrence: number): Promise<ApprovalRow | null>;
  /** Locks the approval until commit (of two decisions at once, one waits for the other). */
  lock(id: string): Promise<ApprovalWithPlan | null>;
  /** The approval with its project's plan, unlocked (what an approval link's page reads). */
  get(id: string): Promise<ApprovalWithPlan | null>;
  /** A new occurrence's approval; null when another worker has just made it. */
  create(row: Omit<ApprovalRow, 'id' | 'decidedAt' | 'note' | 'heldNoticeAt'>): Promise<ApprovalRow | null>;
  update(id: string, data: Partial<Omit<ApprovalRow, 'id' | 'projectId' | 'commId' | 'occurrence'>>): Promise<void>;
  /** Every vote of a round, oldest first. */
  votes(approvalId: string, round: number): Promise<ApprovalVoteRow[]>;
  /** Records (or replaces) an approver's vote in a round. */
  vote(approvalId: string, v: ApprovalVoteRow): Promise<void>;
  /** A claimed (`sending`) message becomes `held`; false when it was not claimed any more. */
  hold(messageId: string): Promise<boolean>;
  /** The occurrence's held messages, with their planned time. */
  held(projectId: string, commId: string, occurrence: number): Promise<Array<{ id: string; dueAt: Date }>>;
  /** Held messages go back to `planned` (the sweeper queues them at once: they are due); returns how many moved. */
  release(ids: readonly string[]): Promise<number>;
  /** Held messages released too late: skipped, with the reason in the delivery log. */
  skip(ids: readonly string[], reason: string, at: Date): Promise<void>;
  /** The occurrence's unsent requests and reminders (of a finished approval, or before a new round asks again): cancelled. */
  cancelRequests(projectId: string, commId: string, occurrence: number): Promise<void>;
  /** Creates a message row unless one with its key exists; returns its id. */
  addMessage(row: ApprovalMessage): Promise<string>;
  /** A planned message (by key) moves to `dueAt`; one already queued or sent stays. */
  moveMessage(projectId: string, key: string, dueAt: Date): Promise<void>;
  /** How many people the occurrence's messages go to (not counting cancelled ones). */
  recipients(projectId: string, commId: string, occurrence: number): Promise<number>;
  /** Sets heldNoticeAt unless set: true for the one caller that should tell the project manager. */
  markHeldNotice(id: string, at: Date): Promise<boolean>;
  /** A project's approvals, soonest first send first, with their comm's key, votes of the current round and held count. */
  list(projectId: string): Promise<ApprovalListRow[]>;
}

export interface ApprovalListRow extends ApprovalRow {
  commKey: string;
  votes: ApprovalVoteRow[];
  held: number;
}
