/**
 * The List-Unsubscribe headers for an unsubscribe link. `List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click` (RFC 8058) only with an https link: the RFC forbids one-click over
 * plain http, and Gmail and Yahoo ignore (or hold against the sender) a one-click header on an
 * http URL. Shared by every e-mail transport, so each sends the same headers.
 */
export function listUnsubscribeHeaders(unsubscribeUrl: string | undefined): Record<string, string> {
  if (!unsubscribeUrl) return {};
  const headers: Record<string, string> = { 'List-Unsubscribe': `<${unsubscribeUrl}>` };
  if (/^https:\/\//i.test(unsubscribeUrl)) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  return headers;
}
