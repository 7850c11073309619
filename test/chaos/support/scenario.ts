/**
 * One chaos scenario's surroundings: the Slack sandbox, the SMTP sink, a fresh Redis prefix and
 * every `herald` process it started, all removed when it ends (also when it fails), and the
 * sandbox-side count of what was delivered for a set of Herald messages.
 */
import type pg from 'pg';
import type { SandboxUser, SlackSandboxOptions } from '../../../src/sandbox/slack-server.ts';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack-server.ts';
import { startSmtpSink, type SmtpSink } from '../../../src/sandbox/smtp-sink.ts';
import { cleanupRedisPrefix, testRedisPrefix } from '../../support/redis.ts';
import { startServeProcess } from '../../support/serve-process.ts';
import { emailDeliveries, heraldEnv, slackDeliveriesByUser, startWorkerProcess, stopWorker, type WorkerProcess } from './chaos-fixture.ts';
import type { ChaosRow } from './table.ts';

export interface Scenario {
  slack: SlackSandbox;
  smtp: SmtpSink;
  prefix: string;
  env: Record<string, string>;
  worker(args?: string[]): WorkerProcess;
  serve(): ReturnType<typeof startServeProcess>;
}

export async function withScenario<T>(
  o: {
    databaseUrl: string;
    redisUrl: string;
    users: SandboxUser[];
    slack?: SlackSandboxOptions;
    env?: Record<string, string>;
    /** Below the test's own timeout, so the clean-up runs (vitest starts the next test while a timed-out one still runs). */
    timeoutMs?: number;
  },
  body: (s: Scenario) => Promise<T>,
): Promise<T> {
  const slack = await startSlackSandbox({ perChannelPerSecond: 1, users: o.users, ...o.slack });
  const smtp = await startSmtpSink();
  const prefix = testRedisPrefix();
  const env = heraldEnv({ databaseUrl: o.databaseUrl, redisUrl: o.redisUrl, prefix, slack, smtp, ...(o.env ? { extra: o.env } : {}) });
  const workers: WorkerProcess[] = [];
  const serves: Array<Awaited<ReturnType<typeof startServeProcess>>> = [];
  let crashed: (err: Error) => void = () => {};
  const crash = new Promise<never>((_, reject) => (crashed = reject));
  crash.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  // Each scenario stops itself (vitest's timeout would leave its processes running).
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`scenario did not finish within ${(o.timeoutMs ?? 400_000) / 1000} s`)), o.timeoutMs ?? 400_000);
  });
  timeout.catch(() => {});
  try {
    return await Promise.race([
      crash,
      timeout,
      body({
        slack,
        smtp,
        prefix,
        env,
        worker: (args) => {
          const w = startWorkerProcess(env, args);
          workers.push(w);
          // A worker that dies on its own is a finding, not something to wait out.
          void w.exited.then((code) => {
            if (!w.stopping) crashed(new Error(`herald worker ${w.pid} exited by itself (${code ?? w.child.signalCode}): ${w.output().slice(-2000)}`));
          });
          return w;
        },
        serve: async () => {
          const s = await startServeProcess(env);
          serves.push(s);
          return s;
        },
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await Promise.all(workers.map((w) => stopWorker(w, 'SIGKILL')));
    await Promise.all(serves.map((s) => s.stop()));
    await slack.close();
    await smtp.close();
    await cleanupRedisPrefix(o.redisUrl, prefix).catch(() => 0);
  }
}

/**
 * Counts, at the sandboxes, what arrived for the due messages: e-mail by X-Herald-Message-Id, Slack
 * by DM user (at most one Slack message per person is due). `expectedFailed` are messages that must
 * not be delivered (a rejected address): they are neither delivered nor lost.
 */
export async function countDelivered(
  c: pg.Client | pg.Pool,
  s: Pick<Scenario, 'slack' | 'smtp'>,
  due: readonly string[],
  expectedFailed: readonly string[] = [],
): Promise<Omit<ChaosRow, 'scenario' | 'notes'>> {
  const { rows } = await c.query<{ id: string; channel: string; slackId: string | null; key: string }>(
    `SELECT m.id, m.channel, p."slackId", p."key" FROM "Message" m JOIN "Person" p ON p.id = m."personId" WHERE m.id = ANY($1::uuid[])`,
    [due],
  );
  const email = emailDeliveries(s.smtp);
  const slack = slackDeliveriesByUser(s.slack);
  const failed = new Set(expectedFailed);
  let delivered = 0;
  let duplicates = 0;
  const duplicateIds: string[] = [];
  for (const r of rows) {
    // A person without a Slack id in the plan is found by e-mail lookup: the sandbox user is UL<KEY> (bench sandboxUsers).
    const n = r.channel === 'email' ? (email.get(r.id) ?? 0) : (slack.get(r.slackId ?? `UL${r.key.toUpperCase()}`) ?? 0);
    if (n > 0) delivered++;
    duplicates += Math.max(0, n - 1);
    if (n > 1) duplicateIds.push(r.id);
  }
  if (duplicateIds.length > 0) console.log(`[chaos] delivered more than once: ${duplicateIds.join(', ')}`);
  return { due: due.length, delivered, lost: due.length - failed.size - delivered, duplicates };
}
