import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/app/doctor/check.ts';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack-server.ts';
import { startSmtpSink, type SmtpSink } from '../../../src/sandbox/smtp-sink.ts';
import { runCli } from '../../support/cli.ts';
import { byName, doctorJson } from '../../support/doctor.ts';
import { createEmptyTestDatabase, createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { startDovecot } from '../../support/dovecot.ts';
import { privateRedis } from '../../support/private-redis.ts';
import { TEST_REDIS_URL } from '../../support/run-id.ts';

/**
 * `herald doctor` (issue 18 item 5) against real services: a migrated PostgreSQL database, the
 * shared Redis (noeviction), the Slack sandbox (auth.test with x-oauth-scopes) and an SMTP server
 * that asks for a login. Then each broken in turn: one line names it and says how to fix it, and
 * the exit code is 1. Nothing is ever sent: the sandboxes record no message.
 */
const TOKEN = 'xoxb-doctor-test';
let db: TestDatabase;
let slack: SlackSandbox;
let sink: SmtpSink;
let authSmtp: SMTPServer;
let authSmtpPort: number;
const cleanups: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  db = await createTestDatabase();
  slack = await startSlackSandbox({ token: TOKEN });
  sink = await startSmtpSink();
  // An SMTP server that requires a login and accepts only pmo / right-password.
  authSmtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'pmo' && auth.password === 'right-password') cb(null, { user: 'pmo' });
      else cb(Object.assign(new Error('5.7.8 Authentication unsuccessful'), { responseCode: 535 }));
    },
  });
  await new Promise<void>((r) => authSmtp.listen(0, '127.0.0.1', () => r()));
  authSmtpPort = (authSmtp.server.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  for (const c of cleanups) await c();
  await new Promise<void>((r) => authSmtp.close(() => r()));
  await sink.close();
  await slack.close();
  await db.close();
  await db.drop();
});

function goodEnv(): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_API_URL: slack.url,
    SMTP_URL: `smtp://pmo:right-password@127.0.0.1:${authSmtpPort}`,
    PUBLIC_URL: 'https://herald.northwind.example',
    HERALD_SECRET: 'doctor-test-9f3b2c7e1a4d6085',
    LOG_LEVEL: 'silent',
  };
}

