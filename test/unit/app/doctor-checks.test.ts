import { describe, expect, it } from 'vitest';
import { overallStatus, runChecks, type Check } from '../../../src/app/doctor/check.ts';
import { publicUrlCheck } from '../../../src/app/doctor/config-checks.ts';
import { graphInboxCheck, graphSendCheck, tokenRoles } from '../../../src/app/doctor/microsoft-checks.ts';
import { imapCheck, smtpCheck } from '../../../src/app/doctor/service-checks.ts';

/** The checks' verdicts from what their probes report (the probes themselves are exercised in test/integration/cli/doctor.test.ts). */
const rejecting = (props: Record<string, unknown>) => async () => {
  throw Object.assign(new Error(String(props.message ?? 'error')), props);
};

describe('doctor checks', () => {
  it('runChecks keeps the order, and turns a throw or a hang into a failing line', async () => {
    const checks: Check[] = [
      { name: 'fine', run: async () => ({ status: 'ok', message: 'fine' }) },
      { name: 'throws', run: rejecting({ message: 'boom\nsecond line' }) },
      { name: 'hangs', run: () => new Promise(() => {}) },
    ];
    const results = await runChecks(checks, { timeoutMs: 100 });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['fine', 'ok'],
      ['throws', 'fail'],
      ['hangs', 'fail'],
    ]);
    expect(results[1]!.message).toBe('boom');
    expect(results[2]!.message).toBe('no answer within 0.1 s');
    expect(overallStatus(results)).toBe('fail');
    expect(overallStatus([results[0]!, { name: 'w', status: 'warn', message: '' }])).toBe('warn');
  });

  it('SMTP: a 5.7.30 names Basic Auth being off; a 535 is a refused login; ECONNREFUSED cannot connect', async () => {
    const basicOff = await runChecks([
      smtpCheck(rejecting({ code: 'EAUTH', response: '535 5.7.30 Basic authentication is disabled', responseCode: 535 }), 'smtp://pmo@smtp.office365.com:587'),
    ]);
    expect(basicOff[0]).toMatchObject({ status: 'fail', message: expect.stringContaining('Basic Auth'), fix: expect.stringContaining('SMTP_AUTH=oauth2') });
    const refused = await runChecks([smtpCheck(rejecting({ code: 'EAUTH', response: '535 5.7.8 Authentication unsuccessful' }), 'smtp://x@h:587')]);
    expect(refused[0]).toMatchObject({ status: 'fail', message: 'smtp://x@h:587: login refused: 535 5.7.8 Authentication unsuccessful' });
    const down = await runChecks([smtpCheck(rejecting({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:25' }), 'smtp://h:25')]);
    expect(down[0]!.message).toContain('cannot connect');
  });

  it('IMAP: a readable mailbox, a refused login, and a missing mailbox', async () => {
    const [good] = await runChecks([imapCheck(async () => ({ mailbox: 'INBOX', messages: 3 }), 'imaps://pmo@imap.example:993')]);
    expect(good).toMatchObject({ status: 'ok', message: 'imaps://pmo@imap.example:993: mailbox INBOX readable (3 messages)' });
    const [login] = await runChecks([imapCheck(rejecting({ message: 'Command failed', authenticationFailed: true }), 'imap://pmo@h:143')]);
    expect(login).toMatchObject({ status: 'fail', message: 'imap://pmo@h:143: login refused: Command failed', fix: expect.stringContaining('IMAP_URL') });
    const [missing] = await runChecks([imapCheck(rejecting({ message: 'Mailbox does not exist' }), 'imap://pmo@h:143')]);
    expect(missing).toMatchObject({ status: 'fail', message: expect.stringContaining('cannot read the mailbox') });
  });

  it('PUBLIC_URL: https is OK, http and localhost warn', async () => {
    const results = await runChecks(['https://herald.example.com', 'http://herald.example.com', 'http://localhost:3000'].map(publicUrlCheck));
    expect(results.map((r) => r.status)).toEqual(['ok', 'warn', 'warn']);
    expect(results[2]!.message).toContain('this machine only');
  });

  it('Microsoft: roles read from a JWT (undefined for an opaque token); Exchange-only grants, opaque tokens and no projects', async () => {
    const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    expect(tokenRoles(jwt({ roles: ['Mail.Send', 7] }))).toEqual(['Mail.Send']);
    expect(tokenRoles(jwt({ appid: 'x' }))).toEqual([]);
    expect(tokenRoles('EwBwA8l6BAAU-opaque')).toBeUndefined();
    const mailboxes = async () => ['pmo@contoso.example'];
    const sendOk = async () => {};
    // Mail.Send assigned by RBAC for Applications never shows in the token: the probe decides.
    const rbac = await graphSendCheck({ token: async () => ({ roles: [] }), mailboxes, send: sendOk }).run();
    expect(rbac).toMatchObject({ status: 'ok', message: 'pmo@contoso.example: mailbox found, Mail.Send granted by Exchange (RBAC for Applications)' });
    const opaque = await graphSendCheck({ token: async () => ({}), mailboxes, send: sendOk }).run();
    expect(opaque.message).toContain('the token does not list its roles');
    const none = await graphSendCheck({ token: async () => ({ roles: ['Mail.Send'] }), mailboxes: async () => [], send: sendOk }).run();
    expect(none).toMatchObject({ status: 'warn', fix: expect.stringContaining('herald apply') });
    const down = await graphSendCheck({
      token: async () => ({ roles: ['Mail.Send'] }),
      mailboxes,
      send: rejecting({ status: 0, code: 'network', message: 'Microsoft Graph unreachable' }),
    }).run();
    expect(down).toMatchObject({ status: 'fail', message: 'pmo@contoso.example: Microsoft Graph unreachable', fix: expect.stringContaining('MS_GRAPH_URL') });
    const inbox = await graphInboxCheck(
      { token: async () => ({ roles: ['Mail.Send'] }), read: rejecting({ status: 403, code: 'ErrorAccessDenied', message: 'Access is denied.' }) },
      'it@contoso.example',
    ).run();
    expect(inbox).toMatchObject({ status: 'fail', message: expect.stringContaining('Mail.ReadWrite is not granted to the app') });
  });
});
