import { z } from 'zod';
import { ConfigError } from '../domain/errors.ts';
import { DEFAULT_RATE_LIMITS } from './rate-limits.ts';
import { trustProxySchema } from './trust-proxy.ts';

const url = (schemes: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return schemes.includes(new URL(v).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}`,
  );

const optionalText = z.string().trim().min(1).optional();

/**
 * HERALD_SECRET values that are public: shipped in docker-compose.yml, .env.example, the README or
 * the docs at some point, or a typical stand-in. A secret anyone can read signs links anyone can forge.
 */
export const KNOWN_PLACEHOLDER_SECRETS: readonly string[] = [
  'change-me-to-a-long-random-secret',
  'change-me',
  'changeme',
  'secret',
  'your-secret-here',
  'replace-me',
];
// One character repeated is refused by the "fewer than 8 different characters" rule below.
const PLACEHOLDER_SHAPE = /change[-_ ]?me|replace[-_ ]?me|placeholder|your[-_ ]?(?:long[-_ ]?)?(?:random[-_ ]?)?secret/i;

const heraldSecret = z
  .string()
  .min(16, 'must be at least 16 characters (e.g. openssl rand -hex 24)')
  .refine(
    (v) => !KNOWN_PLACEHOLDER_SECRETS.includes(v.toLowerCase()) && !PLACEHOLDER_SHAPE.test(v),
    'is a published placeholder; anyone could forge links with it. Set your own: openssl rand -hex 24',
  )
  .refine((v) => new Set(v).size >= 8, 'has fewer than 8 different characters; use a random one: openssl rand -hex 24');

/** Variables whose value may be printed in a config error: none of them holds a secret or a URL with a password. */
const SHOWN_VALUES = new Set([
  'HERALD_DATA_DIR',
  'REDIS_PREFIX',
  'EMAIL_RATE_PER_MINUTE',
  'EMAIL_RECIPIENTS_PER_DAY',
  'SLACK_WORKSPACE_RATE_PER_MINUTE',
  'CAPACITY_WARN_MINUTES',
  'SMTP_MAX_CONNECTIONS',
  'INBOUND_SMTP_PORT',
  'INBOUND_SMTP_HOST',
  'IMAP_POLL_SECONDS',
  'PUBLIC_URL',
  'PORT',
  'HOST',
  'HERALD_TEST_NOW',
  'HTTP_RATE_LIMIT_PER_MINUTE',
  'WORKER_METRICS_PORT',
  'LOG_LEVEL',
  'EMAIL_TRANSPORT',
  'SMTP_AUTH',
  'MS_TENANT_ID',
  'MS_CLIENT_ID',
  'MS_CLIENT_CERTIFICATE_PATH',
  'INBOUND_GRAPH_MAILBOX',
  'INBOUND_GRAPH_POLL_SECONDS',
]);
const port = z.coerce.number().int().min(1).max(65535);
const rate = z.coerce.number().int().min(1).max(10_000_000);

const schema = z.object({
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  HERALD_DATA_DIR: z.string().min(1).default('./.herald'),
  REDIS_URL: url(['redis', 'rediss']).default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only')
    .default('herald'),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: url(['http', 'https']).optional(),
  SMTP_URL: url(['smtp', 'smtps']).optional(),
  /** How e-mail leaves: SMTP (SMTP_URL) or Microsoft Graph sendMail (MS_*). Default: smtp when SMTP_URL is set. */
  EMAIL_TRANSPORT: z.enum(['smtp', 'graph'], { message: 'must be smtp or graph' }).optional(),
  /** SMTP login: the password in SMTP_URL, or XOAUTH2 with tokens for the MS_* app (Exchange Online). */
  SMTP_AUTH: z.enum(['password', 'oauth2'], { message: 'must be password or oauth2' }).default('password'),
  // The Microsoft 365 app registration (README "Microsoft 365"): Graph sendMail, SMTP XOAUTH2, Graph replies.
  MS_TENANT_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.-]+$/, 'must be the directory (tenant) id, a GUID, or its domain such as contoso.onmicrosoft.com')
    .optional(),
  MS_CLIENT_ID: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F-]{36}$/, 'must be the application (client) id, a GUID')
    .optional(),
  MS_CLIENT_SECRET: optionalText,
  /** A PEM file holding the certificate and its private key (the certificate uploaded to the app registration). */
  MS_CLIENT_CERTIFICATE_PATH: optionalText,
  MS_AUTHORITY_HOST: url(['https']).default('https://login.microsoftonline.com'),
  MS_GRAPH_URL: url(['https', 'http']).default('https://graph.microsoft.com'),
  INBOUND_GRAPH_MAILBOX: z
    .string()
    .trim()
    .regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be the reply mailbox address, e.g. pmo@contoso.com')
    .optional(),
  INBOUND_GRAPH_POLL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  EMAIL_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
  // Exchange Online: 10,000 recipients in a rolling 24 hours per mailbox.
  EMAIL_RECIPIENTS_PER_DAY: z.coerce.number().int().min(1).max(100_000_000).default(10_000),
  // Slack: chat.postMessage allows "several hundred messages per minute" per workspace.
  SLACK_WORKSPACE_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
  CAPACITY_WARN_MINUTES: z.coerce.number().min(0).max(100_000).default(10),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(3),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().trim().min(1).default('0.0.0.0'),
  // What one hostile client can make the listener hold: at most MAX_CONNECTIONS × MAX_BYTES.
  INBOUND_SMTP_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  INBOUND_SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100_000).default(100),
  INBOUND_SMTP_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
  INBOUND_SMTP_MESSAGES_PER_MINUTE_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(600),
  IMAP_URL: url(['imap', 'imaps']).optional(),
  IMAP_POLL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  IMAP_OAUTH2_ACCESS_TOKEN: optionalText,
  IMAP_OAUTH2_TOKEN_URL: url(['http', 'https']).optional(),
  IMAP_OAUTH2_CLIENT_ID: optionalText,
  IMAP_OAUTH2_CLIENT_SECRET: optionalText,
  IMAP_OAUTH2_REFRESH_TOKEN: optionalText,
  IMAP_OAUTH2_SCOPE: optionalText,
  INBOUND_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  // Envelope sender base for signed return paths (VERP); default: each plan's sender.replyTo.
  BOUNCE_ADDRESS: z
    .string()
    .trim()
    .regex(
      /^[^\s@<>+"]{1,17}@[^\s@<>]+\.[^\s@<>]+$/,
      'must be a plain address with a local part of at most 17 characters and no "+", e.g. bounces@herald.example',
    )
    .optional(),
  // authserv-ids (RFC 8601) whose Authentication-Results Herald trusts for DMARC; empty = off.
  INBOUND_TRUSTED_AUTHSERV_IDS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[a-z0-9.-]+$/, 'each id is a host name such as mx.google.com')))
    .default([]),
  PUBLIC_URL: url(['http', 'https']).default('http://localhost:3000'),
  HERALD_SECRET: heraldSecret.optional(),
  PORT: port.default(3000),
  /**
   * The address `herald serve` and the worker's metrics listener bind. Loopback by default, so a
   * server started by hand is not on the network by accident; the Docker image sets 0.0.0.0.
   */
  HOST: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.:-]+$/, 'must be an IP address or host name, e.g. 127.0.0.1, 0.0.0.0 or ::')
    .default('127.0.0.1'),
  /** Requests per minute per client address on the answer and unsubscribe pages. */
  HTTP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(DEFAULT_RATE_LIMITS.pages),
  /** The same, for `POST /signin`, `/api/v1` with the calendar feeds, `POST /slack/events` and `POST /inbound/email`. */
  HTTP_RATE_LIMIT_SIGNIN_PER_MINUTE: rate.default(DEFAULT_RATE_LIMITS.signin),
  HTTP_RATE_LIMIT_API_PER_MINUTE: rate.default(DEFAULT_RATE_LIMITS.api),
  HTTP_RATE_LIMIT_SLACK_PER_MINUTE: rate.default(DEFAULT_RATE_LIMITS.slack),
  HTTP_RATE_LIMIT_WEBHOOK_PER_MINUTE: rate.default(DEFAULT_RATE_LIMITS.webhook),
  /** Which proxies may set X-Forwarded-For (src/config/trust-proxy.ts); default: none. */
  TRUST_PROXY: trustProxySchema,
  // The worker's own /metrics (send latency and lateness happen there); unset = no listener.
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  // Stopgap until API tokens land: the bearer token that opens /admin/queues (bull-board).
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // Tests only: Herald's clock starts at this instant and runs at wall-clock speed, so fixture
  // plans with absolute dates behave the same on any day. Unset in production (a warning is logged).
  HERALD_TEST_NOW: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant such as 2026-11-20T12:00:00Z' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<z.infer<typeof schema>>;

/** The Microsoft 365 app registration: what msal-node needs for client-credentials tokens. */
export interface MicrosoftApp {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  certificatePath?: string;
  authorityHost: string;
  graphUrl: string;
}

/** The MS_* settings as one value, when the tenant and client are set (checked at start by loadConfig). */
export function microsoftApp(c: Config): MicrosoftApp | undefined {
  if (!c.MS_TENANT_ID || !c.MS_CLIENT_ID) return undefined;
  return {
    tenantId: c.MS_TENANT_ID,
    clientId: c.MS_CLIENT_ID,
    ...(c.MS_CLIENT_SECRET ? { clientSecret: c.MS_CLIENT_SECRET } : {}),
    ...(c.MS_CLIENT_CERTIFICATE_PATH ? { certificatePath: c.MS_CLIENT_CERTIFICATE_PATH } : {}),
    authorityHost: c.MS_AUTHORITY_HOST.replace(/\/+$/, ''),
    graphUrl: c.MS_GRAPH_URL.replace(/\/+$/, ''),
  };
}

/**
 * Parses the environment once. Empty strings count as unset so that a `.env` copied from
 * `.env.example` with blank values behaves like a missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') cleaned[key] = v;
  }
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const name = String(first.path[0] ?? 'environment');
    // Secrets and URLs (which may hold a password) are never echoed: a config error lands in CI logs and terminals.
    const value = cleaned[name] ?? '';
    const got =
      SHOWN_VALUES.has(name) || (name.endsWith('_URL') && !holdsCredential(value))
        ? `got ${JSON.stringify(value)}`
        : `value not shown, ${value.length} characters`;
    throw new ConfigError(`${name}: ${first.message} (${got}); see .env.example`);
  }
  checkImap(parsed.data);
  const data = { ...parsed.data, EMAIL_TRANSPORT: parsed.data.EMAIL_TRANSPORT ?? (parsed.data.SMTP_URL ? ('smtp' as const) : undefined) };
  checkMicrosoft(data);
  return Object.freeze(data);
}

/**
 * Whether a URL-like value may carry a password (`user:pass@`, with or without a well-formed
 * scheme): such a value is never echoed, while `mysql://root@host/db` or `http://host:6379` is,
 * so a wrong scheme is easy to see.
 */
function holdsCredential(value: string): boolean {
  return /:[^@]*@/.test(value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''));
}

