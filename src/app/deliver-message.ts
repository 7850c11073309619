import { setTimeout as sleep } from 'node:timers/promises';
import type { ChannelAdapter, OutboundMessage, SendHooks, SendResult } from '../channels/channel.ts';
import { ChannelError } from '../channels/channel.ts';
import type { SendLimiterPool } from '../channels/send-limiter.ts';
import type { Channel, CommSpec, PersonSpec, Plan } from '../domain/plan/model.ts';
import { signBounceToken, signReplyToken, signToken } from '../domain/tokens.ts';
import { renderMessage } from './render-message.ts';
import { asReminder, reminderVerdict } from './reminder-delivery.ts';
import { noticeOutbound } from './notice-outbound.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import type { PlanCache } from './plan-cache.ts';
import type { DigestSource } from './build-digest.ts';
import type { ClaimedMessage, Clock, DeliveryStore, MessageForDelivery } from './ports.ts';
import type { ApprovalGate } from './approval-gate.ts';

/** Told every finished send attempt (the worker's metrics); must not throw. */
export interface DeliveryObserver {
  outcome(o: { channel: Channel; outcome: 'sent' | 'retry' | 'failed' | 'fallback' | 'skipped'; durationMs?: number; latenessMs?: number }): void;
}

export interface DeliveryDeps {
  /** The delivery path's reads and writes (claims and outcome records batched). */
  store: DeliveryStore;
  clock: Clock;
  channels: Partial<Record<Channel, ChannelAdapter>>;
  engine: TemplateEngine;
  plans: PlanCache;
  publicUrl: string;
  secret: string;
  /** BOUNCE_ADDRESS: the base of the signed return path; else the plan's sender.replyTo. */
  bounceAddress?: string;
  /** Puts new messages (e-mail fallbacks) on the queue at once. */
  enqueue: (messages: ClaimedMessage[]) => Promise<void>;
  /** A `sending` row older than this was abandoned by a killed worker. */
  staleSendingMs: number;
  /** The provider limits of a channel (e-mail's per-minute and per-day caps, per sender mailbox), shared by all workers. */
  limits?: Partial<Record<Channel, SendLimiterPool>>;
  /** The sending mailbox of a project's e-mail (see senderMailbox), whose limiter its messages use; without it, one for all. */
  mailboxOf?: (projectId: string) => Promise<string>;
  /** Computes the weekly digest (`kind: digest` comms); without it a digest renders its "still coming in" text. */
  digests?: DigestSource;
  observer?: DeliveryObserver;
  /** Holds messages whose comm needs a sign-off that has not been given (approval before send). */
  approvals?: ApprovalGate;
}

export interface DeliverOptions {
  finalAttempt: boolean;
  /**
   * With the channel's limiter: the queue of this channel, and a ticket naming this attempt
   * (the same on every return from a delay). A slot is reserved before the message is claimed.
   */
  limit?: { channel: Channel; ticket: string; projectId?: string | undefined };
}

export type DeliveryResult =
  | { status: 'sent'; providerId: string }
  | { status: 'nothing-to-do' }
  /** Re-planned to a later time after its job was queued: the job should wait until `dueAt`. */
  | { status: 'not-due'; dueAt: Date }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string; fallbackId?: string }
  /** The channel's rate limit gave this message a slot `waitMs` from now: ask again then (nothing was claimed). */
  | { status: 'wait'; waitMs: number }
  /** A reminder held back by a pause (out of office): back in the calendar at `dueAt`. */
  | { status: 'postponed'; dueAt: Date }
  /** Its occurrence is not approved: held until an approver decides (approval before send). */
  | { status: 'held' };

const LINK_LIFETIME_S = 90 * 24 * 3600;

/**
 * Sends one message. Transient channel failures are recorded and rethrown for the queue
 * to retry (unless `finalAttempt`, when the message is marked failed); permanent ones are
 * recorded as failed and returned, never retried.
 */
