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
import { createSlackChannel } from '../channels/slack/slack-channel.ts';
import type { SendGate } from '../channels/send-gate.ts';
import { RedisSendLimiterPool, type SendLimiterPool } from '../channels/send-limiter.ts';
import type { Config } from '../config/config.ts';
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
  if (config.SMTP_URL) {
    const domain = new URL(config.PUBLIC_URL).hostname || hostname();
    channels.email = createEmailChannel({
      smtpUrl: config.SMTP_URL,
      from: `Herald <herald@${domain}>`,
      maxConnections: config.SMTP_MAX_CONNECTIONS,
      messageIdDomain: domain,
    });
  }
  return channels;
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
