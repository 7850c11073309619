/** A message put on the delivery queue: its job id is the message id. */
export interface ClaimedMessage {
  id: string;
  channel: string;
  dueAt: Date;
  /** Its project: the job carries it, so the e-mail limit of the project's sender mailbox applies before the claim. */
  projectId?: string;
}

export type MessageKind =
  | 'comm'
  | 'reminder'
  | 'escalation'
  | 'escalation-update'
  /** To an approver: the content to sign off, with Approve and Request changes (reminders too: key `…~rN…`). */
  | 'approval-request'
  /** To the project manager: messages of an occurrence are held, waiting for approval. */
  | 'approval-held'
  /** To the project manager: an approver requested changes, with the reason. */
  | 'approval-rejected';

/** A message claimed for sending, with what rendering and sending it needs. */
export interface MessageForDelivery {
  id: string;
  key: string;
  /** comm (a calendar message), reminder (of a survey), escalation (notice to an owner), escalation-update (to the person who answered). */
  kind: MessageKind;
  commId: string;
  projectId: string;
  projectKey: string;
  planUpdatedAt: Date;
  commKey: string;
  channel: 'slack' | 'email';
  occurrence: number;
  seriesItem: string | null;
  dueAt: Date;
  attempts: number;
  createdAt: Date;
  person: {
    id: string;
    key: string;
    name: string;
    email: string | null;
    slackId: string | null;
    timezone: string;
    locale: string;
    audiences: string[];
    emailRejectedAt: Date | null;
    /** No reminders before this (out of office). */
    remindersPausedUntil: Date | null;
    optedOut: boolean;
  };
}

/** One send attempt's outcome. */
export interface Outcome {
  outcome: 'sent' | 'retry' | 'failed' | 'fallback' | 'skipped';
  channel: string;
  /** When the attempt finished, by the use case's clock: the delivery log's time and, when sent, the message's sentAt. */
  at: Date;
  providerId?: string;
  providerChannel?: string;
  error?: string;
  durationMs?: number;
  /** A Slack id the send found by e-mail lookup, kept on the person (only where none is set yet). */
  discoveredSlackId?: { personId: string; slackId: string };
}

/** An escalation a notice message carries, as the notice renders it. */
export interface NoticeEscalation {
  id: string;
  urgency: string;
  level: number;
  state: string;
  option: string;
  comment: string | null;
  openedAt: Date;
  occurrence: number;
  commKey: string;
  answeredBy: string;
  answeredOn: string;
  fromOtherAddress: boolean;
  ownerName: string;
  actorName: string | null;
}

/** The worker's delivery path. */
export interface DeliveryStore {
  /**
   * Takes a message for sending: queued (or planned) → sending, attempts + 1; a `sending` row older
   * than `staleBefore` was abandoned by a killed worker. Undefined: nothing to send.
   */
  claim(id: string, dueBefore: Date, staleBefore: Date): Promise<MessageForDelivery | undefined>;
  /** Records an attempt in the delivery log and moves the message to its next status. */
  record(messageId: string, outcome: Outcome): Promise<void>;
  /** Puts a claimed message back, as if never claimed (not an attempt, no delivery log line). */
  unclaim(messageId: string): Promise<void>;
  /** A claimed message goes back to the calendar at a later time, as if never claimed. */
  postpone(messageId: string, dueAt: Date): Promise<void>;
  /** `at`: when the mail server refused the address, by the use case's clock (the digest lists it). */
  markEmailRejected(personId: string, reason: string, at: Date): Promise<void>;
  /** The same occurrence by email, due `now` (the use case's clock) and queued at once (created at most once). */
  createEmailFallback(messageId: string, now: Date): Promise<ClaimedMessage | undefined>;
  /** Why a message could not be claimed: still pending but due later (moved), or finished (undefined). */
  pendingDueAt(id: string): Promise<Date | undefined>;
  /** The From address of a project's e-mail (its plan's `project.sender.email`), if the plan sets one. */
  senderEmail(projectId: string): Promise<string | undefined>;
  /** What decides whether a survey reminder still goes out. */
  reminderFacts(key: { commId: string; occurrence: number; personId: string }): Promise<{ answered: boolean; surveySent: boolean; surveyPending: boolean }>;
  /** The escalations a notice message carries, oldest first. */
  noticeEscalations(messageId: string): Promise<NoticeEscalation[]>;
}
