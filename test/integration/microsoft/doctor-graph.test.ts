import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicrosoftSandbox } from '../../../src/sandbox/microsoft-server.ts';
import { startSmtpSink } from '../../../src/sandbox/smtp-sink.ts';
import { runCli } from '../../support/cli.ts';
import { byName, doctorJson } from '../../support/doctor.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';
import { msEnv, OPS, PMO, SECRET_APP, startTenant } from './sandbox.ts';

/**
 * `herald doctor` with Microsoft 365 (issue 18 item 5): the app's token, each project's sender
 * mailbox through Graph (found, Mail.Send granted, allowed by RBAC for Applications), the reply
 * mailbox's inbox, and the XOAUTH2 SMTP login, against the Microsoft sandbox with msal-node and
 * Herald's Graph client. Each setup mistake gives its own line and fix; nothing is ever sent.
 */
let db: TestDatabase;
let dir: string;
const tenants: MicrosoftSandbox[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'herald-doctor-graph-'));
  // One project whose sender is the tenant's PMO mailbox.
  const plan = (await readFile('test/fixtures/plans/delivery.plan.yaml', 'utf8')).replaceAll('pmo@herald.example', PMO);
  await writeFile(path.join(dir, 'plan.yaml'), plan);
  const applied = await runCli(['apply', path.join(dir, 'plan.yaml')], { DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
  expect(applied.code, applied.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  for (const t of tenants) await t.close();
  await rm(dir, { recursive: true, force: true });
  await db.close();
  await db.drop();
});

async function tenant(over: Parameters<typeof startTenant>[0] = {}): Promise<MicrosoftSandbox> {
  const t = await startTenant(over);
  tenants.push(t);
  return t;
}

function graphEnv(ms: MicrosoftSandbox, over: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    EMAIL_TRANSPORT: 'graph',
    ...msEnv(ms),
    INBOUND_GRAPH_MAILBOX: PMO,
    PUBLIC_URL: 'https://herald.contoso.example',
    HERALD_SECRET: 'doctor-graph-test-4c1d9e7a2b',
    LOG_LEVEL: 'silent',
    ...over,
  };
}

