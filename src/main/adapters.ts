/**
 * The adapters the processes share, built in src/main/ and nowhere else: here the channels, the
 * send limits and the template engine; the database in database.ts; the delivery queues in
 * queues.ts. The processes are wired in worker.ts, server.ts, inbound.ts and demo.ts (the CLI's
 * one-shot commands in cli.ts), and each closes what it built through one ordered list (closers.ts).
 *
 * Everything imported here the worker loads anyway; what only `herald serve` runs is imported
 * where it starts (server.ts, inbound.ts), so the worker's idle RSS does not carry it (bench:cli).
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { ChannelAdapter } from '../channels/channel.ts';
import { createEmailChannel } from '../channels/email/email-channel.ts';
import { createGraphEmailChannel } from '../channels/email/graph-channel.ts';
import { createGraphClient } from '../channels/microsoft/graph-client.ts';
import { microsoftTokens, type MicrosoftTokens } from '../channels/microsoft/ms-token.ts';
import { createSlackChannel } from '../channels/slack/slack-channel.ts';
import type { SendGate } from '../channels/send-gate.ts';
import { RedisSendLimiterPool, type SendLimiterPool } from '../channels/send-limiter.ts';
import { microsoftApp, type Config } from '../config/config.ts';
import { ConfigError } from '../domain/errors.ts';
import type { Channel } from '../domain/plan/model.ts';

export { buildEngine } from '../templates/builtin.ts';

export function buildChannels(config: Config, opts: { slackGate?: SendGate } = {}): Partial<Record<Channel, ChannelAdapter>> {
  const channels: Partial<Record<Channel, ChannelAdapter>> = {};
  if (config.SLACK_BOT_TOKEN) {
    channels.slack = createSlackChannel({
      token: config.SLACK_BOT_TOKEN,
      apiUrl: config.SLACK_API_URL,
      // A burst to one person waits in place (exact spacing); only a longer queue goes back to the delayed set.
      maxPaceWaitMs: 15_000,
      gate: opts.slackGate,
    });
  }
  const domain = new URL(config.PUBLIC_URL).hostname || hostname();
  const from = defaultFrom(config);
  if (config.EMAIL_TRANSPORT === 'graph') {
    const tokens = buildMicrosoftTokens(config);
    channels.email = createGraphEmailChannel({ graph: createGraphClient({ graphUrl: config.MS_GRAPH_URL, tokens }), from, messageIdDomain: domain });
  } else if (config.SMTP_URL) {
    let oauth2: Parameters<typeof createEmailChannel>[0]['oauth2'];
    if (config.SMTP_AUTH === 'oauth2') {
      const tokens = buildMicrosoftTokens(config);
      oauth2 = { user: decodeURIComponent(new URL(config.SMTP_URL).username), token: ({ renew }) => tokens(OUTLOOK_SCOPE, { renew }) };
    }
    channels.email = createEmailChannel({
      smtpUrl: config.SMTP_URL,
      from,
      maxConnections: config.SMTP_MAX_CONNECTIONS,
      messageIdDomain: domain,
      ...(oauth2 ? { oauth2 } : {}),
    });
  }
  return channels;
}

/** The From of e-mail whose plan names no `project.sender.email`: herald@ the PUBLIC_URL's host. */
export function defaultFrom(config: Pick<Config, 'PUBLIC_URL'>): string {
  return `Herald <herald@${new URL(config.PUBLIC_URL).hostname || hostname()}>`;
}

/** The scope of Exchange Online's SMTP (and IMAP) for app-only tokens. */
export const OUTLOOK_SCOPE = 'https://outlook.office365.com/.default';

/** msal-node for the MS_* app registration (loadConfig has checked the settings are complete). */
export function buildMicrosoftTokens(config: Config): MicrosoftTokens {
  const app = microsoftApp(config);
  if (!app) throw new ConfigError('MS_TENANT_ID: required for Microsoft 365 mail; see README "Microsoft 365"');
  return microsoftTokens({
    tenantId: app.tenantId,
    clientId: app.clientId,
    authorityHost: app.authorityHost,
    ...(app.clientSecret ? { clientSecret: app.clientSecret } : {}),
    ...(app.certificatePath ? { certificatePath: app.certificatePath } : {}),
  });
}

/** Sends of one mailbox in any minute; shorter only in tests and benchmarks that scale time down. */
export const EMAIL_WINDOW_MS = 60_000;
const DAY_MS = 24 * 3600_000;

/**
 * The provider limits of e-mail, shared by all worker processes, per sender mailbox (the plan's
 * `project.sender`): EMAIL_RATE_PER_MINUTE in any minute and EMAIL_RECIPIENTS_PER_DAY in any 24
 * hours (one recipient per message), as Exchange Online counts them for each mailbox.
 */
export function buildLimits(
  config: Pick<Config, 'EMAIL_RATE_PER_MINUTE' | 'EMAIL_RECIPIENTS_PER_DAY' | 'REDIS_PREFIX'>,
  redis: Redis,
  opts: { emailWindowMs?: number } = {},
): Partial<Record<Channel, SendLimiterPool>> {
  const minute = opts.emailWindowMs ?? EMAIL_WINDOW_MS;
  return {
    email: new RedisSendLimiterPool(redis, config.REDIS_PREFIX, 'email', [
      { name: 'EMAIL_RATE_PER_MINUTE', max: config.EMAIL_RATE_PER_MINUTE, windowMs: minute },
      { name: 'EMAIL_RECIPIENTS_PER_DAY', max: config.EMAIL_RECIPIENTS_PER_DAY, windowMs: (DAY_MS * minute) / EMAIL_WINDOW_MS },
    ]),
  };
}

export function requireSecret(config: Config, who: string): string {
  if (!config.HERALD_SECRET) throw new ConfigError(`HERALD_SECRET: required by ${who} to sign survey, unsubscribe and reply links; set 16+ random characters`);
  return config.HERALD_SECRET;
}
