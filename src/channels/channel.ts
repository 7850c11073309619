import { HeraldError } from '../domain/errors.ts';
import type { Channel } from '../domain/plan/model.ts';
import type { RenderedMessage } from '../templates/rendered.ts';

/** What a channel needs to deliver one message to one person. Ids only point back at the database. */
export interface OutboundMessage {
  messageId: string;
  projectKey: string;
  commKey: string;
  /** True for comms a person may unsubscribe from (adds List-Unsubscribe to email). */
  optional: boolean;
  recipient: { id: string; name: string; email?: string; slackId?: string; timezone: string; locale: string };
  sender?: { email?: string; replyTo?: string };
  rendered: RenderedMessage;
  /** Absolute URLs the email adds as headers. */
  unsubscribeUrl?: string;
  /** Reply-To carrying a signed token so replies can be matched to this message. */
  replyTo?: string;
  /** SMTP envelope sender (Return-Path) carrying a signed bounce token (VERP): only bounces sent back to it count. */
  returnPath?: string;
  /**
   * When the message leaves, from the delivery use case's clock (the sent time Herald records):
   * the e-mail's Date header, by SMTP and by Graph alike, so `herald demo`'s inbox shows demo time.
   */
  sentAt?: Date;
}

export interface SendResult {
  /** Slack message ts, or the SMTP Message-ID. */
  providerId: string;
  /** Slack channel (DM) id where relevant. */
  providerChannel?: string;
  /** A Slack id found by users.lookupByEmail during the send, for the caller to cache. */
  discoveredSlackId?: string;
}

export interface SendHooks {
  /**
   * Called once the channel is about to contact the provider (a connection is free, the
   * conversation is open), so a rate limit can stamp the send as close to the wire as possible.
   */
  beforeSend?: () => Promise<void>;
  /**
   * Called once the provider has answered, or the attempt failed, after `beforeSend` returned
   * (so the rate limit counts the send from a moment the provider has surely seen it). Must not throw.
   */
  afterSend?: () => Promise<void>;
}

/** The one small interface every delivery channel implements. */
export interface ChannelAdapter {
  readonly name: Channel;
  send(message: OutboundMessage, hooks?: SendHooks): Promise<SendResult>;
  close(): Promise<void>;
}

/**
 * A delivery failure. `retryable` = transient (429, 5xx, SMTP 4xx, timeouts);
 * otherwise permanent (unknown user, rejected address) and never retried.
 */
export class ChannelError extends HeraldError {
  readonly channel: Channel;
  /** Provider-specific reason, e.g. `user_not_found` or `550`. */
  readonly reason: string;
  /** Honour this wait before retrying (Slack Retry-After). */
  readonly retryAfterMs: number | undefined;
  /** The address or account itself is bad (mark it on the person). */
  readonly recipientRejected: boolean;

  constructor(
    channel: Channel,
    reason: string,
    message: string,
    opts: { retryable: boolean; retryAfterMs?: number; recipientRejected?: boolean; cause?: unknown },
  ) {
    super(opts.retryable ? 'CHANNEL_TRANSIENT' : 'CHANNEL_PERMANENT', message, { retryable: opts.retryable, cause: opts.cause });
    this.channel = channel;
    this.reason = reason;
    this.retryAfterMs = opts.retryAfterMs;
    this.recipientRejected = opts.recipientRejected ?? false;
  }
}
