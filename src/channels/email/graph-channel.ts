import addressparser from 'nodemailer/lib/addressparser';
import { ChannelError, type ChannelAdapter, type OutboundMessage, type SendHooks, type SendResult } from '../channel.ts';
import type { GraphClient } from '../microsoft/graph-client.ts';
import { Semaphore } from '../semaphore.ts';
import { composeOutbound } from './email-channel.ts';
import { classifyGraphSendError } from './graph-errors.ts';

export interface GraphEmailChannelOptions {
  graph: GraphClient;
  /** Default From (used when the comm's sender has no email): must be a mailbox of the tenant. */
  from: string;
  /** Right-hand side of Message-ID: `<messageId@messageIdDomain>`. */
  messageIdDomain: string;
  /** Requests in flight per sending mailbox; Exchange Online allows 4 (MailboxConcurrency). */
  maxInFlightPerMailbox?: number;
}

/** The bare address of a From value (`PMO <pmo@contoso.com>` → `pmo@contoso.com`), lower-cased. */
function mailboxOf(from: string): string {
  const parsed = addressparser(from, { flatten: true }).find((a) => a.address);
  return (parsed?.address ?? from).trim().toLowerCase();
}

/**
 * E-mail through Microsoft Graph: each message is built as MIME by the same code as SMTP (so
 * Message-ID, Reply-To, List-Unsubscribe and the rest arrive as they are) and posted, base64 as
 * text/plain, to `POST /v1.0/users/{sender}/sendMail` as the plan's sender mailbox. At most four
 * requests are in flight per mailbox (Exchange's MailboxConcurrency). A 429 or 503 pauses that
 * mailbox for its Retry-After: the message comes back after it (the queue's delay, without
 * spending an attempt), and sends to the same mailbox in this process wait out the pause before
 * asking Graph again. The send rate per minute and day is the delivery use case's limiter, as for SMTP.
 */
export function createGraphEmailChannel(opts: GraphEmailChannelOptions): ChannelAdapter {
  const perMailbox = opts.maxInFlightPerMailbox ?? 4;
  const slots = new Map<string, Semaphore>();
  const pausedUntil = new Map<string, number>();

  async function send(message: OutboundMessage, hooks: SendHooks = {}): Promise<SendResult> {
    const { raw, messageId, from } = composeOutbound(message, opts);
    const mailbox = mailboxOf(from);
    let slot = slots.get(mailbox);
    if (!slot) slots.set(mailbox, (slot = new Semaphore(perMailbox)));
    const free = await slot.take();
    let began = false;
    try {
      const pause = (pausedUntil.get(mailbox) ?? 0) - Date.now();
      if (pause > 0) {
        // Graph asked this mailbox to wait: Graph does not see this send, so it uses no attempt.
        throw new ChannelError('email', 'paced', `Graph asked ${mailbox} to wait ${pause} ms`, { retryable: true, retryAfterMs: pause });
      }
      await hooks.beforeSend?.();
      began = true;
      await opts.graph.request('POST', `/v1.0/users/${encodeURIComponent(mailbox)}/sendMail`, { body: raw.toString('base64'), contentType: 'text/plain' });
      return { providerId: messageId };
    } catch (err) {
      const e = classifyGraphSendError(err, mailbox);
      if (e.retryAfterMs !== undefined && e.reason !== 'paced') pausedUntil.set(mailbox, Math.max(pausedUntil.get(mailbox) ?? 0, Date.now() + e.retryAfterMs));
      throw e;
    } finally {
      if (began) await hooks.afterSend?.();
      free();
    }
  }

  return { name: 'email', send, close: async () => {} };
}
