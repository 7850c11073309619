import type { IsoWeek } from './week.ts';

/**
 * The weekly executive digest: plain JSON-safe data (instants as ISO strings) that templates render
 * in each reader's zone and that `herald digest --format json` prints. Every list is ordered bad news first.
 */
export interface Digest {
  project: { key: string; name: string };
  /** The ISO week the digest is sent in (project zone); its message key carries it. */
  week: IsoWeek;
  /** The seven days covered, ending at the send instant. */
  window: { from: string; to: string };
  overall: { status: Rag; tone: Tone; headline: string };
  workstreams: WorkstreamLine[];
  milestones: { done: MilestoneLine[]; due: MilestoneLine[]; moved: MovedMilestone[] };
  decisions: DecisionLine[];
  /** Decisions beyond the ones listed (the prose budget). */
  decisionsMore: number;
  delivery: { sent: number; failed: number; bounced: BounceLine[]; bouncedMore: number };
  surveys: SurveyLine[];
  comments: CommentLine[];
  escalations: EscalationLine[];
  /** Open escalations beyond the ones listed. */
  escalationsMore: number;
  /** The rules the digest applies, stated so a reader knows why they see what they see. */
  rules: { comments: string; status: string };
  /** Words of prose the digest model adds (headline, decisions, comments), against its budget. */
  prose: { words: number; budget: number };
}

export type Rag = 'green' | 'amber' | 'red';
/** How a cell or bar is coloured. */
export type Tone = 'good' | 'warn' | 'bad' | 'none';

export interface WorkstreamLine {
  key: string;
  name: string;
  owner: string;
  /** null: the owner has not reported this week (and no escalation raised it). */
  status: Rag | null;
  tone: Tone;
  reported: boolean;
  /** The one-line reason: the owner's comment (or answer), or why there is no status. */
  reason: string;
  /** When the latest report came in (any week). */
  reportedAt?: string;
  /** An open urgent escalation lifted the status to at least amber. */
  raisedByEscalation: boolean;
}

export interface MilestoneLine {
  key: string;
  label: string;
  at: string;
  doneAt?: string;
}

export interface MovedMilestone {
  key: string;
  label: string;
  /** The first planned date: what sponsors ask for. */
  baseline: string;
  current: string;
  moves: number;
  movedThisWeek: boolean;
  /** Days from baseline to current (positive: later). */
  slipDays: number;
  done: boolean;
}

export interface DecisionLine {
  kind: 'escalation' | 'status';
  text: string;
  /** Since when it has been waiting (the missed acknowledgement time, or the report). */
  since: string;
  urgent: boolean;
}

export interface BounceLine {
  name: string;
  email: string;
  reason?: string;
  at: string;
}

export interface Segment {
  value: string;
  label: string;
  count: number;
  /** Whole percent of the answers; the segments of a line add up to 100. */
  pct: number;
  tone: Tone;
}

export interface SurveyLine {
  comm: string;
  question: string;
  audience: string;
  sent: number;
  answered: number;
  /** Whole percent answered. */
  rate: number;
  /** Change of `rate` from last week in percentage points; null when last week sent none. */
  change: number | null;
  /** `+4 pts`, `−3 pts`, `no change` or `new this week`. */
  changeText: string;
  /** The answers (only those with a count), in the survey's option order. */
  split: Segment[];
}

export interface CommentLine {
  text: string;
  answer: string;
  audience: string;
  at: string;
  escalating: boolean;
  tone: Tone;
}

export interface EscalationLine {
  id: string;
  summary: string;
  workstream?: string;
  owner: string;
  level: number;
  state: 'open' | 'acknowledged';
  /** The owner's acknowledgement note: what is being done, so a sponsor need not ask. */
  note?: string;
  urgent: boolean;
  openedAt: string;
  /** Whole days open (hours when under a day), e.g. "3 days", "5 hours". */
  age: string;
  ageHours: number;
}
