/**
 * `herald doctor` and the admin detail of `/readyz`: the checks of a deployment, composed from
 * the configuration. The probes (PostgreSQL, Redis, Slack's auth.test, SMTP login, IMAP) are built
 * here, the only place adapters are made; the checks themselves are in src/app/doctor/.
 */
import { Redis } from 'ioredis';
import type { Check } from '../app/doctor/check.ts';
import { publicUrlCheck, secretCheck } from '../app/doctor/config-checks.ts';
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

/**
 * Every check the configuration calls for, in the order they print. `extra` appends checks (tests,
 * and the Microsoft Graph checks once that transport exists).
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
  // E-mail, by transport. TODO(issue 18, graph18): when EMAIL_TRANSPORT=graph, push the Graph checks here
  // instead of smtpCheck — a token is granted (client credentials), each project's sender mailbox
  // resolves (GET /users/{sender}), and Mail.Send is granted — each one more `Check` (src/app/doctor/check.ts).
  if (config.SMTP_URL) {
    const smtpUrl = config.SMTP_URL;
    checks.push(smtpCheck(async () => (await import('../channels/email/smtp-verify.ts')).verifySmtp(smtpUrl, timeoutMs), hostOf(smtpUrl)));
  }
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
