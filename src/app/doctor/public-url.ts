const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * PUBLIC_URL starts every link in a message. Over http, RFC 8058 forbids one-click unsubscribe
 * (Herald then leaves out List-Unsubscribe-Post, and Gmail and Yahoo want it for bulk senders),
 * and answer links travel in the clear. Undefined when it is https.
 */
export function publicUrlProblem(publicUrl: string): { message: string; fix: string } | undefined {
  const url = new URL(publicUrl);
  if (url.protocol === 'https:') return undefined;
  if (LOOPBACK.test(url.hostname)) {
    return {
      message: `PUBLIC_URL is ${publicUrl}: links in messages point at this machine only, and over http there is no one-click unsubscribe`,
      fix: 'set PUBLIC_URL to the https address people reach Herald at, e.g. https://herald.example.com',
    };
  }
  return {
    message: `PUBLIC_URL is http (${publicUrl}): no one-click unsubscribe (RFC 8058 needs https) and answer links travel unencrypted`,
    fix: 'serve Herald over https (a TLS proxy in front) and set PUBLIC_URL=https://…',
  };
}
