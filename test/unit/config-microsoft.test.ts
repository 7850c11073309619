import { describe, expect, it } from 'vitest';
import { loadConfig, microsoftApp } from '../../src/config/config.ts';
import { ConfigError } from '../../src/domain/errors.ts';

const TENANT = '7f3c1d52-9a4e-4b8f-a1c2-3d4e5f6a7b8c';
const CLIENT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const app = { MS_TENANT_ID: TENANT, MS_CLIENT_ID: CLIENT, MS_CLIENT_SECRET: 'sbx~secret' };

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('Microsoft 365 configuration', () => {
  it('defaults: smtp when SMTP_URL is set, no e-mail transport otherwise, Microsoft hosts, 30 s polling', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://u:p@mail.example:587' }).EMAIL_TRANSPORT).toBe('smtp');
    const c = loadConfig({});
    expect(c.EMAIL_TRANSPORT).toBeUndefined();
    expect(c).toMatchObject({
      SMTP_AUTH: 'password',
      MS_AUTHORITY_HOST: 'https://login.microsoftonline.com',
      MS_GRAPH_URL: 'https://graph.microsoft.com',
      INBOUND_GRAPH_POLL_SECONDS: 30,
    });
  });

  it('accepts Graph sending with a secret or a certificate, and gives the app as one value', () => {
    const c = loadConfig({ EMAIL_TRANSPORT: 'graph', ...app, MS_AUTHORITY_HOST: 'https://login.microsoftonline.us/' });
    expect(microsoftApp(c)).toEqual({
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: 'sbx~secret',
      authorityHost: 'https://login.microsoftonline.us',
      graphUrl: 'https://graph.microsoft.com',
    });
    const cert = loadConfig({ EMAIL_TRANSPORT: 'graph', MS_TENANT_ID: TENANT, MS_CLIENT_ID: CLIENT, MS_CLIENT_CERTIFICATE_PATH: '/run/secrets/herald.pem' });
    expect(microsoftApp(cert)?.certificatePath).toBe('/run/secrets/herald.pem');
    expect(loadConfig({ SMTP_URL: 'smtp://pmo%40contoso.com@smtp.office365.com:587', SMTP_AUTH: 'oauth2', ...app }).SMTP_AUTH).toBe('oauth2');
    expect(loadConfig({ INBOUND_GRAPH_MAILBOX: 'pmo@contoso.com', ...app }).INBOUND_GRAPH_MAILBOX).toBe('pmo@contoso.com');
  });

  it.each([
    [{ EMAIL_TRANSPORT: 'ses' }, /^EMAIL_TRANSPORT: must be smtp or graph/],
    [{ SMTP_AUTH: 'ntlm' }, /^SMTP_AUTH: must be password or oauth2/],
    [{ EMAIL_TRANSPORT: 'smtp' }, /^SMTP_URL: required with EMAIL_TRANSPORT=smtp/],
    [{ EMAIL_TRANSPORT: 'graph' }, /^MS_TENANT_ID: required with EMAIL_TRANSPORT=graph/],
    [{ EMAIL_TRANSPORT: 'graph', MS_TENANT_ID: TENANT }, /^MS_CLIENT_ID: required with EMAIL_TRANSPORT=graph/],
    [
      { EMAIL_TRANSPORT: 'graph', MS_TENANT_ID: TENANT, MS_CLIENT_ID: CLIENT },
      /^MS_CLIENT_SECRET: required with EMAIL_TRANSPORT=graph, or MS_CLIENT_CERTIFICATE_PATH/,
    ],
    [{ EMAIL_TRANSPORT: 'graph', ...app, MS_CLIENT_CERTIFICATE_PATH: '/x.pem' }, /^MS_CLIENT_CERTIFICATE_PATH: set either/],
    [{ SMTP_AUTH: 'oauth2', ...app }, /^SMTP_URL: required with SMTP_AUTH=oauth2/],
    [{ SMTP_AUTH: 'oauth2', SMTP_URL: 'smtp://smtp.office365.com:587', ...app }, /^SMTP_URL: with SMTP_AUTH=oauth2 name the mailbox user/],
    [
      { SMTP_AUTH: 'oauth2', SMTP_URL: 'smtp://pmo%40contoso.com:pw@smtp.office365.com:587', ...app },
      /^SMTP_URL: with SMTP_AUTH=oauth2 leave the password out/,
    ],
    [{ SMTP_AUTH: 'oauth2', SMTP_URL: 'smtp://pmo%40contoso.com@smtp.office365.com:587' }, /^MS_TENANT_ID: required with SMTP_AUTH=oauth2/],
    [{ INBOUND_GRAPH_MAILBOX: 'pmo@contoso.com', MS_TENANT_ID: TENANT }, /^MS_CLIENT_ID: required with INBOUND_GRAPH_MAILBOX/],
    [{ INBOUND_GRAPH_MAILBOX: 'not an address', ...app }, /^INBOUND_GRAPH_MAILBOX: must be the reply mailbox address/],
    [{ MS_CLIENT_ID: 'abc' }, /^MS_CLIENT_ID: must be the application \(client\) id, a GUID/],
    [{ MS_AUTHORITY_HOST: 'http://login.example' }, /^MS_AUTHORITY_HOST: must be a URL starting with https:\/\//],
    [{ MS_CLIENT_ID: CLIENT }, /^MS_TENANT_ID: required with the other MS_\* settings/],
  ])('%j fails at start with one line naming the variable', (env, message) => {
    expect(failure(env as Record<string, string>)).toMatch(message);
  });

  it('never prints the client secret', () => {
    expect(failure({ EMAIL_TRANSPORT: 'graph', MS_CLIENT_ID: CLIENT, MS_CLIENT_SECRET: 'sbx~very-secret' })).not.toContain('very-secret');
  });
});
