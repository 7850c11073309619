import { fail, ok, warn, type Check } from './check.ts';

/**
 * The checks of the services a deployment needs. Each takes a probe (built in src/main/doctor.ts)
 * that talks to the service and throws when it cannot; the check turns the facts into one line.
 */

function errorText(e: unknown): string {
  const err = e as { message?: unknown; code?: unknown; response?: unknown };
  const text = typeof err.response === 'string' ? err.response : typeof err.message === 'string' ? err.message : String(e);
  return text.split('\n')[0]!.slice(0, 200);
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `database`: reachable, and every migration applied. `probe` undefined: the embedded database (no DATABASE_URL). */
export function databaseCheck(probe: (() => Promise<{ pending: string[]; failed: string[] }>) | undefined, dataDir: string): Check {
  return {
    name: 'database',
    async run() {
      if (!probe) {
        return warn(
          `no DATABASE_URL: the embedded database in ${dataDir} serves one process at a time`,
          'for serve and workers together, set DATABASE_URL=postgres://user:pass@host:5432/herald',
        );
      }
      let status: { pending: string[]; failed: string[] };
      try {
        status = await probe();
      } catch (e) {
        return fail(
          `DATABASE_URL unreachable: ${errorText(e)}`,
          'check the host, port, user, password and database name in DATABASE_URL, and that PostgreSQL is running',
        );
      }
      if (status.failed.length) {
        return fail(
          `migration ${status.failed.join(', ')} failed earlier and was left half-applied`,
          'fix the database by hand, then `npx prisma migrate resolve --rolled-back NAME`; see the migration log in _prisma_migrations',
        );
      }
      if (status.pending.length) {
        return fail(
          `reachable, but ${status.pending.length} migration${status.pending.length === 1 ? '' : 's'} not applied (first: ${status.pending[0]})`,
          'run `herald db migrate` (serve and worker also apply them on start)',
        );
      }
      return ok('PostgreSQL reachable, every migration applied');
    },
  };
}

/** `redis`: reachable (PING) and `maxmemory-policy noeviction`. The probe returns the eviction warning line, if any. */
export function redisCheck(probe: () => Promise<{ evictionWarning?: string | undefined }>): Check {
  return {
    name: 'redis',
    async run() {
      let facts: { evictionWarning?: string | undefined };
      try {
        facts = await probe();
      } catch (e) {
        return fail(`REDIS_URL unreachable: ${errorText(e)}`, 'check REDIS_URL (redis://host:6379) and that Redis is running');
      }
      if (facts.evictionWarning) {
        const [message, fix] = facts.evictionWarning.split('; set ');
        return fail(message ?? facts.evictionWarning, fix ? `set ${fix}` : 'set maxmemory-policy noeviction');
      }
      return ok('Redis reachable, maxmemory-policy noeviction (or not readable: CONFIG disabled)');
    },
  };
}

/** The bot scopes Herald calls need (README "Slack"): chat.postMessage/update/postEphemeral, users.info, users.lookupByEmail. */
export const SLACK_SCOPES = ['chat:write', 'users:read', 'users:read.email'] as const;

/** `slack`: the bot token is valid (`auth.test`) and has the scopes Herald uses. */
export function slackCheck(
  probe: () => Promise<{ ok: boolean; error?: string; team?: string; user?: string; scopes?: string[] }>,
  needed: readonly string[] = SLACK_SCOPES,
): Check {
  return {
    name: 'slack',
    async run() {
      let auth: Awaited<ReturnType<typeof probe>>;
      try {
        auth = await probe();
      } catch (e) {
        return fail(`Slack unreachable: ${errorText(e)}`, 'check the network path to slack.com (or SLACK_API_URL)');
      }
      if (!auth.ok) {
        return fail(
          `SLACK_BOT_TOKEN refused by auth.test: ${auth.error ?? 'unknown error'}`,
          'copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions into SLACK_BOT_TOKEN; reinstall the app if it was revoked',
        );
      }
      const who = `${auth.user ?? 'the bot'} in ${auth.team ?? 'the workspace'}`;
      if (!auth.scopes) return warn(`token valid (${who}), but Slack did not say its scopes`, `make sure the bot has ${needed.join(', ')}`);
      const missing = needed.filter((s) => !auth.scopes!.includes(s));
      if (missing.length) {
        return fail(
          `token valid (${who}) but missing scope${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`,
          `add ${missing.join(', ')} under OAuth & Permissions → Bot Token Scopes, then reinstall the app`,
        );
      }
      return ok(`token valid (${who}) with ${needed.join(', ')}`);
    },
  };
}

/** `smtp`: SMTP_URL reachable and its login accepted (nothing is sent). */
export function smtpCheck(probe: () => Promise<void>, where: string, opts: { oauth2?: boolean } = {}): Check {
  return {
    name: 'smtp',
    async run() {
      try {
        await probe();
        return ok(`${where}: connected and logged in${opts.oauth2 ? ' with XOAUTH2' : ''}`);
      } catch (e) {
        const text = errorText(e);
        const code = errorCode(e);
        const hint = (e as { hint?: unknown }).hint;
        // The token for the XOAUTH2 login was refused by Microsoft sign-in: its per-AADSTS hint.
        if (typeof hint === 'string') return fail(`${where}: no token for the XOAUTH2 login: ${text}`, hint);
        if (opts.oauth2 && (code === 'EAUTH' || /^5\d\d/.test(text))) {
          return fail(
            `${where}: XOAUTH2 login refused: ${text}`,
            'grant the app the Office 365 Exchange Online permission SMTP.SendAsApp with admin consent, register its service principal in Exchange (New-ServicePrincipal) with FullAccess to the mailbox, and make the mailbox SMTP_URL\'s user; see README "Microsoft 365"',
          );
        }
        if (/5\.7\.30|basic authentication is disabled/i.test(text)) {
          return fail(
            `${where}: ${text}: Basic Auth (password login) is off for this Microsoft 365 tenant`,
            'send with OAuth2 (SMTP_AUTH=oauth2) or Microsoft Graph (EMAIL_TRANSPORT=graph); see README "Microsoft 365"',
          );
        }
        if (code === 'EAUTH' || /^5\d\d/.test(text)) {
          return fail(
            `${where}: login refused: ${text}`,
            'fix the user and password in SMTP_URL (smtp://user:password@host:587); URL-encode special characters',
          );
        }
        if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'EDNS' || code === 'ESOCKET' || code === 'ECONNECTION') {
          return fail(
            `${where}: cannot connect: ${text}`,
            'check the host and port in SMTP_URL and that this machine may reach it (587 with STARTTLS, 465 with smtps://)',
          );
        }
        return fail(`${where}: ${text}`, 'check SMTP_URL');
      }
    },
  };
}

/** `imap`: the reply mailbox of IMAP_URL can be logged into and opened. */
export function imapCheck(probe: () => Promise<{ mailbox: string; messages: number }>, where: string): Check {
  return {
    name: 'imap',
    async run() {
      try {
        const r = await probe();
        return ok(`${where}: mailbox ${r.mailbox} readable (${r.messages} message${r.messages === 1 ? '' : 's'})`);
      } catch (e) {
        const text = errorText(e);
        const auth = (e as { authenticationFailed?: unknown }).authenticationFailed === true || /auth|login|credential/i.test(text);
        return fail(
          `${where}: ${auth ? 'login refused' : 'cannot read the mailbox'}: ${text}`,
          auth
            ? 'fix the user and password in IMAP_URL, or the IMAP_OAUTH2_* settings'
            : 'check the host, port and mailbox path in IMAP_URL (imaps://user@host:993/INBOX)',
        );
      }
    },
  };
}