/** IMAP settings that only make sense together. */
function checkImap(c: z.infer<typeof schema>): void {
  if (!c.IMAP_URL) return;
  const u = new URL(c.IMAP_URL);
  if (!u.username)
    throw new ConfigError('IMAP_URL: name the mailbox user, e.g. imaps://pmo%40northwind.example@outlook.office365.com:993/INBOX; see .env.example');
  const oauth = c.IMAP_OAUTH2_ACCESS_TOKEN || c.IMAP_OAUTH2_TOKEN_URL;
  if (c.IMAP_OAUTH2_TOKEN_URL && !c.IMAP_OAUTH2_CLIENT_ID)
    throw new ConfigError('IMAP_OAUTH2_CLIENT_ID: required with IMAP_OAUTH2_TOKEN_URL; see .env.example');
  if (!oauth && !u.password) {
    throw new ConfigError('IMAP_URL: give a password in the URL, or set IMAP_OAUTH2_TOKEN_URL (or IMAP_OAUTH2_ACCESS_TOKEN) for XOAUTH2; see .env.example');
  }
}

/**
 * The Microsoft 365 settings that only make sense together: Graph sending, SMTP XOAUTH2 and Graph
 * replies all need the tenant, the client and one credential; each missing piece is named.
 */
function checkMicrosoft(c: z.infer<typeof schema>): void {
  const graphSend = c.EMAIL_TRANSPORT === 'graph';
  const smtpOauth = c.SMTP_AUTH === 'oauth2';
  const graphInbound = c.INBOUND_GRAPH_MAILBOX !== undefined;
  if (c.EMAIL_TRANSPORT === 'smtp' && !c.SMTP_URL) throw new ConfigError('SMTP_URL: required with EMAIL_TRANSPORT=smtp; see .env.example');
  if (smtpOauth && !c.SMTP_URL)
    throw new ConfigError(
      'SMTP_URL: required with SMTP_AUTH=oauth2, naming the mailbox, e.g. smtp://pmo%40contoso.com@smtp.office365.com:587; see .env.example',
    );
  if (smtpOauth && c.SMTP_URL) {
    const u = new URL(c.SMTP_URL);
    if (!u.username) throw new ConfigError('SMTP_URL: with SMTP_AUTH=oauth2 name the mailbox user, e.g. smtp://pmo%40contoso.com@smtp.office365.com:587');
    if (u.password) throw new ConfigError('SMTP_URL: with SMTP_AUTH=oauth2 leave the password out (the login is an OAuth2 token for MS_CLIENT_ID)');
  }
  const why = graphSend ? 'EMAIL_TRANSPORT=graph' : smtpOauth ? 'SMTP_AUTH=oauth2' : graphInbound ? 'INBOUND_GRAPH_MAILBOX' : undefined;
  const any = c.MS_TENANT_ID || c.MS_CLIENT_ID || c.MS_CLIENT_SECRET || c.MS_CLIENT_CERTIFICATE_PATH;
  if (!why && !any) return;
  const what = why ? `required with ${why}` : 'required with the other MS_* settings';
  if (!c.MS_TENANT_ID) throw new ConfigError(`MS_TENANT_ID: ${what} (the directory id of your Microsoft 365 tenant); see README "Microsoft 365"`);
  if (!c.MS_CLIENT_ID) throw new ConfigError(`MS_CLIENT_ID: ${what} (the application id of Herald's app registration); see README "Microsoft 365"`);
  if (c.MS_CLIENT_SECRET && c.MS_CLIENT_CERTIFICATE_PATH)
    throw new ConfigError('MS_CLIENT_CERTIFICATE_PATH: set either MS_CLIENT_SECRET or MS_CLIENT_CERTIFICATE_PATH, not both');
  if (!c.MS_CLIENT_SECRET && !c.MS_CLIENT_CERTIFICATE_PATH)
    throw new ConfigError(`MS_CLIENT_SECRET: ${what}, or MS_CLIENT_CERTIFICATE_PATH (a PEM file with the certificate and its key); see README "Microsoft 365"`);
}