export async function deliverMessage(deps: DeliveryDeps, messageId: string, opts: DeliverOptions): Promise<DeliveryResult> {
  const pool = opts.limit ? deps.limits?.[opts.limit.channel] : undefined;
  if (!pool || !opts.limit) return deliverNow(deps, messageId, opts, {});
  const { ticket, projectId, channel } = opts.limit;
  // Each sender mailbox has its own allowance: two projects with two mailboxes send at twice the rate.
  const mailbox = channel === 'email' && projectId && deps.mailboxOf ? await deps.mailboxOf(projectId) : '';
  const limiter = pool.of(mailbox);
  const waitMs = await limiter.reserve(ticket);
  if (waitMs > 0) return { status: 'wait', waitMs };
  let sent = false;
  let finished = false;
  // Unstamped (Redis unreachable), the send keeps its in-flight lease: counted later than it was, never earlier.
  const done = async (): Promise<void> => {
    if (!sent || finished) return;
    finished = true;
    await limiter.done(ticket).catch(() => {});
  };
  try {
    return await deliverNow(deps, messageId, opts, {
      beforeSend: async () => {
        // Marks the send in flight; waits (briefly, the message is claimed) while the window is full.
        for (let wait = await limiter.confirm(ticket); wait > 0; wait = await limiter.confirm(ticket)) await sleep(wait);
        sent = true;
      },
      afterSend: done,
    });
  } finally {
    // Only a send uses the allowance: a message found cancelled, moved or already sent gives its slot back.
    if (!sent) await limiter.release(ticket).catch(() => {});
    // A channel that does not call afterSend: the send is stamped now, a little after the provider's answer.
    else await done();
  }
}

