import { listUnsubscribeHeaders } from './list-unsubscribe.ts';
import { createTransport } from 'nodemailer';
import { ChannelError, type ChannelAdapter, type OutboundMessage, type SendHooks, type SendResult } from '../channel.ts';
import { Semaphore } from '../semaphore.ts';
import { classifySmtpError } from './errors.ts';
import { composeMime, MailHeaderError, type ComposedMime, type MimeMessage } from './mime.ts';

export interface EmailChannelOptions {
  /** SMTP_URL, e.g. smtp://user:pass@host:587 or smtps://…; query options are passed to nodemailer. */
  smtpUrl: string;
  /** Default From (used when the comm's sender has no email). */
  from: string;
  /** Right-hand side of Message-ID: `<messageId@messageIdDomain>`. */
  messageIdDomain: string;
  /** Connect, greeting and socket inactivity timeout; default 30 s. */
  timeoutMs?: number;
  /** Pooled SMTP connections; default 3. */
  maxConnections?: number;
  /**
   * Log in with XOAUTH2 instead of a password (SMTP_AUTH=oauth2): the SMTP_URL's user, and a
   * token for it (msal-node, scope `https://outlook.office365.com/.default`).
   */
  oauth2?: { user: string; token: (opts: { renew: boolean }) => Promise<{ token: string; expiresAt: number }> };
}

/** Build the Message-ID for a Herald message; replies quote it in In-Reply-To / References. */
export function emailMessageId(messageId: string, domain: string): string {
  return `<${messageId}@${domain}>`;
}

/**
 * Sends each message as one pre-built MIME buffer over pooled SMTP connections. The send rate
 * is not kept here: the delivery use case reserves a slot from the limiter of the message's sender
 * mailbox, shared by all workers (see src/channels/send-limiter.ts), before it calls send.
 */
export function createEmailChannel(opts: EmailChannelOptions): ChannelAdapter {
  const timeout = opts.timeoutMs ?? 30_000;
  const transport = createTransport({
    pool: true,
    url: opts.smtpUrl,
    maxConnections: opts.maxConnections ?? 3,
    maxMessages: 1000,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    ...(opts.oauth2 ? { auth: xoauth2(opts.oauth2) } : {}),
  });

  // As many sends at once as pooled connections: a send then starts its SMTP transaction as soon
  // as beforeSend returns, and afterSend comes with the server's answer.
  const slots = new Semaphore(opts.maxConnections ?? 3);

  async function send(message: OutboundMessage, hooks: SendHooks = {}): Promise<SendResult> {
    const { envelope, raw, messageId } = composeOutbound(message, opts);
    const free = await slots.take();
    let began = false;
    try {
      await hooks.beforeSend?.();
      began = true;
      await transport.sendMail({ envelope, raw });
      return { providerId: messageId };
    } catch (err) {
      throw classifySmtpError(err);
    } finally {
      // Before the connection is free: the next sender of this process then sees this send finished.
      if (began) await hooks.afterSend?.();
      free();
    }
  }

  return {
    name: 'email',
    send,
    close: async () => {
      transport.close();
    },
  };
}

/**
 * nodemailer's OAuth2 login with Herald's token source: nodemailer asks for a token when a pooled
 * connection logs in, again with `renew` after the server refused one, and keeps it until `expires`
 * (msal-node hands out a new one five minutes before the old one expires).
 */
function xoauth2(o: NonNullable<EmailChannelOptions['oauth2']>) {
  return {
    type: 'OAuth2' as const,
    user: o.user,
    provisionCallback: (_user: string, renew: boolean, callback: (err: Error | null, token?: string, expires?: number) => void) => {
      o.token({ renew }).then(
        (t) => callback(null, t.token, t.expiresAt),
        (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))),
      );
    },
  };
}

/**
 * The whole message as MIME with Herald's headers (Message-ID, Reply-To, List-Unsubscribe,
 * List-Unsubscribe-Post, Auto-Submitted, X-Auto-Response-Suppress): the same bytes whether they
 * leave by SMTP or by Graph sendMail. A recipient without an address, or a header that would
 * inject others, is a permanent failure of this message.
 */
export function composeOutbound(message: OutboundMessage, opts: { from: string; messageIdDomain: string }): ComposedMime & { messageId: string; from: string } {
  const { recipient, rendered } = message;
  if (!recipient.email) {
    throw new ChannelError('email', 'no_address', `${recipient.id} has no email address`, { retryable: false });
  }
  const messageId = emailMessageId(message.messageId, opts.messageIdDomain);
  const replyTo = message.replyTo ?? message.sender?.replyTo;
  const headers: Record<string, string> = {
    'Auto-Submitted': 'auto-generated',
    // Out-of-office notices would land on the reply address and look like answers.
    'X-Auto-Response-Suppress': 'OOF, AutoReply',
    'X-Herald-Message-Id': message.messageId,
  };
  Object.assign(headers, listUnsubscribeHeaders(message.unsubscribeUrl));
  const from = message.sender?.email ?? opts.from;
  const composed = composeOrRefuse({
    from,
    to: { name: recipient.name, address: recipient.email },
    replyTo,
    returnPath: message.returnPath || undefined,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html || undefined,
    messageId,
    headers,
    date: message.sentAt,
  });
  return { ...composed, messageId, from };
}

/** A header that would inject others is a permanent failure of this message: retrying cannot fix it. */
function composeOrRefuse(m: MimeMessage): ComposedMime {
  try {
    return composeMime(m);
  } catch (e) {
    if (e instanceof MailHeaderError) throw new ChannelError('email', 'header_invalid', e.message, { retryable: false, cause: e });
    throw e;
  }
}