describe('herald doctor with Microsoft 365', { timeout: 60_000 }, () => {
  it('a good Graph setup: token, sender mailbox and reply mailbox all OK, and nothing sent', async () => {
    const ms = await tenant();
    const r = await doctorJson(graphEnv(ms));
    expect(r.checks.map((c) => [c.name, c.status])).toEqual([
      ['database', 'ok'],
      ['redis', 'ok'],
      ['microsoft-token', 'ok'],
      ['graph-send', 'ok'],
      ['graph-inbox', 'ok'],
      ['public-url', 'ok'],
      ['secret', 'ok'],
    ]);
    expect(r.code).toBe(0);
    expect(byName(r.checks, 'microsoft-token')?.message).toBe(`app ${SECRET_APP} granted a token for ${ms.url} with Mail.Send, Mail.ReadWrite, SMTP.SendAsApp`);
    expect(byName(r.checks, 'graph-send')?.message).toBe(`${PMO}: mailbox found, Mail.Send granted`);
    expect(byName(r.checks, 'graph-inbox')?.message).toContain(`${PMO}: inbox readable`);
    // The sendMail probe carried no recipient: refused, nothing sent; one token served every check.
    expect(ms.sent).toHaveLength(0);
    expect(ms.requests.filter((q) => q.endpoint === 'sendMail').map((q) => q.status)).toEqual([400]);
    expect(ms.grants).toHaveLength(1);
  });

  it('a wrong client secret: the token line fails with the AADSTS hint, the mailbox lines point to it', async () => {
    const ms = await tenant();
    const r = await doctorJson(graphEnv(ms, { MS_CLIENT_SECRET: 'not-the-secret' }));
    expect(r.code).toBe(1);
    expect(byName(r.checks, 'microsoft-token')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('AADSTS7000215'),
      fix: expect.stringContaining("use the secret's Value, not its Secret ID"),
    });
    expect(byName(r.checks, 'graph-send')).toMatchObject({ status: 'fail', fix: 'fix the microsoft-token line first' });
    expect(JSON.stringify(r.checks)).not.toContain('not-the-secret');
  });

  it('an expired client secret gives its own hint', async () => {
    const ms = await tenant({ secretApp: { secretExpired: true } });
    const r = await doctorJson(graphEnv(ms));
    expect(byName(r.checks, 'microsoft-token')).toMatchObject({ status: 'fail', fix: expect.stringContaining('the client secret has expired') });
  });

  it('Mail.Send granted neither in Entra (the token’s roles) nor by Exchange: the consent hint', async () => {
    const ms = await tenant({ secretApp: { permissions: ['Mail.ReadWrite'] } });
    const r = await doctorJson(graphEnv(ms));
    expect(r.code).toBe(1);
    expect(byName(r.checks, 'graph-send')).toMatchObject({
      status: 'fail',
      message: `${PMO}: Mail.Send is not granted to the app (not in its token's roles, and Exchange denies the mailbox: 403 ErrorAccessDenied)`,
      fix: expect.stringContaining('grant admin consent'),
    });
    expect(byName(r.checks, 'graph-inbox')?.status).toBe('ok');
  });

  it('a sender mailbox that does not exist in the tenant', async () => {
    const ms = await tenant({ mailboxes: [OPS] });
    const r = await doctorJson(graphEnv(ms, { INBOUND_GRAPH_MAILBOX: OPS, MS_CLIENT_ID: SECRET_APP }));
    expect(byName(r.checks, 'graph-send')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(new RegExp(`^${PMO}: no such mailbox in the tenant \\(ErrorInvalidUser`)),
      fix: expect.stringContaining('project.sender.email'),
    });
  });

  it('a sender mailbox the app may not use (RBAC for Applications scoped elsewhere): the RBAC hint', async () => {
    const ms = await tenant({ secretApp: { mailboxes: [OPS] } });
    const r = await doctorJson(graphEnv(ms, { INBOUND_GRAPH_MAILBOX: OPS }));
    expect(r.code).toBe(1);
    expect(byName(r.checks, 'graph-send')).toMatchObject({
      status: 'fail',
      message: `${PMO}: Mail.Send is granted but Exchange denies the app this mailbox (403 ErrorAccessDenied)`,
      fix: expect.stringContaining('RBAC for Applications'),
    });
    expect(byName(r.checks, 'graph-inbox')?.status).toBe('ok');
    expect(ms.sent).toHaveLength(0);
  });

  it('a reply mailbox that cannot be read (outside the app’s scope); with Mail.Read only, a warning that mail cannot be marked read', async () => {
    const ms = await tenant();
    const denied = await doctorJson(graphEnv(ms, { INBOUND_GRAPH_MAILBOX: OPS }));
    expect(denied.code).toBe(1);
    expect(byName(denied.checks, 'graph-inbox')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(`${OPS}: Mail.ReadWrite is granted but Exchange denies the app this mailbox`),
      fix: expect.stringContaining("'Application Mail.ReadWrite'"),
    });
    const readOnly = await tenant({ secretApp: { permissions: ['Mail.Send', 'Mail.Read'] } });
    const r = await doctorJson(graphEnv(readOnly));
    expect(byName(r.checks, 'graph-inbox')).toMatchObject({
      status: 'warn',
      message: `${PMO}: inbox readable, but Mail.ReadWrite is not in the token's roles (Mail.Read cannot mark mail read)`,
    });
    expect(byName(r.checks, 'graph-send')?.status).toBe('ok');
  });

  it('SMTP_AUTH=oauth2: the XOAUTH2 login succeeds; a refused one says what to grant', async () => {
    const ms = await tenant();
    const sink = await startSmtpSink({
      auth: { basicAuthDisabled: true, xoauth2: (user, token) => user === PMO && ms.checkToken(token, 'https://outlook.office365.com') === SECRET_APP },
    });
    try {
      const {
        EMAIL_TRANSPORT: _,
        INBOUND_GRAPH_MAILBOX: __,
        ...env
      } = graphEnv(ms, { SMTP_AUTH: 'oauth2', SMTP_URL: `smtp://${encodeURIComponent(PMO)}@127.0.0.1:${sink.port}` });
      const r = await doctorJson(env);
      expect(r.checks.map((c) => c.name)).toEqual(['database', 'redis', 'microsoft-token', 'smtp', 'public-url', 'secret']);
      expect(byName(r.checks, 'microsoft-token')?.message).toContain('https://outlook.office365.com');
      expect(byName(r.checks, 'smtp')).toMatchObject({ status: 'ok', message: expect.stringContaining('logged in with XOAUTH2') });
      expect(r.code).toBe(0);
      const wrongUser = await doctorJson({ ...env, SMTP_URL: `smtp://${encodeURIComponent(OPS)}@127.0.0.1:${sink.port}` });
      expect(byName(wrongUser.checks, 'smtp')).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('XOAUTH2 login refused'),
        fix: expect.stringContaining('SMTP.SendAsApp'),
      });
      // A password login where Basic Auth is off: the 5.7.30 line.
      const { SMTP_AUTH: ___, ...password } = env;
      const basic = await doctorJson({ ...password, SMTP_URL: `smtp://${encodeURIComponent(PMO)}:hunter2@127.0.0.1:${sink.port}` });
      expect(byName(basic.checks, 'smtp')).toMatchObject({ status: 'fail', fix: expect.stringContaining('SMTP_AUTH=oauth2') });
      expect(sink.messages).toHaveLength(0);
    } finally {
      await sink.close();
    }
  });

  it('bin/herald.js doctor, the CA trusted through the inherited NODE_EXTRA_CA_CERTS', async () => {
    const ms = await tenant();
    const env = { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '', ...graphEnv(ms) };
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/herald.js', 'doctor'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stdout }));
    });
    expect(r.stdout).toMatch(/^OK +microsoft-token/m);
    expect(r.stdout).toMatch(/^OK +graph-send +pmo@contoso\.example: mailbox found, Mail\.Send granted/m);
    expect(r.code).toBe(0);
  });
});
