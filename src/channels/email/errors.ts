import { ChannelError } from '../channel.ts';

/** Socket and protocol failures where the server never gave a verdict: try again later. */
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EDNS',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPROTOCOL',
]);

/** Permanent replies at RCPT that say the address itself is bad (RFC 5321 §4.2.3). */
const BAD_ADDRESS_CODES = new Set([550, 551, 553]);

/** A password login refused because the tenant switched Basic Auth off (Exchange Online: 550 5.7.30, or 535 5.7.139). */
export const BASIC_AUTH_OFF =
  'Basic Auth is off for this tenant (SMTP 5.7.30): set SMTP_AUTH=oauth2, or EMAIL_TRANSPORT=graph, with MS_TENANT_ID, MS_CLIENT_ID and MS_CLIENT_SECRET (or MS_CLIENT_CERTIFICATE_PATH); see README "Microsoft 365"';

const XOAUTH2_HINT =
  'the app needs the SMTP.SendAsApp permission with admin consent, and its service principal registered in Exchange with FullAccess to the mailbox named in SMTP_URL (README "Microsoft 365")';

interface NodemailerLikeError {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
  response?: unknown;
}

/** Turns a nodemailer failure into a ChannelError: 4xx and socket trouble retry, 5xx never does. */
export function classifySmtpError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  const e = (err ?? {}) as NodemailerLikeError;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const command = typeof e.command === 'string' ? e.command.toUpperCase() : '';
  const detail = typeof e.response === 'string' ? e.response : err instanceof Error ? err.message : String(err);

  if (responseCode !== undefined && /\b5\.7\.30\b|\b5\.7\.139\b/.test(detail)) {
    return new ChannelError('email', 'basic_auth_disabled', BASIC_AUTH_OFF, { retryable: false, cause: err });
  }
  if (code === 'EAUTH' && /XOAUTH2/.test(command)) {
    return new ChannelError('email', 'oauth2_refused', `the SMTP server refused the OAuth2 login: ${detail}; ${XOAUTH2_HINT}`, {
      retryable: false,
      cause: err,
    });
  }
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) {
    return new ChannelError('email', String(responseCode), `SMTP server deferred the message: ${detail}`, { retryable: true, cause: err });
  }
  if (responseCode !== undefined && responseCode >= 500) {
    const atRcpt = command.startsWith('RCPT') || code === 'EENVELOPE';
    const recipientRejected = atRcpt && BAD_ADDRESS_CODES.has(responseCode);
    return new ChannelError('email', String(responseCode), `SMTP server rejected the ${recipientRejected ? 'address' : 'message'}: ${detail}`, {
      retryable: false,
      recipientRejected,
      cause: err,
    });
  }
  if (code !== undefined && TRANSIENT_CODES.has(code)) {
    return new ChannelError('email', code, `SMTP server unreachable (${code}): ${detail}`, { retryable: true, cause: err });
  }
  return new ChannelError('email', code ?? 'unexpected_error', `email could not be sent: ${detail}`, { retryable: false, cause: err });
}
