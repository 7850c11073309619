import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Fields that may hold a message body, an e-mail address or a secret, wherever they sit (top
 * level or one object down, e.g. `recipient.email`, `envelope.rcptTo`). Logs go to shared log
 * stores; people's addresses and what Herald told them do not.
 */
export const REDACT_PATHS = [
  'email', 'to', 'from', 'cc', 'address', 'fromAddress', 'mailFrom', 'rcptTo', 'replyTo', 'envelope',
  'body', 'text', 'html', 'raw', 'comment', 'subject', 'rendered',
  'token', 'secret', 'password', 'authorization', 'cookie', 'accessToken', 'refreshToken',
].flatMap((k) => [k, `*.${k}`]).concat(['req.headers.authorization', 'req.headers.cookie', 'err.config.headers']);

// Addresses and signed tokens (base64url payload "." signature) in free text, e.g. a log line's message.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const SIGNED = /\b[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g;

/** Strips addresses and tokens from a free-text string (log messages are not covered by `redact`). */
export function scrubText(s: string): string {
  return s.replace(EMAIL, '[email]').replace(SIGNED, '[token]');
}

/** Free-text values two levels down (a URL holding a token, an error text quoting an address). */
function scrubFields(obj: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') out[k] = scrubText(v);
    else if (depth < 2 && v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Error)) out[k] = scrubFields(v as Record<string, unknown>, depth + 1);
    else out[k] = v;
  }
  return out;
}

/** JSON logs on stderr (stdout stays for command output); level from LOG_LEVEL. */
export function createLogger(level: string, name = 'herald', destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { log: (obj) => scrubFields(obj) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
