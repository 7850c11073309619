import { HeraldError } from '../../domain/errors.ts';
import { ChannelError } from '../channel.ts';
import { GraphError } from '../microsoft/graph-client.ts';

/** The hint for a 403 from sendMail: the two things an admin must have done. */
export const ACCESS_DENIED_HINT = 'grant Mail.Send and scope the app to this mailbox with RBAC for Applications';

/** Graph codes for a mailbox that does not exist or cannot send through Graph. */
const NO_MAILBOX = new Set(['ErrorInvalidUser', 'ResourceNotFound', 'MailboxNotEnabledForRESTAPI', 'ErrorNonExistentMailbox', 'Request_ResourceNotFound']);

/**
 * A Graph sendMail failure as a ChannelError. Throttling (429, 503 and other 5xx, no answer) is
 * retryable, with Graph's Retry-After as the wait; a refused credential, a denied or unknown
 * mailbox and a refused message are permanent, each with what to do.
 */
export function classifyGraphSendError(err: unknown, mailbox: string): ChannelError {
  if (err instanceof ChannelError) return err;
  if (err instanceof HeraldError) {
    // The token: MS_TOKEN_REFUSED (permanent, with the AADSTS hint) or MS_TOKEN_UNREACHABLE (retryable).
    const reason = err.code === 'MS_TOKEN_REFUSED' ? 'token_refused' : 'token_unavailable';
    return new ChannelError('email', reason, `${err.message}${err.hint ? `; ${err.hint}` : ''}`, { retryable: err.retryable, cause: err });
  }
  if (!(err instanceof GraphError)) {
    return new ChannelError('email', 'unexpected_error', `Graph sendMail failed: ${err instanceof Error ? err.message : String(err)}`, {
      retryable: true,
      cause: err,
    });
  }
  const said = `Graph refused sendMail as ${mailbox}: ${err.status} ${err.code} (${err.message})`;
  if (err.status === 0) return new ChannelError('email', err.code, err.message, { retryable: err.code === 'network', cause: err });
  if (err.status === 429 || err.status >= 500) {
    return new ChannelError('email', String(err.status), `Graph throttled or unavailable for ${mailbox}: ${err.status} ${err.code}`, {
      retryable: true,
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
      cause: err,
    });
  }
  if (err.status === 403 || err.code === 'ErrorAccessDenied')
    return new ChannelError('email', 'ErrorAccessDenied', `${said}; ${ACCESS_DENIED_HINT}`, { retryable: false, cause: err });
  if (err.status === 404 || NO_MAILBOX.has(err.code))
    return new ChannelError(
      'email',
      'mailbox_not_found',
      `${said}; the sender mailbox ${mailbox} does not exist in the tenant or has no Exchange Online licence: fix project.sender in the plan`,
      {
        retryable: false,
        cause: err,
      },
    );
  if (err.status === 401)
    return new ChannelError(
      'email',
      'InvalidAuthenticationToken',
      `${said}; the token was refused twice: check MS_GRAPH_URL and that the app has Mail.Send with admin consent`,
      {
        retryable: false,
        cause: err,
      },
    );
  const recipientRejected = err.code === 'ErrorInvalidRecipients';
  return new ChannelError('email', err.code, said, { retryable: false, recipientRejected, cause: err });
}
