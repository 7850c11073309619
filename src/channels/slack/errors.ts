import { ErrorCode } from '@slack/web-api';
import { ChannelError } from '../channel.ts';

/**
 * What each Slack error code means for delivery. `transient` = try again later;
 * `recipient` = this person cannot be reached on Slack (mark them, fall back to email);
 * `config` = Herald's token, scopes or request are wrong (nothing will work until fixed).
 */
export type SlackErrorClass = 'transient' | 'recipient' | 'config';

export const SLACK_ERROR_CLASSES: Readonly<Record<string, SlackErrorClass>> = {
  ratelimited: 'transient',
  rate_limited: 'transient',
  internal_error: 'transient',
  fatal_error: 'transient',
  service_unavailable: 'transient',
  request_timeout: 'transient',
  team_added_to_org: 'transient',

  user_not_found: 'recipient',
  users_not_found: 'recipient',
  channel_not_found: 'recipient',
  not_in_channel: 'recipient',
  user_disabled: 'recipient',
  is_archived: 'recipient',
  cannot_dm_bot: 'recipient',
  messages_tab_disabled: 'recipient',
  user_is_restricted: 'recipient',
  // Ambiguous: Slack also says it when the token's own account is deactivated; see classifySlackError.
  account_inactive: 'recipient',

  invalid_auth: 'config',
  not_authed: 'config',
  token_revoked: 'config',
  token_expired: 'config',
  missing_scope: 'config',
  no_permission: 'config',
  not_allowed_token_type: 'config',
  ekm_access_denied: 'config',
  team_access_not_granted: 'config',
  invalid_arguments: 'config',
  invalid_blocks: 'config',
  invalid_blocks_format: 'config',
  msg_too_long: 'config',
  no_text: 'config',
  too_many_attachments: 'config',
};

/** Connection-phase failures: the request never reached Slack, so repeating it cannot duplicate a message. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

interface SlackLikeError {
  code?: unknown;
  data?: { error?: unknown; response_metadata?: { retryAfter?: unknown } };
  retryAfter?: unknown;
  statusCode?: unknown;
  original?: unknown;
}

/** The innermost system error code of a failed fetch (`fetch failed` wraps it in `cause`). */
export function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('slack_')) return code;
    e = (e as { original?: unknown }).original ?? e.cause;
  }
  return undefined;
}

/** True when the WebClient may safely retry this request itself (nothing reached Slack). */
export function isSafeToRepeat(err: unknown): boolean {
  const code = networkCode(err);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

export interface ClassifyContext {
  /** The Slack method that failed, for the message. */
  method?: string;
  /** Whether the bot token itself still works; decides what `account_inactive` means. */
  tokenWorks?: boolean;
}

/** Turns anything the WebClient throws into a ChannelError with the right retry decision. */
export function classifySlackError(err: unknown, ctx: ClassifyContext = {}): ChannelError {
  if (err instanceof ChannelError) return err;
  const e = (err ?? {}) as SlackLikeError;
  const where = ctx.method ? `Slack ${ctx.method}` : 'Slack';

  if (e.code === ErrorCode.RateLimitedError) {
    const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : 1;
    return new ChannelError('slack', 'ratelimited', `${where} was rate limited; retry after ${seconds} s`, {
      retryable: true,
      retryAfterMs: seconds * 1000,
      cause: err,
    });
  }
  if (e.code === ErrorCode.HTTPError) {
    const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
    const retryable = status >= 500 || status === 408 || status === 429;
    return new ChannelError('slack', `http_${status}`, `${where} answered HTTP ${status}`, { retryable, cause: err });
  }
  if (e.code === ErrorCode.RequestError) {
    const code = networkCode(err) ?? 'request_error';
    return new ChannelError('slack', code, `${where} could not be reached (${code})`, { retryable: true, cause: err });
  }
  if (e.code === ErrorCode.PlatformError) {
    const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
    let cls = SLACK_ERROR_CLASSES[code];
    if (code === 'account_inactive' && ctx.tokenWorks === false) cls = 'config';
    if (cls === 'transient') {
      const seconds = e.data?.response_metadata?.retryAfter;
      return new ChannelError('slack', code, `${where} failed: ${code}`, {
        retryable: true,
        retryAfterMs: typeof seconds === 'number' ? seconds * 1000 : undefined,
        cause: err,
      });
    }
    const hint =
      cls === 'recipient'
        ? 'this person cannot be reached on Slack'
        : cls === 'config'
          ? 'check SLACK_BOT_TOKEN, its scopes and the message content'
          : 'unknown Slack error, not retried';
    return new ChannelError('slack', code, `${where} failed: ${code} (${hint})`, { retryable: false, recipientRejected: cls === 'recipient', cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ChannelError('slack', 'unexpected_error', `${where} failed unexpectedly: ${message}`, { retryable: false, cause: err });
}
