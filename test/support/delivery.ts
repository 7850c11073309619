import type { Clock } from '../../src/app/ports.ts';
import { createEmailChannel } from '../../src/channels/email/email-channel.ts';
import { createSlackChannel } from '../../src/channels/slack/slack-channel.ts';
import { loadConfig, type Config } from '../../src/config/config.ts';
import type { Database } from '../../src/db/database.ts';
import type { Plan } from '../../src/domain/plan/model.ts';
import { startWorker, type WorkerRuntime } from '../../src/main/worker.ts';
import { startSlackSandbox, type SandboxUser, type SlackSandbox, type SlackSandboxOptions } from '../../src/sandbox/slack-server.ts';
import { startSmtpSink, type SmtpSink } from '../../src/sandbox/smtp-sink.ts';
import { cleanupRedisPrefix, testRedisPrefix } from './redis.ts';
import { TEST_REDIS_URL } from './run-id.ts';

/** A clock the test can set: the pipeline sees `now` wherever the test puts it, moving in real time. */
export class TestClock implements Clock {
  private offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  set(at: Date): void {
    this.offset = at.getTime() - Date.now();
  }
}

export const TEST_SECRET = 'test-secret-0123456789abcdef';

/** Sandbox users for every plan person: their own Slack id, or one found by e-mail lookup. */
export function sandboxUsersFor(plan: Plan): SandboxUser[] {
  return plan.people.map((p, i) => ({ id: p.slack ?? `UFOUND${String(i).padStart(4, '0')}`, email: p.email ?? `${p.id}@nowhere.invalid`, name: p.name }));
}

export interface Harness {
  slack: SlackSandbox;
  smtp: SmtpSink;
  config: Config;
  prefix: string;
  worker?: WorkerRuntime;
  startWorker(opts?: Parameters<typeof startWorker>[1]): Promise<WorkerRuntime>;
  close(): Promise<void>;
}

/** Local Slack and SMTP servers plus a Config pointing Herald at them and at a fresh Redis prefix. */
export async function startHarness(
  db: Database & { url?: string },
  opts: { slack?: SlackSandboxOptions; emailRatePerMinute?: number; clock?: Clock; redisUrl?: string; env?: Record<string, string> } = {},
): Promise<Harness> {
  const slack = await startSlackSandbox({ perChannelPerSecond: 0, ...opts.slack });
  const smtp = await startSmtpSink();
  const prefix = testRedisPrefix();
  const config = loadConfig({
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    REDIS_URL: opts.redisUrl ?? TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_API_URL: slack.url,
    SMTP_URL: smtp.url,
    EMAIL_RATE_PER_MINUTE: String(opts.emailRatePerMinute ?? 60_000),
    HERALD_SECRET: TEST_SECRET,
    PUBLIC_URL: 'http://herald.test',
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const workers: WorkerRuntime[] = [];
  const h: Harness = {
    slack,
    smtp,
    config,
    prefix,
    async startWorker(o = {}) {
      const w = await startWorker(config, {
        db,
        ...(opts.clock ? { clock: opts.clock } : {}),
        channels: {
          slack: createSlackChannel({ token: 'xoxb-test', apiUrl: slack.url, perChannelPerSecond: 0 }),
          email: createEmailChannel({ smtpUrl: smtp.url, from: 'Herald <herald@herald.test>', messageIdDomain: 'herald.test', maxConnections: 10 }),
        },
        sweep: { intervalMs: 200, horizonMs: 2_000, strandedAfterMs: 5_000 },
        ...o,
      });
      workers.push(w);
      h.worker ??= w;
      return w;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await slack.close();
      await smtp.close();
      await cleanupRedisPrefix(opts.redisUrl ?? TEST_REDIS_URL, prefix).catch(() => 0);
    },
  };
  return h;
}

/** Waits until no message is planned, queued or sending (or the timeout passes), polling the database. */
export async function waitForQuiet(db: Database, timeoutMs = 30_000, where = ''): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.prisma.$queryRawUnsafe<Array<{ status: string; n: number }>>(
      `SELECT "status"::text AS status, count(*)::int AS n FROM "Message" ${where ? `WHERE ${where}` : ''} GROUP BY 1`,
    );
    const counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    const busy = (counts.planned ?? 0) + (counts.queued ?? 0) + (counts.sending ?? 0);
    if (busy === 0 || Date.now() > deadline) return counts;
    await new Promise((r) => setTimeout(r, 150));
  }
}
