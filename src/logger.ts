import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Fields that may hold a message body, an e-mail address or a secret, wherever they sit (top
 * level or one object down, e.g. `recipient.email`, `envelope.rcptTo`). Logs go to shared log
 * stores; people's addresses and what Herald told them do not.
 */
export const REDACT_PATHS = [
  'email',
  'to',
  'from',
  'cc',
  'address',
  'fromAddress',
  'mailFrom',
  'rcptTo',
  'replyTo',
  'envelope',
  'body',
  'text',
  'html',
  'raw',
  'comment',
  'subject',
  'rendered',
  'token',
  'secret',
  'password',
  'authorization',
  'cookie',
  'accessToken',
  'refreshToken',
]
  .flatMap((k) => [k, `*.${k}`])
  .concat(['req.headers.authorization', 'req.headers.cookie', 'err.config.headers']);

// Addresses in free text, e.g. a log line's message.
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * Every token shape Herald issues or accepts, wherever it sits in a string (a URL, an error
 * message, a header). Each rule names the shape rather than one payload, so a token that reaches
 * a log through a path nobody thought of is still caught:
 * - API tokens (`hrld_` + base64url, src/app/api-tokens.ts), Slack tokens (`xoxb-…`, `xapp-…`);
 * - link tokens in paths: `/r/`, `/u/`, `/e/`, `/a/` (answer, unsubscribe, escalation, approval links);
 * - any `token=`/`key=`/`secret=`/`signature=`… query or form parameter, and `Bearer …`;
 * - reply tokens (`r` + lower-case base32, src/domain/tokens.ts) and any other long base64url run
 *   with both cases (a signed link token seen bare), dotted or not. UUIDs and hex hashes stay: they are ids.
 */
const TOKEN_RULES: readonly [RegExp, string][] = [
  [/hrld_[A-Za-z0-9_-]*/g, 'hrld_[token]'],
  [/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, '[slack-token]'],
  // Not a route pattern's `:token`.
  [/(\/(?:r|u|e|a)\/)[^/?#\s"'<>:][^/?#\s"'<>]*/g, '$1[token]'],
  [/([?&;\s"']?(?:[A-Za-z_]*(?:token|key|secret|signature|password|sig|code|_csrf)))(=|%3D)[^&\s"'#<>]*/gi, '$1$2[redacted]'],
  [/\b(Bearer|Basic)\s+[^\s"',]+/gi, '$1 [redacted]'],
  [/\br[a-z2-7]{40,63}\b/g, '[token]'],
  [/[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, '[token]'],
  [/(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g, '[token]'],
];

/** Strips addresses and tokens from a free-text string (log messages are not covered by `redact`). */
export function scrubText(s: string): string {
  let out = s.replace(EMAIL, '[email]');
  for (const [re, by] of TOKEN_RULES) out = out.replace(re, by);
  return out;
}

/** Free-text values a few levels down (a URL holding a token, an error text quoting one); errors are serialized first. */
function scrubValue(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return scrubText(v);
  if (depth > 4 || !v || typeof v !== 'object') return v;
  if (v instanceof Error) return scrubValue(pino.stdSerializers.err(v), depth);
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = scrubValue(x, depth + 1);
  return out;
}

function scrubFields(obj: Record<string, unknown>): Record<string, unknown> {
  return scrubValue(obj, 0) as Record<string, unknown>;
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
          // log.error(err) would put err.message in `msg` unscrubbed: give it the scrubbed text instead.
          const given = args[0] instanceof Error && args.length === 1 ? [{ err: args[0] }, args[0].message] : args;
          method.apply(this, given.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
