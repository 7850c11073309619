/**
 * What the digest is computed from: stored data as the loader read it, plain values, no I/O.
 * The loader reads a little more than one week (two, for "change from last week"); the digest
 * functions decide what falls inside which window.
 */
export interface DigestSnapshot {
  project: { key: string; name: string; timezone: string };
  workstreams: DigestWorkstream[];
  /** Workstream-status answers (every answer of the last two weeks at least), any order. */
  statusReports: StatusReport[];
  milestones: DigestMilestone[];
  /** Delivery counts for this week's window (the loader counts them; a week can hold 10^5 rows). */
  delivery: { sent: number; failed: number };
  /** Addresses the mail server rejected for good during this week's window. */
  bounces: Bounce[];
  /** Survey messages (other than workstream status) sent in the last two weeks, one per person and occurrence. */
  surveyMessages: SurveyMessage[];
  escalations: DigestEscalation[];
}

export interface DigestWorkstream {
  key: string;
  name: string;
  ownerId: string;
  ownerName: string;
}

export interface StatusReport {
  workstreamKey: string;
  /** Who answered; only the workstream owner's answers set its status. */
  personId: string;
  /** The option value, e.g. green / amber / red. */
  value: string;
  label: string;
  /** The option's `escalate`, used to grade values other than green/amber/red. */
  escalate?: true | 'urgent';
  /** The option carries `decision: true`: the owner needs a decision from the sponsors. */
  decision: boolean;
  comment?: string;
  at: Date;
}

export interface DigestMilestone {
  key: string;
  label: string;
  at: Date;
  doneAt?: Date;
  /** Every recorded move, any order. */
  moves: Array<{ fromAt: Date; toAt: Date; movedAt: Date }>;
}

export interface Bounce {
  personName: string;
  email: string;
  reason?: string;
  at: Date;
}

export interface SurveyMessage {
  commKey: string;
  /** The survey's question, shown as the survey's title. */
  question: string;
  occurrence: number;
  personId: string;
  /** The audience the person got the survey as (the comm's first audience they belong to). */
  audience: string;
  sentAt: Date;
  /** The person's current answer, if any; `firstAt` is when they first answered. */
  answer?: SurveyAnswer;
}

export interface SurveyAnswer {
  value: string;
  label: string;
  escalate?: true | 'urgent';
  comment?: string;
  firstAt: Date;
  /** When the current answer (and comment) was given. */
  at: Date;
}

export type EscalationState = 'open' | 'acknowledged' | 'resolved';

export interface DigestEscalation {
  id: string;
  workstreamKey?: string;
  /** Who must act: the workstream owner, or the second level after it was raised. */
  ownerName: string;
  /** 1 = owner, 2 = escalation contact, … */
  level: number;
  state: EscalationState;
  urgent: boolean;
  openedAt: Date;
  /** When it should have been acknowledged by; past it and still open, it is a decision needed. */
  ackDueAt?: Date;
  acknowledgedAt?: Date;
  /** What the owner said they are doing when they acknowledged it (clipped to a few words). */
  acknowledgementNote?: string;
  /** What it is about, e.g. "Bea Meyer answered “I can't work”". */
  summary: string;
}