async function deliverNow(deps: DeliveryDeps, messageId: string, opts: DeliverOptions, hooks: SendHooks): Promise<DeliveryResult> {
  const now = deps.clock.now();
  // Tolerate a little clock skew between the queue's timer and the database. Staleness is
  // wall time, not the plan's clock: "updatedAt" is the database's now() of the claim, so a
  // clock set ahead (tests, simulations) must not make a send in flight look abandoned.
  const msg = await deps.store.claim(messageId, new Date(now.getTime() + 1000), new Date(Date.now() - deps.staleSendingMs));
  if (!msg) {
    const dueAt = await deps.store.pendingDueAt(messageId);
    return dueAt ? { status: 'not-due', dueAt } : { status: 'nothing-to-do' };
  }

  const plan = await deps.plans.get(msg.projectId, msg.planUpdatedAt);
  const comm = plan.comms.find((c) => c.key === msg.commKey);
  if (!comm) return fail(deps, msg, 'comm_removed', `comm ${msg.commKey} is no longer in the plan`);
  if ((msg.kind === 'comm' || msg.kind === 'reminder') && deps.approvals && (await deps.approvals.check(msg, plan, comm)) === 'held') {
    return { status: 'held' };
  }
  const notice = msg.kind === 'escalation' || msg.kind === 'escalation-update';
  const approvalMessage = msg.kind.startsWith('approval-');
  // Notices to owners, approvers and the project manager are work, not news: an opt-out does not stop them.
  if (comm.optional && msg.person.optedOut && !notice && !approvalMessage) {
    await deps.store.record(msg.id, { at: deps.clock.now(), outcome: 'skipped', channel: msg.channel, error: 'unsubscribed' });
    deps.observer?.outcome({ channel: msg.channel, outcome: 'skipped' });
    return { status: 'skipped', reason: 'unsubscribed' };
  }
  const channel = deps.channels[msg.channel];
  if (!channel)
    return fail(
      deps,
      msg,
      'channel_not_configured',
      `${msg.channel} is not configured (set ${msg.channel === 'slack' ? 'SLACK_BOT_TOKEN' : 'SMTP_URL, or EMAIL_TRANSPORT=graph with the MS_* settings'})`,
    );
  if (msg.channel === 'email' && msg.person.emailRejectedAt) {
    return fail(deps, msg, 'address_rejected', `the mail server rejected ${msg.person.email ?? 'the address'} earlier`);
  }
  if (msg.kind === 'reminder') {
    const verdict = await reminderVerdict(deps.store, plan, msg, now);
    if (!verdict.send && 'skip' in verdict) {
      await deps.store.record(msg.id, { at: deps.clock.now(), outcome: 'skipped', channel: msg.channel, error: verdict.skip });
      return { status: 'skipped', reason: verdict.skip };
    }
    if (!verdict.send) {
      await deps.store.postpone(msg.id, verdict.waitUntil);
      return { status: 'postponed', dueAt: verdict.waitUntil };
    }
  }

  // The digest covers the week ending at its planned time, so a retry or a second worker renders the same one.
  const digest = comm.kind === 'digest' && deps.digests ? await deps.digests({ projectId: msg.projectId, plan, now: msg.dueAt }) : undefined;
  let message: OutboundMessage;
  if (notice || approvalMessage) {
    const built = approvalMessage
      ? await deps.approvals?.outbound(msg, plan, now)
      : await noticeOutbound(deps.store, plan, msg, { publicUrl: deps.publicUrl, secret: deps.secret, now });
    if (!built) {
      await deps.store.record(msg.id, { at: deps.clock.now(), outcome: 'skipped', channel: msg.channel, error: 'already_handled' });
      return { status: 'skipped', reason: 'already_handled' };
    }
    message = built;
  } else {
    message = outbound(deps, plan, comm, msg, now, digest);
  }
  const started = Date.now();
  // One stamp for the e-mail's Date header and the sent time Herald records: both the use case's clock.
  const sentAt = deps.clock.now();
  let result: SendResult;
  try {
    result = await channel.send({ ...message, sentAt }, hooks);
  } catch (e) {
    const err =
      e instanceof ChannelError ? e : new ChannelError(msg.channel, 'unexpected', e instanceof Error ? e.message : String(e), { retryable: true, cause: e });
    const durationMs = Date.now() - started;
    if (err.reason === 'paced' && err.retryAfterMs !== undefined) {
      // Herald's own per-conversation pacing said "later": the provider never saw it, so no attempt is used.
      await deps.store.unclaim(msg.id);
      return { status: 'wait', waitMs: err.retryAfterMs };
    }
    if (err.retryable && !opts.finalAttempt) {
      await deps.store.record(msg.id, { at: deps.clock.now(), outcome: 'retry', channel: msg.channel, error: `${err.reason}: ${err.message}`, durationMs });
      deps.observer?.outcome({ channel: msg.channel, outcome: 'retry', durationMs });
      throw err;
    }
    if (err.recipientRejected && msg.channel === 'email') await deps.store.markEmailRejected(msg.person.id, err.reason, deps.clock.now());
    return fail(deps, msg, err.reason, err.message, comm, durationMs);
  }
  const durationMs = Date.now() - started;
  const latenessMs = sentAt.getTime() - msg.dueAt.getTime();
  await deps.store.record(msg.id, {
    at: sentAt,
    outcome: 'sent',
    channel: msg.channel,
    providerId: result.providerId,
    providerChannel: result.providerChannel,
    discoveredSlackId: result.discoveredSlackId ? { personId: msg.person.id, slackId: result.discoveredSlackId } : undefined,
    durationMs,
  });
  deps.observer?.outcome({ channel: msg.channel, outcome: 'sent', durationMs, latenessMs });
  return { status: 'sent', providerId: result.providerId };
}

async function fail(
  deps: DeliveryDeps,
  msg: MessageForDelivery,
  reason: string,
  message: string,
  comm?: CommSpec,
  durationMs?: number,
): Promise<DeliveryResult> {
  // `preferred` means "Slack where possible": a Slack failure for good falls back to e-mail.
  // Escalation and approval notices go by Slack where the person has it, else email: the same fallback applies.
  const notice = msg.kind !== 'comm' && msg.kind !== 'reminder';
  const canFallBack = msg.channel === 'slack' && (notice || comm?.channels.includes('preferred')) && msg.person.email && !msg.person.emailRejectedAt;
  await deps.store.record(msg.id, {
    at: deps.clock.now(),
    outcome: canFallBack ? 'fallback' : 'failed',
    channel: msg.channel,
    error: `${reason}: ${message}`,
    durationMs,
  });
  deps.observer?.outcome({ channel: msg.channel, outcome: canFallBack ? 'fallback' : 'failed', durationMs });
  if (canFallBack) {
    const fallback = await deps.store.createEmailFallback(msg.id, deps.clock.now());
    if (fallback) await deps.enqueue([fallback]);
    return fallback ? { status: 'failed', reason, fallbackId: fallback.id } : { status: 'failed', reason };
  }
  return { status: 'failed', reason };
}

