/**
 * The comms plan after parsing and validation: plain data, no I/O, no luxon objects.
 * Keys keep the order they had in the YAML file.
 */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A wall-clock time "HH:mm" (24 h). */
export type WallTime = string;

export interface HolidaySpec {
  /** date-holidays country code, e.g. "US"; optional region/state, e.g. "CA". */
  country?: string;
  region?: string;
  /** Extra non-business dates, ISO `YYYY-MM-DD`. */
  extra: string[];
}

export interface ProjectSpec {
  key: string;
  name: string;
  /** IANA zone, e.g. America/Chicago. */
  timezone: string;
  businessDays: Weekday[];
  holidays: HolidaySpec;
  /** Recipient-local window in which nothing is delivered; may wrap midnight (19:00 → 08:00). */
  quietHours?: { start: WallTime; end: WallTime };
  catchUp: 'skip' | 'send';
  sender: { email?: string; replyTo?: string };
  /** Keep messages off each recipient's own holidays / days off (default for every comm; off when absent). */
  recipientCalendar?: RecipientCalendarSpec;
  /** Windows in which only the listed comms go out. */
  blackouts?: BlackoutSpec[];
  /** How long an escalation may go unacknowledged before it reaches the workstream's escalation person. */
  escalation?: EscalationSpec;
  /** The project manager's person id: told about held and rejected comms that have no workstream owner. */
  owner?: string;
  /** Sign-off required before comms of the listed kinds go out (a comm's own `approval` overrides it). */
  approval?: ProjectApprovalSpec;
}

/** Who must sign off a comm's content before it is sent, and when they are asked. */
export interface ApprovalSpec {
  /** Person ids of the approvers. */
  by: string[];
  /** any: one approval is enough; all: every approver must approve. A single rejection rejects. */
  needs: 'any' | 'all';
  /** How long before the first send of an occurrence the approvers are asked, e.g. "2 business days". */
  before: Offset;
  /**
   * A message held for approval that is approved late: `send` sends it whenever approval comes;
   * a delay ("1 day") sends it only if approval comes within that long of its planned time, else it is skipped.
   */
  catchUp: 'send' | Offset;
  /** Reminders to approvers who have not decided, as survey reminders: each `after` later, `times` of them. */
  remind: { after: Offset; times: number };
}

/** `project.approval`: the default for comms of some kinds, and which comms never wait. */
export interface ProjectApprovalSpec extends ApprovalSpec {
  kinds: string[];
  /** urgent: `urgent: true` comms skip approval; milestone-moved: "the date moved" notices skip it. */
  skip: Array<'urgent' | 'milestone-moved'>;
}

export interface RecipientCalendarSpec {
  holidays: boolean;
  workDays: boolean;
}

/** A blackout bound: a local date/date-time in the project zone, or a milestone with an optional offset. */
export type BlackoutBound = { date: string } | { milestone: string; offset?: Offset };

export interface BlackoutSpec {
  from: BlackoutBound;
  to: BlackoutBound;
  label?: string;
  /** Comm keys or kinds that may still go out inside the window. */
  allow: string[];
}

/** `project.escalation`: a delay ("4 business hours") counted in working hours in the owner's zone. */
export interface EscalationSpec {
  after: { unit: 'minutes' | 'hours' | 'days' | 'business hours' | 'business days'; amount: number; raw: string };
  businessHours: { start: WallTime; end: WallTime };
}

export interface MilestoneSpec {
  key: string;
  /** Local date `YYYY-MM-DD` or date-time `YYYY-MM-DDTHH:mm[:ss]` in the project zone. */
  at: string;
  label?: string;
}

export interface WorkstreamSpec {
  key: string;
  name: string;
  owner: string;
  escalation?: string;
}

export interface AudienceSpec {
  key: string;
  description?: string;
}

export interface PersonSpec {
  id: string;
  name: string;
  email?: string;
  slack?: string;
  timezone: string;
  audiences: string[];
  locale: string;
  /** date-holidays country (and region) of the person's own public holidays. */
  country?: string;
  region?: string;
  /** The person's working week, e.g. sun…thu; default the project's businessDays. */
  workDays?: Weekday[];
}

export type OffsetUnit = 'minutes' | 'hours' | 'days' | 'business days' | 'weeks';
export interface Offset {
  sign: 1 | -1;
  amount: number;
  unit: OffsetUnit;
  /** As written in the plan, e.g. "-3 business days". */
  raw: string;
}

export type EveryUnit = 'day' | 'business day' | 'week' | 'month';
export interface Every {
  unit: EveryUnit;
  /** "2 weeks" → n = 2. */
  n: number;
  raw: string;
}

/** A schedule reference point: a milestone key, or (recurring from/until) an ISO local date/date-time. */
export type AnchorRef = { milestone: string } | { date: string };

export type Schedule =
  | { type: 'anchored'; at: string; offset: Offset; time?: WallTime }
  | { type: 'series'; at: string; offsets: Offset[]; time?: WallTime }
  | { type: 'stepped'; at: string; offset: Offset; every: Every; count?: number; time?: WallTime }
  | { type: 'recurring'; every: Every; on?: Weekday; time?: WallTime; from: AnchorRef; until: AnchorRef };

export type Trigger = { type: 'milestone-moved'; milestone: string } | { type: 'milestone-done'; milestone: string } | { type: 'manual' };

export type ChannelChoice = 'slack' | 'email' | 'preferred';
export type Channel = 'slack' | 'email';

export interface SurveyOption {
  value: string;
  label: string;
  escalate?: true | 'urgent';
  /** This option asks for a comment (Slack opens a modal; the answer page requires the box). */
  comment?: true;
  /** A workstream-status answer with this option asks the sponsors for a decision (weekly digest). */
  decision?: true;
}

export interface SurveySpec {
  question: string;
  options: SurveyOption[];
  comment: 'none' | 'optional' | 'required';
  remind?: { after: Offset; times: number };
  escalateTo: 'workstream-owner' | string;
}

export interface CommSpec {
  key: string;
  /** What people read ("Hypercare check-in"); without it, commTitle() makes one from the key. */
  title?: string;
  kind: string;
  audiences: string[];
  channels: ChannelChoice[];
  template: string;
  workstream?: string;
  data: Record<string, unknown>;
  survey?: SurveySpec;
  optional: boolean;
  /** Stepped series items (e.g. adoption tip keys), one occurrence each, in order. */
  series?: string[];
  schedule?: Schedule;
  trigger?: Trigger;
  /** Time-critical: ignores recipient holidays, days off and blackouts (quiet hours still apply). */
  urgent?: boolean;
  /** Overrides project.recipientCalendar for this comm. */
  recipientCalendar?: RecipientCalendarSpec;
  /** Sign-off before send; false opts the comm out of project.approval. See approvalOf(). */
  approval?: ApprovalSpec | false;
}

export interface Plan {
  project: ProjectSpec;
  milestones: MilestoneSpec[];
  workstreams: WorkstreamSpec[];
  audiences: AudienceSpec[];
  people: PersonSpec[];
  comms: CommSpec[];
}
