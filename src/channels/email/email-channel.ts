import { createTransport } from 'nodemailer';
import { ChannelError, type ChannelAdapter, type OutboundMessage, type SendResult } from '../channel.ts';
import { KeyedPacer, PaceWaitTooLong } from '../pacer.ts';
import { classifySmtpError } from './errors.ts';

export interface EmailChannelOptions {
  /** SMTP_URL, e.g. smtp://user:pass@host:587 or smtps://…; query options are passed to nodemailer. */
  smtpUrl: string;
  /** Default From (used when the comm's sender has no email). */
  from: string;
  /** Total messages per minute across all pooled connections (EMAIL_RATE_PER_MINUTE). */
  ratePerMinute: number;
  /** Right-hand side of Message-ID: `<messageId@messageIdDomain>`. */
  messageIdDomain: string;
  /** Connect, greeting and socket inactivity timeout; default 30 s. */
  timeoutMs?: number;
  /** Pooled SMTP connections; default 3. */
  maxConnections?: number;
  /** Fail fast (retryable, reason `paced`) rather than wait longer than this for a send slot; default: always wait. */
  maxPaceWaitMs?: number;
}

/** Build the Message-ID for a Herald message; replies quote it in In-Reply-To / References. */
export function emailMessageId(messageId: string, domain: string): string {
  return `<${messageId}@${domain}>`;
}

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
  });
  // nodemailer's own rateLimit is a fixed window that allows bursts of a whole window;
  // spacing every send evenly keeps the total rate right however many connections are open.
  const pacer = new KeyedPacer(opts.ratePerMinute > 0 ? 60_000 / opts.ratePerMinute : 0);

  async function pace(): Promise<void> {
    try {
      await pacer.acquire('smtp', opts.maxPaceWaitMs);
    } catch (err) {
      if (!(err instanceof PaceWaitTooLong)) throw err;
      throw new ChannelError('email', 'paced', `email send rate reached; next slot in ${err.waitMs} ms`, { retryable: true, retryAfterMs: err.waitMs });
    }
  }

  async function send(message: OutboundMessage): Promise<SendResult> {
    const { recipient, rendered } = message;
    if (!recipient.email) {
      throw new ChannelError('email', 'no_address', `${recipient.id} has no email address`, { retryable: false });
    }
    const messageId = emailMessageId(message.messageId, opts.messageIdDomain);
    const replyTo = message.replyTo ?? message.sender?.replyTo;
    const headers: Record<string, string | { prepared: boolean; value: string }> = {
      'Auto-Submitted': 'auto-generated',
      // Out-of-office notices would land on the reply address and look like answers.
      'X-Auto-Response-Suppress': 'OOF, AutoReply',
      'X-Herald-Message-Id': message.messageId,
    };
    if (message.unsubscribeUrl) {
      headers['List-Unsubscribe'] = { prepared: true, value: `<${message.unsubscribeUrl}>` };
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    await pace();
    try {
      const info = await transport.sendMail({
        from: message.sender?.email ?? opts.from,
        to: { name: recipient.name, address: recipient.email },
        ...(replyTo ? { replyTo } : {}),
        subject: rendered.subject,
        text: rendered.text,
        ...(rendered.html ? { html: rendered.html } : {}),
        messageId,
        headers,
      });
      return { providerId: info.messageId || messageId };
    } catch (err) {
      throw classifySmtpError(err);
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
