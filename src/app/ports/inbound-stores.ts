import type { CommSpec } from '../../domain/plan/model.ts';

export type InboundVia = 'smtp' | 'imap' | 'webhook' | 'graph';
export type InboundKind = 'reply' | 'bounce' | 'delay' | 'auto-reply' | 'list' | 'unparseable';
export type InboundOutcome = 'recorded' | 'bounced' | 'paused' | 'ignored' | 'listed' | 'kept' | 'unmatched' | 'unparseable' | 'empty';

export interface InboundClaim {
  id: string;
  /** Set when the mail was already stored: what became of it then. */
  existing?: { outcome: string; kind: string; reason: string | null };
}

export interface InboundFinish {
  kind: InboundKind;
  outcome: InboundOutcome;
  reason: string;
  projectId?: string | null;
  messageId?: string | null;
  personId?: string | null;
  responseId?: string | null;
  fromOtherAddress?: boolean;
  option?: string | null;
  comment?: string | null;
}

/** The message a mail answers or bounced from, with its comm and person. */
export interface MatchedMessage {
  id: string;
  projectId: string;
  channel: string;
  status: string;
  providerId: string | null;
  comm: { key: string; spec: CommSpec };
  person: { id: string; key: string; email: string | null; timezone: string };
}

/** A stored inbound mail (its raw bytes only where asked for). */
export interface InboundRow {
  id: string;
  dedupeKey: string;
  via: string;
  kind: string;
  outcome: string;
  reason: string | null;
  receivedAt: Date;
  updatedAt: Date;
  fromAddress: string | null;
  subject: string | null;
  size: number;
  projectId: string | null;
  messageId: string | null;
  personId: string | null;
  responseId: string | null;
  fromOtherAddress: boolean;
  option: string | null;
  comment: string | null;
}

export interface InboundStore {
  /** Stores the mail once by its dedupe key; a claim left by a dead process is taken over. */
  claim(row: { dedupeKey: string; via: InboundVia; raw: Buffer; fromAddress?: string; subject?: string }, now: Date): Promise<InboundClaim>;
  finish(id: string, f: InboundFinish): Promise<void>;
  /** Gives a claim back when processing failed, so the sender's retry runs it again. */
  release(id: string): Promise<void>;
  messageById(id: string): Promise<MatchedMessage | undefined>;
  /** The Herald message a list of quoted Message-IDs names, trying them in order. */
  messageByRefs(refs: readonly string[]): Promise<MatchedMessage | undefined>;
  /** Each project's sender and reply addresses (as written in the plan). */
  projectAddresses(): Promise<Array<{ projectId: string; addresses: string[] }>>;
  /** A bounce: the message failed (delivery log row too), the address is rejected; all or nothing. */
  recordBounce(m: { messageId: string; personId: string; error: string }, now: Date): Promise<void>;
  /** An out-of-office: no reminders for these people before the instant given for each. */
  pauseReminders(pauses: ReadonlyArray<{ personId: string; until: Date }>): Promise<void>;
  get(id: string): Promise<InboundRow | undefined>;
  getWithRaw(id: string): Promise<(InboundRow & { raw: Uint8Array }) | undefined>;
  /** The Graph delta link where the reply poller of `mailbox` left off (INBOUND_GRAPH_MAILBOX). */
  deltaLink(mailbox: string): Promise<string | undefined>;
  saveDeltaLink(mailbox: string, deltaLink: string): Promise<void>;
  /** A project's inbox, newest first: items of these outcomes or from another address, not assigned. */
  inbox(projectId: string, q: { outcomes: readonly string[]; excludeOutcome: string; projectless: boolean; limit: number }): Promise<InboundRow[]>;
  /** Changes the item only if it is still as read (outcome and updatedAt); false when it changed. */
  updateIfUnchanged(id: string, seen: { outcome: string; updatedAt: Date }, data: Partial<InboundRow>): Promise<boolean>;
  update(id: string, data: Partial<InboundRow>): Promise<void>;
  /** A survey message of the person (by plan id) in the project, or undefined. */
  messageOfPerson(
    projectId: string,
    messageId: string,
    personKey: string,
  ): Promise<{ id: string; comm: { key: string; spec: CommSpec }; person: { id: string; name: string; email: string | null } } | undefined>;
  /** Person keys by id, and comm keys by message id. */
  keysOf(personIds: readonly string[], messageIds: readonly string[]): Promise<{ people: Map<string, string>; comms: Map<string, string> }>;
}
