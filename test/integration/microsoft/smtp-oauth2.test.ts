import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelError } from '../../../src/channels/channel.ts';
import { BASIC_AUTH_OFF } from '../../../src/channels/email/errors.ts';
import { createEmailChannel } from '../../../src/channels/email/email-channel.ts';
import { microsoftTokens } from '../../../src/channels/microsoft/ms-token.ts';
import { OUTLOOK_SCOPE } from '../../../src/main/adapters.ts';
import type { MicrosoftSandbox } from '../../../src/sandbox/microsoft-server.ts';
import { startSmtpSink, type SmtpSink } from '../../../src/sandbox/smtp-sink.ts';
import { outbound, PMO, SECRET, SECRET_APP, startTenant, TENANT } from './sandbox.ts';

describe('SMTP with XOAUTH2 (SMTP_AUTH=oauth2) and the Basic Auth diagnosis', () => {
  let ms: MicrosoftSandbox;
  let sink: SmtpSink;

  beforeAll(async () => {
    ms = await startTenant();
    // Exchange Online's SMTP AUTH as far as Herald sees it: XOAUTH2 with an Outlook token for the mailbox, passwords refused.
    sink = await startSmtpSink({
      auth: { basicAuthDisabled: true, xoauth2: (user, token) => user === PMO && ms.checkToken(token, 'https://outlook.office365.com') === SECRET_APP },
    });
  });
  afterAll(async () => {
    await sink.close();
    await ms.close();
  });

  it('logs in with an msal-node token for the mailbox and sends; the token is reused, renewed when refused', async () => {
    const tokens = microsoftTokens({ tenantId: TENANT, clientId: SECRET_APP, clientSecret: SECRET, authorityHost: ms.url });
    const channel = createEmailChannel({
      smtpUrl: `smtp://${encodeURIComponent(PMO)}@127.0.0.1:${sink.port}`,
      from: `Herald <${PMO}>`,
      messageIdDomain: 'herald.test',
      maxConnections: 1,
      oauth2: { user: PMO, token: ({ renew }) => tokens(OUTLOOK_SCOPE, { renew }) },
    });
    try {
      const msg = outbound();
      await channel.send(msg);
      const [got] = await sink.waitFor(1);
      expect(got?.headers['x-herald-message-id']).toBe(msg.messageId);
      expect(sink.logins).toEqual([expect.objectContaining({ method: 'XOAUTH2', user: PMO, ok: true })]);
      expect(ms.grants.map((g) => g.scope)).toEqual([OUTLOOK_SCOPE]);
      await channel.send(outbound());
      expect(ms.grants).toHaveLength(1);
    } finally {
      await channel.close();
    }
    // A new connection with a revoked token: nodemailer asks again with renew, msal-node skips its cache.
    ms.expireTokens();
    const again = createEmailChannel({
      smtpUrl: `smtp://${encodeURIComponent(PMO)}@127.0.0.1:${sink.port}`,
      from: `Herald <${PMO}>`,
      messageIdDomain: 'herald.test',
      oauth2: { user: PMO, token: ({ renew }) => tokens(OUTLOOK_SCOPE, { renew }) },
    });
    try {
      await again.send(outbound());
      // The cached token was refused once (RFC 7628 challenge), then a fresh one logged in.
      expect(sink.logins.slice(1).map((l) => [l.method, l.ok])).toEqual([
        ['XOAUTH2', false],
        ['XOAUTH2', true],
      ]);
      expect(ms.grants).toHaveLength(2);
    } finally {
      await again.close();
    }
  });

  it('turns 550 5.7.30 on a password login into one line: Basic Auth is off, use OAuth2 or Graph', async () => {
    const channel = createEmailChannel({
      smtpUrl: `smtp://${encodeURIComponent(PMO)}:hunter2@127.0.0.1:${sink.port}`,
      from: `Herald <${PMO}>`,
      messageIdDomain: 'herald.test',
    });
    try {
      const e = await channel.send(outbound()).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(ChannelError);
      expect(e).toMatchObject({ reason: 'basic_auth_disabled', retryable: false, message: BASIC_AUTH_OFF });
      expect(BASIC_AUTH_OFF).not.toContain('\n');
      expect(BASIC_AUTH_OFF).toMatch(/SMTP_AUTH=oauth2.*EMAIL_TRANSPORT=graph.*MS_TENANT_ID, MS_CLIENT_ID and MS_CLIENT_SECRET/);
      expect(sink.logins.at(-1)).toMatchObject({ method: 'PLAIN', ok: false });
    } finally {
      await channel.close();
    }
  });
});