describe('herald doctor', { timeout: 60_000 }, () => {
  it('on a good setup: one OK line per part, exit 0, and nothing sent to anyone', async () => {
    const r = await runCli(['doctor'], goodEnv());
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['OK database', 'OK redis', 'OK slack', 'OK smtp', 'OK public-url', 'OK secret']);
    expect(r.stdout).toContain('token valid (herald in Herald Sandbox) with chat:write, users:read, users:read.email');
    expect(slack.messages).toHaveLength(0);
    expect(sink.messages).toHaveLength(0);
    expect(slack.callsTo('auth.test').length).toBeGreaterThan(0);
  });

  it('a bad DATABASE_URL fails the database line', async () => {
    const r = await doctorJson({ ...goodEnv(), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
    expect(r.code).toBe(1);
    expect(r.status).toBe('fail');
    expect(byName(r.checks, 'database')).toMatchObject({ status: 'fail', message: expect.stringMatching(/^DATABASE_URL unreachable/) });
    expect(byName(r.checks, 'redis')?.status).toBe('ok');
  });

  it('an unmigrated database: reachable, but migrations not applied, with the command to run', async () => {
    const empty = await createEmptyTestDatabase();
    cleanups.push(() => empty.drop());
    const r = await doctorJson({ ...goodEnv(), DATABASE_URL: empty.url });
    expect(r.code).toBe(1);
    expect(byName(r.checks, 'database')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/^reachable, but \d+ migrations not applied \(first: \d+_init\)$/),
      fix: expect.stringContaining('herald db migrate'),
    });
  });

  it('a Redis that evicts keys (allkeys-lru, a private redis-server) fails the redis line', async () => {
    const lru = await privateRedis(['--maxmemory-policy', 'allkeys-lru']);
    cleanups.push(() => {
      lru.redis.disconnect();
      lru.proc.kill();
    });
    const r = await doctorJson({ ...goodEnv(), REDIS_URL: lru.url });
    expect(r.code).toBe(1);
    expect(byName(r.checks, 'redis')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('maxmemory-policy is "allkeys-lru", not "noeviction"'),
      fix: expect.stringContaining('maxmemory-policy noeviction'),
    });
  });

  it('an unreachable Redis fails the redis line', async () => {
    const r = await doctorJson({ ...goodEnv(), REDIS_URL: 'redis://127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(byName(r.checks, 'redis')).toMatchObject({ status: 'fail', message: expect.stringMatching(/^REDIS_URL unreachable/) });
  });

  it('a bad Slack token, and a token without the scopes Herald uses', async () => {
    const bad = await doctorJson({ ...goodEnv(), SLACK_BOT_TOKEN: 'xoxb-wrong' });
    expect(bad.code).toBe(1);
    expect(byName(bad.checks, 'slack')).toMatchObject({ status: 'fail', message: 'SLACK_BOT_TOKEN refused by auth.test: invalid_auth' });
    const narrow = await startSlackSandbox({ token: TOKEN, scopes: ['chat:write'] });
    cleanups.push(() => narrow.close());
    const r = await doctorJson({ ...goodEnv(), SLACK_API_URL: narrow.url });
    expect(byName(r.checks, 'slack')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('missing scopes users:read, users:read.email'),
      fix: expect.stringContaining('Bot Token Scopes'),
    });
  });

  it('an SMTP login refused, and an SMTP server that cannot be reached', async () => {
    const refused = await doctorJson({ ...goodEnv(), SMTP_URL: `smtp://pmo:wrong-password@127.0.0.1:${authSmtpPort}` });
    expect(refused.code).toBe(1);
    expect(byName(refused.checks, 'smtp')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/^smtp:\/\/pmo@127\.0\.0\.1:\d+: login refused: .*535/),
      fix: expect.stringContaining('SMTP_URL'),
    });
    // The password never appears in what doctor prints.
    expect(JSON.stringify(refused.checks)).not.toContain('wrong-password');
    const down = await doctorJson({ ...goodEnv(), SMTP_URL: 'smtp://127.0.0.1:1' });
    expect(byName(down.checks, 'smtp')).toMatchObject({ status: 'fail', message: expect.stringContaining('cannot connect') });
  });

  it('IMAP: the reply mailbox readable (Dovecot), and a refused login', async () => {
    const dovecot = await startDovecot({ users: { 'pmo@northwind.example': 'imap-password' } });
    cleanups.push(() => dovecot.stop());
    const good = await doctorJson({ ...goodEnv(), IMAP_URL: dovecot.url('pmo@northwind.example', 'imap-password') });
    expect(good.code).toBe(0);
    expect(byName(good.checks, 'imap')).toMatchObject({ status: 'ok', message: expect.stringMatching(/mailbox INBOX readable \(0 messages\)$/) });
    const refused = await doctorJson({ ...goodEnv(), IMAP_URL: dovecot.url('pmo@northwind.example', 'wrong') });
    expect(refused.code).toBe(1);
    expect(byName(refused.checks, 'imap')).toMatchObject({ status: 'fail', message: expect.stringContaining('login refused') });
    expect(JSON.stringify(refused.checks)).not.toContain('wrong');
  });

  it('an http PUBLIC_URL is a warning (no one-click unsubscribe), not a failure: exit 0', async () => {
    const r = await doctorJson({ ...goodEnv(), PUBLIC_URL: 'http://herald.northwind.example' });
    expect(r.code).toBe(0);
    expect(r.status).toBe('warn');
    expect(byName(r.checks, 'public-url')).toMatchObject({ status: 'warn', message: expect.stringContaining('RFC 8058 needs https') });
  });

  it('a placeholder HERALD_SECRET, and none at all', async () => {
    const placeholder = await doctorJson({ ...goodEnv(), HERALD_SECRET: 'change-me-to-a-long-random-secret' });
    expect(placeholder.code).toBe(1);
    expect(placeholder.checks).toEqual([
      expect.objectContaining({ name: 'config', status: 'fail', message: expect.stringContaining('HERALD_SECRET: is a published placeholder') }),
    ]);
    const { HERALD_SECRET: _, ...unset } = goodEnv();
    const none = await doctorJson(unset);
    expect(byName(none.checks, 'secret')).toMatchObject({ status: 'fail', fix: expect.stringContaining('openssl rand -hex 24') });
  });
});

describe('bin/herald.js doctor', { timeout: 60_000 }, () => {
  function run(env: Record<string, string>, args: string[]): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/herald.js', 'doctor', ...args], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stdout }));
    });
  }

  it('exits 0 on a good setup and 1 with --format json naming what failed', async () => {
    const good = await run(goodEnv(), []);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^OK {4}database/m);
    const bad = await run({ ...goodEnv(), SLACK_BOT_TOKEN: 'xoxb-wrong' }, ['--format', 'json']);
    expect(bad.code).toBe(1);
    const body = JSON.parse(bad.stdout) as { status: string; checks: CheckResult[] };
    expect(body.status).toBe('fail');
    expect(body.checks.filter((c) => c.status === 'fail').map((c) => c.name)).toEqual(['slack']);
  });
});
