import { createTransport } from 'nodemailer';

/**
 * For `herald doctor`: connects to SMTP_URL and logs in (nodemailer's `verify()`: EHLO, STARTTLS,
 * AUTH, then QUIT), sending no message. Rejects with nodemailer's error (`code`, `responseCode`,
 * `response`) when the server cannot be reached or refuses the login.
 */
export async function verifySmtp(smtpUrl: string, timeoutMs = 10_000): Promise<void> {
  const transport = createTransport({
    url: smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
  try {
    await transport.verify();
  } finally {
    transport.close();
  }
}
