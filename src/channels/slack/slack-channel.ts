import { LogLevel, WebClient, type ChatPostMessageArguments, type RetryOptions } from '@slack/web-api';
import { ChannelError, type ChannelAdapter, type OutboundMessage, type SendResult } from '../channel.ts';
import { PaceWaitTooLong } from '../pacer.ts';
import { LocalGate, type GateRelease, type SendGate } from '../send-gate.ts';
import { classifySlackError, isSafeToRepeat } from './errors.ts';

export interface SlackChannelOptions {
  /** Bot token (SLACK_BOT_TOKEN). */
  token: string;
  /** Slack Web API base URL ending in `/` (SLACK_API_URL); default https://slack.com/api/. */
  apiUrl?: string;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  /** Messages per second per channel, paced in this process; default 1, 0 = no pacing. */
  perChannelPerSecond?: number;
  /**
   * If a channel's next free slot is further away than this, fail fast with a retryable
   * ChannelError (reason `paced`, retryAfterMs) instead of holding the caller; default: always wait.
   */
  maxPaceWaitMs?: number;
  /** Spaces sends across processes (a RedisGate) instead of in this process alone. */
  gate?: SendGate;
}

export type SlackChannel = ChannelAdapter & { readonly client: WebClient };

/** How long a conversation stays closed after each post completes: 1 s at Slack's one a second. */
export const slackHoldMs = (perSecond: number): number => (perSecond > 0 ? 1000 / perSecond : 0);

/**
 * The queue owns retries (with backoff and Retry-After); the client only repeats a request that
 * never reached Slack (connection refused, DNS), which cannot post a message twice.
 */
const retryConfig: RetryOptions & { onFailedAttempt(err: unknown): void } = {
  retries: 1,
  minTimeout: 200,
  maxTimeout: 200,
  randomize: false,
  onFailedAttempt(err) {
    if (!isSafeToRepeat(err)) throw err;
  },
};

export function createSlackChannel(opts: SlackChannelOptions): SlackChannel {
  const client = new WebClient(opts.token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    timeout: opts.timeoutMs ?? 10_000,
    rejectRateLimitedCalls: true,
    retryConfig,
    allowAbsoluteUrls: false,
    logLevel: LogLevel.ERROR,
  });
  const rate = opts.perChannelPerSecond ?? 1;
  const holdMs = slackHoldMs(rate);
  const gate: SendGate | undefined = holdMs > 0 ? (opts.gate ?? new LocalGate(holdMs)) : undefined;
  const idByEmail = new Map<string, string>();
  const dmByUser = new Map<string, Promise<string>>();

  async function call<T>(method: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { data?: { error?: unknown } }).data?.error;
      throw classifySlackError(err, { method, ...(code === 'account_inactive' ? { tokenWorks: await tokenWorks() } : {}) });
    }
  }

  async function tokenWorks(): Promise<boolean> {
    try {
      await client.auth.test();
      return true;
    } catch {
      return false;
    }
  }

  async function lookup(email: string): Promise<string> {
    const key = email.toLowerCase();
    const cached = idByEmail.get(key);
    if (cached) return cached;
    const res = await call('users.lookupByEmail', () => client.users.lookupByEmail({ email }));
    const id = res.user?.id;
    if (!id) throw new ChannelError('slack', 'users_not_found', `Slack has no user with email ${email}`, { retryable: false, recipientRejected: true });
    idByEmail.set(key, id);
    return id;
  }

  /** One conversations.open per user for the life of the process; concurrent sends share it. */
  function dmChannel(userId: string): Promise<string> {
    let channel = dmByUser.get(userId);
    if (!channel) {
      channel = call('conversations.open', () => client.conversations.open({ users: userId })).then((res) => {
        const id = res.channel?.id;
        if (!id) throw new ChannelError('slack', 'channel_not_found', `conversations.open returned no channel for ${userId}`, { retryable: true });
        return id;
      });
      channel.catch(() => dmByUser.delete(userId));
      dmByUser.set(userId, channel);
    }
    return channel;
  }

  async function enter(channel: string): Promise<GateRelease> {
    if (!gate) return async () => {};
    try {
      return await gate.enter(channel, opts.maxPaceWaitMs);
    } catch (err) {
      if (!(err instanceof PaceWaitTooLong)) throw err;
      throw new ChannelError('slack', 'paced', `Slack channel ${channel} is busy for ${err.waitMs} ms`, { retryable: true, retryAfterMs: err.waitMs });
    }
  }

  async function send(message: OutboundMessage): Promise<SendResult> {
    const { recipient, rendered } = message;
    let userId = recipient.slackId;
    let discoveredSlackId: string | undefined;
    if (!userId) {
      if (!recipient.email) {
        throw new ChannelError('slack', 'no_address', `${recipient.id} has neither a Slack id nor an email to look one up`, { retryable: false });
      }
      userId = discoveredSlackId = await lookup(recipient.email);
    }
    const channel = await dmChannel(userId);
    const release = await enter(channel);
    const args = { channel, text: rendered.text, unfurl_links: false, unfurl_media: false, ...(rendered.blocks ? { blocks: rendered.blocks } : {}) } as ChatPostMessageArguments;
    let res;
    try {
      res = await call('chat.postMessage', () => client.chat.postMessage(args));
    } catch (err) {
      // A cached DM channel that Slack no longer knows must be reopened next time.
      if (err instanceof ChannelError && err.recipientRejected) dmByUser.delete(userId);
      throw err;
    } finally {
      await release(holdMs);
    }
    if (!res.ts) throw new ChannelError('slack', 'no_ts', 'chat.postMessage returned no ts', { retryable: false });
    return { providerId: res.ts, providerChannel: res.channel ?? channel, ...(discoveredSlackId ? { discoveredSlackId } : {}) };
  }

  return {
    name: 'slack',
    client,
    send,
    close: async () => {
      dmByUser.clear();
      idByEmail.clear();
    },
  };
}