function outbound(deps: DeliveryDeps, plan: Plan, comm: CommSpec, msg: MessageForDelivery, now: Date, digest: unknown): OutboundMessage {
  const p = msg.person;
  const person: PersonSpec = {
    id: p.key,
    name: p.name,
    timezone: p.timezone,
    locale: p.locale,
    audiences: p.audiences,
    email: p.email || undefined,
    slack: p.slackId || undefined,
  };
  const exp = Math.floor(msg.dueAt.getTime() / 1000) + LINK_LIFETIME_S;
  const base = deps.publicUrl.replace(/\/$/, '');
  const sign = (k: 'answer' | 'unsubscribe', o?: string): string => signToken(deps.secret, { k, m: msg.id, p: p.id, exp, o });
  const { rendered, unsubscribe } = renderMessage(
    deps.engine,
    plan,
    {
      comm,
      person,
      occurrence: { index: msg.occurrence, dueAt: msg.dueAt, seriesItem: msg.seriesItem || undefined },
      channel: msg.channel,
      messageId: msg.id,
      digest,
    },
    now,
    { answer: (o) => `${base}/r/${sign('answer', o)}`, unsubscribe: () => `${base}/u/${sign('unsubscribe')}` },
  );
  // Only e-mail has a Reply-To; signing it for every Slack message was wasted HMAC work.
  const replyTo =
    msg.channel === 'email' && plan.project.sender.replyTo
      ? replyAddress(plan.project.sender.replyTo, signReplyToken(deps.secret, { m: msg.id, exp }))
      : undefined;
  const returnPath =
    msg.channel === 'email' && person.email
      ? bounceAddress(deps.bounceAddress ?? plan.project.sender.replyTo, signBounceToken(deps.secret, msg.id, person.email))
      : undefined;
  return {
    messageId: msg.id,
    projectKey: msg.projectKey,
    commKey: comm.key,
    optional: comm.optional,
    recipient: {
      id: person.id,
      name: person.name,
      timezone: person.timezone,
      locale: person.locale,
      email: person.email || undefined,
      slackId: person.slack || undefined,
    },
    sender: plan.project.sender,
    rendered: msg.kind === 'reminder' ? asReminder(rendered) : rendered,
    unsubscribeUrl: unsubscribe || undefined,
    replyTo: replyTo || undefined,
    returnPath: returnPath || undefined,
  };
}

/**
 * `it-pmo@northwind.example` + token → `it-pmo+<token>@northwind.example` (plus addressing). A local
 * part that would pass RFC 5321's 64 octets keeps the plain address (validate reports such a plan):
 * replies to it are then matched only by the Message-ID they quote.
 */
export function replyAddress(replyTo: string | undefined, token: string): string | undefined {
  if (!replyTo) return undefined;
  const m = /^(?:(.*)<)?\s*([^<>\s@]+)@([^<>\s@]+)\s*>?$/.exec(replyTo.trim());
  if (!m) return replyTo;
  if (Buffer.byteLength(`${m[2]}+${token}`, 'utf8') > 64) return replyTo;
  const name = m[1]?.trim();
  const address = `${m[2]}+${token}@${m[3]}`;
  return name ? `${name} <${address}>` : address;
}

/**
 * `it-pmo@northwind.example` + bounce token → `it-pmo+b…@northwind.example`, the envelope sender
 * (VERP). Undefined, so the From address stays the envelope sender, when there is no base address
 * or the local part would pass RFC 5321's 64 octets: bounces to it then change nothing.
 */
export function bounceAddress(base: string | undefined, token: string): string | undefined {
  const m = base ? /^(?:.*<)?\s*([^<>\s@+]+)(?:\+[^<>\s@]*)?@([^<>\s@]+)\s*>?$/.exec(base.trim()) : null;
  if (!m) return undefined;
  const local = `${m[1]}+${token}`;
  return local.length > 64 ? undefined : `${local}@${m[2]}`;
}
