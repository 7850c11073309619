/**
 * A throw-away Dovecot IMAP server for tests (recipe: /work/shared/recipes/README.md). Installs
 * `dovecot-imapd` from Debian when the binary is missing; if that fails the test fails: it is
 * never skipped. Mailboxes take PLAIN logins, and XOAUTH2 when an OAuth2 introspection URL is
 * given (Dovecot's oauth2 passdb asks that URL whether a token is valid and whose it is).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './serve-process.ts';

const DOVECOT = '/usr/sbin/dovecot';

export function ensureDovecot(): void {
  if (existsSync(DOVECOT)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-q', 'dovecot-imapd'], { env, stdio: 'pipe' });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { env, stdio: 'pipe' });
    r = spawnSync('apt-get', ['install', '-y', '-q', 'dovecot-imapd'], { env, stdio: 'pipe' });
  }
  if (r.status !== 0 || !existsSync(DOVECOT)) {
    throw new Error(`the IMAP tests need Dovecot: "apt-get install -y dovecot-imapd" failed: ${String(r.stderr).slice(-400)}`);
  }
}

export interface Dovecot {
  port: number;
  /** `imap://user:password@127.0.0.1:port/INBOX`, user and password URL-encoded. */
  url(user: string, password?: string): string;
  stop(): Promise<void>;
}

export async function startDovecot(opts: { users: Record<string, string>; oauth2IntrospectionUrl?: string }): Promise<Dovecot> {
  ensureDovecot();
  const dir = mkdtempSync(join(tmpdir(), 'herald-dovecot-'));
  chmodSync(dir, 0o755);
  for (const d of ['mail', 'run', 'state']) mkdirSync(join(dir, d));
  const ids = execFileSync('id', ['-u', 'dovecot']).toString().trim();
  const gid = execFileSync('id', ['-g', 'dovecot']).toString().trim();
  chownSync(join(dir, 'mail'), Number(ids), Number(gid));
  writeFileSync(
    join(dir, 'users'),
    Object.entries(opts.users)
      .map(([u, p]) => `${u}:{PLAIN}${p}\n`)
      .join(''),
  );
  const port = await freePort();
  const oauth = opts.oauth2IntrospectionUrl;
  if (oauth) {
    writeFileSync(
      join(dir, 'oauth2.conf.ext'),
      `introspection_url = ${oauth}\nintrospection_mode = post\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`,
    );
  }
  const conf = `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${oauth ? ' xoauth2 oauthbearer' : ''}
mail_location = maildir:${dir}/mail/%u
${oauth ? `passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = ${dir}/oauth2.conf.ext\n}\n` : ''}passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    port = ${port}
  }
}
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 0
`;
  writeFileSync(join(dir, 'dovecot.conf'), conf);
  // In the foreground (-F) the server is this process's child: it cannot outlive the test
  // unnoticed, and stopping it is a kill of a known pid.
  const child = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = (): string => `${stderr}${existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8').slice(-800) : ''}`;
  // Wait until it accepts connections.
  const { connect } = await import('node:net');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.setTimeout(2_000, () => {
        s.destroy();
        resolve(false);
      });
      s.once('data', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`dovecot did not listen on ${port}: ${log()}`);
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  return {
    port,
    url: (user, password) => `imap://${encodeURIComponent(user)}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@127.0.0.1:${port}/INBOX`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((res) => setTimeout(res, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
