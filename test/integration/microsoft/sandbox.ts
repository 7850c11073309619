import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { OutboundMessage } from '../../../src/channels/channel.ts';
import { startMicrosoftSandbox, type MicrosoftSandbox, type MicrosoftSandboxOptions, type SandboxApp } from '../../../src/sandbox/microsoft-server.ts';

/** The tenant of the Microsoft tests: one app with a secret scoped to the PMO mailbox, one with a certificate. */
export const TENANT = '7f3c1d52-9a4e-4b8f-a1c2-3d4e5f6a7b8c';
export const SECRET_APP = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const CERT_APP = '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';
export const SECRET = 'sbx~secret.value-0123456789';
export const PMO = 'pmo@contoso.example';
export const OPS = 'ops@contoso.example';

export function msTls() {
  return inject('heraldMsTls');
}

export async function startTenant(over: Partial<MicrosoftSandboxOptions> & { secretApp?: Partial<SandboxApp> } = {}): Promise<MicrosoftSandbox> {
  const tls = msTls();
  return startMicrosoftSandbox({
    tls: { cert: readFileSync(tls.certPath, 'utf8'), key: readFileSync(tls.keyPath, 'utf8') },
    tenantId: TENANT,
    apps: [
      { clientId: SECRET_APP, secret: SECRET, permissions: ['Mail.Send', 'Mail.ReadWrite', 'SMTP.SendAsApp'], mailboxes: [PMO], ...over.secretApp },
      { clientId: CERT_APP, certificatePem: readFileSync(tls.clientPemPath, 'utf8'), permissions: ['Mail.Send'] },
    ],
    mailboxes: [PMO, OPS],
    ...over,
  });
}

/** The MS_* settings of the secret app against a sandbox tenant. */
export function msEnv(ms: Pick<MicrosoftSandbox, 'url'>) {
  return { MS_TENANT_ID: TENANT, MS_CLIENT_ID: SECRET_APP, MS_CLIENT_SECRET: SECRET, MS_AUTHORITY_HOST: ms.url, MS_GRAPH_URL: ms.url };
}

export function outbound(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    messageId: crypto.randomUUID(),
    projectKey: 'p',
    commKey: 'c',
    optional: false,
    recipient: { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', timezone: 'Europe/London', locale: 'en' },
    sender: { email: `PMO <${PMO}>` },
    rendered: { channel: 'email', subject: 'Cutover this weekend', text: 'Plain words.', html: '<p>Plain <b>words</b>.</p>' },
    ...over,
  };
}
