import type { CommSpec, Plan } from '../../domain/plan/model.ts';

/** A stored answer: one per (comm, occurrence, person). */
export interface ResponseRow {
  id: string;
  projectId: string;
  commId: string;
  occurrence: number;
  personId: string;
  messageId: string;
  channel: string;
  option: string | null;
  comment: string | null;
  receivedAt: Date;
  sourceRef: string;
  sourceRefs: string[];
  fromOtherAddress: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A message with what answering it needs: its comm, person, project and the answer stored so far. */
export interface MessageForAnswer {
  id: string;
  projectId: string;
  projectKey: string;
  projectName: string;
  /** The project's `updatedAt`: which version of its plan is current (for PlanCache). */
  projectUpdatedAt: Date;
  commId: string;
  personId: string;
  occurrence: number;
  channel: string;
  providerId: string | null;
  providerChannel: string | null;
  comm: { id: string; key: string; kind: string; optional: boolean; workstreamKey: string | null; spec: CommSpec };
  person: { id: string; key: string; name: string; email: string | null; slackId: string | null };
  current: { option: string | null; comment: string | null; channel: string; receivedAt: Date } | null;
}

export type NewResponse = Omit<ResponseRow, 'id' | 'sourceRefs' | 'createdAt' | 'updatedAt'>;

/** (comm, occurrence, person): what an answer, its reminders and its escalation are keyed by. */
export interface AnswerKey {
  commId: string;
  occurrence: number;
  personId: string;
}

export interface ResponseStore {
  messageForAnswer(messageId: string): Promise<MessageForAnswer | undefined>;
  /** Inserts the answer unless one exists; returns the new row, or undefined when there was one. */
  insertIfAbsent(n: NewResponse): Promise<ResponseRow | undefined>;
  /** The stored answer, locked until the transaction ends, so concurrent changes apply one at a time. */
  lock(key: AnswerKey): Promise<ResponseRow>;
  addSourceRef(id: string, sourceRef: string): Promise<ResponseRow>;
  /** Changes the answer, appends `sourceRef` to its refs and keeps the change in its history. */
  change(
    previous: ResponseRow,
    next: { option: string | null; comment: string | null; messageId: string; channel: string; receivedAt: Date; sourceRef: string; fromOtherAddress: boolean },
  ): Promise<ResponseRow>;
  /** Cancels the person's pending reminders for that survey; returns how many. */
  cancelReminders(key: AnswerKey): Promise<number>;
}

export interface WorkstreamStore {
  /**
   * Sets the current status of the project's workstreams with this key (or owned by this person)
   * whose status is not newer than `at`; returns their keys.
   */
  setStatus(
    projectId: string,
    which: { key: string } | { ownerKey: string },
    status: { status: string; comment: string | null; at: Date; byPersonId: string },
  ): Promise<string[]>;
}

/** A person a notice goes to, as stored. */
export interface NoticeRecipient {
  id: string;
  key: string;
  timezone: string;
  email: string | null;
  slackId: string | null;
}

export interface EscalationRow {
  id: string;
  projectId: string;
  commId: string;
  occurrence: number;
  personId: string;
  responseId: string;
  option: string;
  comment: string | null;
  urgency: string;
  level: number;
  state: string;
  ownerId: string;
  secondId: string | null;
  openedAt: Date;
  escalateAt: Date | null;
  escalatedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgementNote: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  updatedAt: Date;
}

export interface EscalationStore {
  /** Locks open level-1 escalations due to go up (FOR UPDATE SKIP LOCKED: each worker gets others). */
  claimOverdue(now: Date, limit: number): Promise<Array<EscalationRow & { plan: Plan }>>;
  /** The escalation, locked until the transaction ends, with its project and the answer's channel. */
  lock(id: string): Promise<(EscalationRow & { projectKey: string; plan: Plan; answeredOn: string }) | undefined>;
  /** The open (not resolved) escalation of an answer, the newest. */
  openFor(key: AnswerKey): Promise<EscalationRow | undefined>;
  create(
    row: Pick<
      EscalationRow,
      'projectId' | 'commId' | 'occurrence' | 'personId' | 'responseId' | 'option' | 'comment' | 'urgency' | 'ownerId' | 'secondId' | 'openedAt'
    >,
  ): Promise<EscalationRow>;
  update(
    id: string,
    data: Partial<
      Pick<
        EscalationRow,
        | 'option'
        | 'comment'
        | 'urgency'
        | 'level'
        | 'state'
        | 'escalateAt'
        | 'escalatedAt'
        | 'acknowledgedAt'
        | 'acknowledgedBy'
        | 'acknowledgementNote'
        | 'resolvedAt'
        | 'resolvedBy'
        | 'resolutionNote'
      >
    >,
  ): Promise<void>;
  /** A project's escalations, oldest first, with the answering person's and the comm's keys. */
  list(projectId: string, openOnly: boolean): Promise<Array<EscalationRow & { personKey: string; commKey: string }>>;
  recipient(personId: string): Promise<NoticeRecipient>;
  recipientsByKey(projectId: string, keys: readonly string[]): Promise<NoticeRecipient[]>;
  /** Person keys by id. */
  personKeys(ids: readonly string[]): Promise<Map<string, string>>;
  /** Adds a notice message unless its key exists (escalation notices and updates). */
  addNotice(row: {
    projectId: string;
    commId: string;
    personId: string;
    key: string;
    occurrence: number;
    channel: string;
    dueAt: Date;
    kind: 'escalation' | 'escalation-update';
  }): Promise<void>;
  /** The notice message with this key, locked until the transaction ends. */
  lockNotice(projectId: string, key: string): Promise<{ id: string; status: string } | undefined>;
  noticeId(projectId: string, key: string): Promise<string>;
  /** Joins escalations to a notice message (repeats change nothing). */
  linkNotice(escalationIds: readonly string[], messageId: string, role: string): Promise<void>;
  /** The notices that carried these escalations (owner, level 2, the person who answered), with their messages' times. */
  notices(escalationIds: readonly string[]): Promise<EscalationNoticeRow[]>;
}

/** One escalation's notice: who it went to, in which role, when it was due and when it was sent. */
export interface EscalationNoticeRow {
  escalationId: string;
  /** owner | second | answerer */
  role: string;
  personKey: string;
  channel: string;
  status: string;
  dueAt: Date;
  sentAt: Date | null;
}
