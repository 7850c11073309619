import { createTransport } from 'nodemailer';

/**
 * For `herald doctor`: connects to SMTP_URL and logs in (nodemailer's `verify()`: EHLO, STARTTLS,
 * AUTH, then QUIT), sending no message. With `oauth2` (SMTP_AUTH=oauth2) the login is XOAUTH2
 * with that user and access token instead of the URL's password. Rejects with nodemailer's error
 * (`code`, `responseCode`, `response`) when the server cannot be reached or refuses the login.
 */
export async function verifySmtp(smtpUrl: string, timeoutMs = 10_000, oauth2?: { user: string; accessToken: string }): Promise<void> {
  const transport = createTransport({
    url: smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    ...(oauth2 ? { auth: { type: 'OAuth2' as const, user: oauth2.user, accessToken: oauth2.accessToken } } : {}),
  });
  try {
    await transport.verify();
  } finally {
    transport.close();
  }
}
