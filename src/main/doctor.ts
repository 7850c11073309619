/**
 * `herald doctor` and the admin detail of `/readyz`: the checks of a deployment, composed from
 * the configuration. The probes (PostgreSQL, Redis, Slack's auth.test, SMTP login, IMAP, msal-node and Microsoft Graph) are built
 * here, the only place adapters are made; the checks themselves are in src/app/doctor/.
 */
import { Redis } from 'ioredis';
import type { Check } from '../app/doctor/check.ts';
import { publicUrlCheck, secretCheck } from '../app/doctor/config-checks.ts';
import { graphInboxCheck, graphSendCheck, microsoftTokenCheck, tokenRoles, type TokenFacts } from '../app/doctor/microsoft-checks.ts';
import { senderMailbox } from '../domain/plan/addresses.ts';
import { buildMicrosoftTokens, defaultFrom, OUTLOOK_SCOPE } from './adapters.ts';
import { databaseCheck, imapCheck, redisCheck, slackCheck, smtpCheck } from '../app/doctor/service-checks.ts';
import type { Config } from '../config/config.ts';
import { evictionPolicyWarning } from '../../jobs/eviction-policy.ts';

/** Where a URL points, without its password. */
function hostOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}`;
}

async function redisFacts(url: string, timeoutMs: number): Promise<{ evictionWarning?: string | undefined }> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return { evictionWarning: await evictionPolicyWarning(redis) };
  } finally {
    redis.disconnect();
  }
}

/** A message with no recipient: sendMail refuses it (400) once the mailbox and the app's right to it are checked, so nothing is sent. */
const UNSENDABLE = Buffer.from('Subject: herald doctor: not sent (no recipient)\r\nContent-Type: text/plain\r\n\r\nherald doctor\r\n').toString('base64');

/**
 * The Microsoft 365 probes, when a setting calls for the MS_* app: one msal-node token source
 * (its cache serves every check), the Graph scope's token and its roles (the Outlook scope's when
 * only SMTP XOAUTH2 uses the app), a sendMail that cannot send, and the reply inbox's delta query.
 */
function microsoftProbes(config: Config, timeoutMs: number) {
  const graphUsed = config.EMAIL_TRANSPORT === 'graph' || config.INBOUND_GRAPH_MAILBOX !== undefined;
  if (!graphUsed && config.SMTP_AUTH !== 'oauth2') return undefined;
  if (!config.MS_TENANT_ID || !config.MS_CLIENT_ID) return undefined;
  const tokens = buildMicrosoftTokens(config);
  const graphUrl = config.MS_GRAPH_URL.replace(/\/+$/, '');
  const scope = graphUsed ? `${graphUrl}/.default` : OUTLOOK_SCOPE;
  let facts: Promise<TokenFacts> | undefined;
  const token = (): Promise<TokenFacts> => (facts ??= tokens(scope).then((t) => ({ roles: tokenRoles(t.token) })));
  const graph = async () => (await import('../channels/microsoft/graph-client.ts')).createGraphClient({ graphUrl, tokens, timeoutMs });
  const user = (mailbox: string): string => `/v1.0/users/${encodeURIComponent(mailbox)}`;
  return {
    tokens,
    resource: scope.replace(/\/\.default$/, ''),
    token,
    async sendProbe(mailbox: string): Promise<void> {
      try {
        const res = await (await graph()).request('POST', `${user(mailbox)}/sendMail`, { body: UNSENDABLE, contentType: 'text/plain' });
        await res.body?.cancel();
      } catch (e) {
        // 400: the mailbox resolved and the app may send as it; only the message (no recipient) was refused.
        if ((e as { status?: unknown }).status === 400) return;
        throw e;
      }
    },
    async inboxProbe(): Promise<void> {
      const res = await (await graph()).request('GET', `${user(config.INBOUND_GRAPH_MAILBOX!)}/mailFolders/inbox/messages/delta?$select=id,isRead`, {
        headers: { prefer: 'odata.maxpagesize=1' },
      });
      await res.body?.cancel();
    },
  };
}

/**
 * The mailboxes Graph sends from: each project's `sender.email` in the database (the default From
 * for a project without one), read without migrating; without DATABASE_URL the default From (the
 * embedded database serves one process, which may be running).
 */
async function senderMailboxes(config: Config, timeoutMs: number): Promise<string[]> {
  if (!config.DATABASE_URL) return [senderMailbox(defaultFrom(config))];
  const [{ openDatabase }, { DeliveryStore }] = await Promise.all([import('../db/database.ts'), import('../db/repo/delivery-store.ts')]);
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.HERALD_DATA_DIR,
    migrate: false,
    poolSize: 1,
    statementTimeoutMs: timeoutMs,
  });
  try {
    const store = new DeliveryStore(db.sql);
    const found = new Set<string>();
    for (const key of await db.stores.projects.keys()) {
      const id = await db.stores.projects.findId(key);
      if (!id) continue;
      found.add(senderMailbox(await store.senderEmail(id)) || senderMailbox(defaultFrom(config)));
    }
    return [...found].sort();
  } finally {
    await db.close();
  }
}

/**
 * Every check the configuration calls for, in the order they print. `extra` appends checks (tests,
 * such as a check of a service the configuration does not name).
 */
export function doctorChecks(config: Config, opts: { timeoutMs?: number; extra?: readonly Check[] } = {}): Check[] {
  const timeoutMs = opts.timeoutMs ?? 8_000;
  const checks: Check[] = [
    databaseCheck(
      config.DATABASE_URL ? async () => (await import('../db/migrate.ts')).migrationStatus(config.DATABASE_URL!, { timeoutMs }) : undefined,
      config.HERALD_DATA_DIR,
    ),
    redisCheck(() => redisFacts(config.REDIS_URL, timeoutMs)),
  ];
  if (config.SLACK_BOT_TOKEN) {
    const token = config.SLACK_BOT_TOKEN;
    checks.push(slackCheck(async () => (await import('../channels/slack/auth-test.ts')).slackAuthTest({ token, apiUrl: config.SLACK_API_URL, timeoutMs })));
  }
  // E-mail, by transport: Microsoft Graph (the token, each sender mailbox, Mail.Send), or SMTP (a password or XOAUTH2 login).
  const ms = microsoftProbes(config, timeoutMs);
  if (ms) checks.push(microsoftTokenCheck(ms.token, { clientId: config.MS_CLIENT_ID ?? '', resource: ms.resource }));
  if (ms && config.EMAIL_TRANSPORT === 'graph') {
    checks.push(graphSendCheck({ token: ms.token, mailboxes: () => senderMailboxes(config, timeoutMs), send: ms.sendProbe }));
  } else if (config.SMTP_URL) {
    const smtpUrl = config.SMTP_URL;
    const oauth2 = config.SMTP_AUTH === 'oauth2' && ms;
    checks.push(
      smtpCheck(
        async () => {
          const { verifySmtp } = await import('../channels/email/smtp-verify.ts');
          if (!oauth2) return verifySmtp(smtpUrl, timeoutMs);
          const { token } = await oauth2.tokens(OUTLOOK_SCOPE);
          return verifySmtp(smtpUrl, timeoutMs, { user: decodeURIComponent(new URL(smtpUrl).username), accessToken: token });
        },
        hostOf(smtpUrl),
        { oauth2: !!oauth2 },
      ),
    );
  }
  if (ms && config.INBOUND_GRAPH_MAILBOX) checks.push(graphInboxCheck({ token: ms.token, read: ms.inboxProbe }, config.INBOUND_GRAPH_MAILBOX));
  if (config.IMAP_URL) {
    const imapUrl = config.IMAP_URL;
    checks.push(
      imapCheck(async () => {
        const [{ checkImapMailbox }, { imapTokenProvider }] = await Promise.all([import('../channels/email/inbound/imap-poller.ts'), import('./inbound.ts')]);
        const accessToken = await imapTokenProvider(config);
        return checkImapMailbox(accessToken ? { url: imapUrl, accessToken } : { url: imapUrl }, timeoutMs);
      }, hostOf(imapUrl)),
    );
  }
  checks.push(publicUrlCheck(config.PUBLIC_URL), secretCheck(config.HERALD_SECRET), ...(opts.extra ?? []));
  return checks;
}
