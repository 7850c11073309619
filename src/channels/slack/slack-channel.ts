import { LogLevel, WebClient, type ChatPostMessageResponse, type RetryOptions, type UsersLookupByEmailResponse } from '@slack/web-api';
import { ChannelError, type ChannelAdapter, type OutboundMessage, type SendHooks, type SendResult } from '../channel.ts';
import { LocalGate, PaceWaitTooLong, type GateRelease, type SendGate } from '../send-gate.ts';
import { classifySlackError, isSafeToRepeat } from './errors.ts';
import { webApiCaller } from './web-api-call.ts';

export interface SlackChannelOptions {
  /** Bot token (SLACK_BOT_TOKEN). */
  token: string;
  /** Slack Web API base URL ending in `/` (SLACK_API_URL); default https://slack.com/api/. */
  apiUrl?: string;
  /**
   * Per-request timeout; default 60 s. A post that times out may still have reached Slack and
   * is retried, so a short timeout turns a slow answer (a busy worker, a slow Slack) into a
   * duplicate message. Keep it below the worker's staleSendingMs (90 s), after which another
   * worker may take the send over.
   */
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

/** Default per-request timeout; see SlackChannelOptions.timeoutMs. */
export const SLACK_TIMEOUT_MS = 60_000;

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
    slackApiUrl: opts.apiUrl || undefined,
    timeout: opts.timeoutMs ?? SLACK_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
    retryConfig,
    allowAbsoluteUrls: false,
    logLevel: LogLevel.ERROR,
  });
  // The per-message calls skip the WebClient (see web-api-call.ts); `client` serves everything else.
  const api = webApiCaller({ token: opts.token, apiUrl: opts.apiUrl ?? 'https://slack.com/api/', timeoutMs: opts.timeoutMs ?? SLACK_TIMEOUT_MS });
  const rate = opts.perChannelPerSecond ?? 1;
  const holdMs = slackHoldMs(rate);
  const gate: SendGate | undefined = holdMs > 0 ? (opts.gate ?? new LocalGate(holdMs)) : undefined;
  const idByEmail = new Map<string, string>();

  async function call<T>(method: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { data?: { error?: unknown } }).data?.error;
      throw classifySlackError(err, { method, tokenWorks: code === 'account_inactive' ? await tokenWorks() : undefined });
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
    const res = await call('users.lookupByEmail', () => api.call<UsersLookupByEmailResponse>('users.lookupByEmail', { email }));
    const id = res.user?.id;
    if (!id) throw new ChannelError('slack', 'users_not_found', `Slack has no user with email ${email}`, { retryable: false, recipientRejected: true });
    idByEmail.set(key, id);
    return id;
  }

  /** The DM with `userId` is one conversation: it takes one post at a time, a second apart. */
  async function enter(userId: string): Promise<GateRelease> {
    if (!gate) return async () => {};
    try {
      return await gate.enter(userId, opts.maxPaceWaitMs);
    } catch (err) {
      if (!(err instanceof PaceWaitTooLong)) throw err;
      throw new ChannelError('slack', 'paced', `the Slack DM with ${userId} is busy for ${err.waitMs} ms`, { retryable: true, retryAfterMs: err.waitMs });
    }
  }

  async function send(message: OutboundMessage, hooks: SendHooks = {}): Promise<SendResult> {
    const { recipient, rendered } = message;
    let userId = recipient.slackId;
    let discoveredSlackId: string | undefined;
    if (!userId) {
      if (!recipient.email) {
        throw new ChannelError('slack', 'no_address', `${recipient.id} has neither a Slack id nor an email to look one up`, { retryable: false });
      }
      userId = discoveredSlackId = await lookup(recipient.email);
    }
    // A user id as `channel` posts to the app's DM with that person (Slack opens it if need be),
    // so no conversations.open per message; the answer names the DM channel for chat.update.
    const release = await enter(userId);
    const args = { channel: userId, text: rendered.text, unfurl_links: false, unfurl_media: false, ...(rendered.blocks ? { blocks: rendered.blocks } : {}) };
    let res: ChatPostMessageResponse;
    let began = false;
    try {
      await hooks.beforeSend?.();
      began = true;
      res = await call('chat.postMessage', () => api.call<ChatPostMessageResponse>('chat.postMessage', args));
    } finally {
      // The conversation's hold is timed from the answer first; then a rate limit, if any, is told.
      await release(holdMs);
      if (began) await hooks.afterSend?.();
    }
    if (!res.ts) throw new ChannelError('slack', 'no_ts', 'chat.postMessage returned no ts', { retryable: false });
    return { providerId: res.ts, providerChannel: res.channel || undefined, discoveredSlackId };
  }

  return {
    name: 'slack',
    client,
    send,
    close: async () => {
      idByEmail.clear();
      api.close();
    },
  };
}
