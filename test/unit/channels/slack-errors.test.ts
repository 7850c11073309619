import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { ChannelError } from '../../../src/channels/channel.ts';
import { classifySlackError, isSafeToRepeat, SLACK_ERROR_CLASSES } from '../../../src/channels/slack/errors.ts';

const platform = (error: string, retryAfter?: number) =>
  new WebAPIPlatformError({ ok: false, error, response_metadata: retryAfter === undefined ? {} : { retryAfter } });

const fetchFailure = (code: string) => new WebAPIRequestError(new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) }));

describe('classifySlackError', () => {
  it('makes 429 retryable and carries Retry-After in ms', () => {
    const e = classifySlackError(new WebAPIRateLimitedError(12));
    expect(e).toBeInstanceOf(ChannelError);
    expect(e).toMatchObject({
      channel: 'slack',
      reason: 'ratelimited',
      retryable: true,
      retryAfterMs: 12_000,
      recipientRejected: false,
      code: 'CHANNEL_TRANSIENT',
    });
  });

  it('makes a `ratelimited` body retryable with its retry hint', () => {
    expect(classifySlackError(platform('ratelimited', 3))).toMatchObject({ retryable: true, retryAfterMs: 3000 });
  });

  it.each([500, 502, 503, 504, 408])('makes HTTP %i retryable', (status) => {
    expect(classifySlackError(new WebAPIHTTPError(status, 'x', {}))).toMatchObject({ reason: `http_${status}`, retryable: true });
  });

  it('makes other HTTP statuses permanent', () => {
    expect(classifySlackError(new WebAPIHTTPError(404, 'Not Found', {}))).toMatchObject({ reason: 'http_404', retryable: false, recipientRejected: false });
  });

  it('makes network failures and timeouts retryable', () => {
    expect(classifySlackError(fetchFailure('ECONNRESET'))).toMatchObject({ reason: 'ECONNRESET', retryable: true });
    const timeout = new WebAPIRequestError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    expect(classifySlackError(timeout)).toMatchObject({ reason: 'timeout', retryable: true });
  });

  it.each(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'])('makes %s retryable', (code) => {
    expect(classifySlackError(platform(code))).toMatchObject({ reason: code, retryable: true, recipientRejected: false });
  });

  it.each([
    'user_not_found',
    'users_not_found',
    'channel_not_found',
    'not_in_channel',
    'account_inactive',
    'user_disabled',
    'is_archived',
    'cannot_dm_bot',
    'messages_tab_disabled',
  ])('makes %s a permanent rejected recipient', (code) => {
    expect(classifySlackError(platform(code))).toMatchObject({ reason: code, retryable: false, recipientRejected: true, code: 'CHANNEL_PERMANENT' });
  });

  it.each(['invalid_auth', 'not_authed', 'token_revoked', 'missing_scope'])('makes %s a permanent configuration problem', (code) => {
    expect(classifySlackError(platform(code))).toMatchObject({ reason: code, retryable: false, recipientRejected: false });
  });

  it('reads account_inactive as the bot token’s problem when the token no longer works', () => {
    expect(classifySlackError(platform('account_inactive'), { tokenWorks: false })).toMatchObject({ retryable: false, recipientRejected: false });
    expect(classifySlackError(platform('account_inactive'), { tokenWorks: true })).toMatchObject({ retryable: false, recipientRejected: true });
  });

  it('does not retry an unknown Slack error code or an unexpected exception', () => {
    expect(classifySlackError(platform('something_new'))).toMatchObject({ reason: 'something_new', retryable: false, recipientRejected: false });
    expect(classifySlackError(new Error('boom'))).toMatchObject({ reason: 'unexpected_error', retryable: false });
  });

  it('names the failing method in the message', () => {
    expect(classifySlackError(platform('user_not_found'), { method: 'conversations.open' }).message).toContain('conversations.open');
  });

  it('has one class for every code in the table', () => {
    for (const cls of Object.values(SLACK_ERROR_CLASSES)) expect(['transient', 'recipient', 'config']).toContain(cls);
  });
});

describe('isSafeToRepeat', () => {
  it('allows repeating only requests that never reached Slack', () => {
    expect(isSafeToRepeat(fetchFailure('ECONNREFUSED'))).toBe(true);
    expect(isSafeToRepeat(fetchFailure('ENOTFOUND'))).toBe(true);
    expect(isSafeToRepeat(fetchFailure('ECONNRESET'))).toBe(false);
    expect(isSafeToRepeat(new WebAPIRequestError(new DOMException('t', 'TimeoutError')))).toBe(false);
    expect(isSafeToRepeat(new WebAPIHTTPError(503, 'x', {}))).toBe(false);
    expect(isSafeToRepeat(platform('internal_error'))).toBe(false);
  });
});
