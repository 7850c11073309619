import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { applyPlan } from '../app/apply-plan.ts';
import { createApiToken } from '../app/api-tokens.ts';
import { loadPlanFile } from '../app/load-plan.ts';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { startSlackSandbox, type SlackSandbox } from '../sandbox/slack-server.ts';
import { startSmtpSink, type SmtpSink } from '../sandbox/smtp-sink.ts';
import { demoClock } from '../demo/demo-clock.ts';
import { writeDemoPlan } from '../demo/demo-plan.ts';
import { demoWorkspace } from '../demo/demo-workspace.ts';
import { freePort } from '../net/free-port.ts';
import { resolveDemoRedis, type DemoRedis } from '../demo/demo-redis.ts';
import { registerDemoViews } from '../demo/http/demo-views.ts';
import { buildEngine } from './adapters.ts';
import { closeInOrder, type CloseStep } from './closers.ts';
import { openConfiguredDatabase } from './database.ts';
import { startServer, type ServerRuntime } from './server.ts';
import { startWorker, type WorkerRuntime } from './worker.ts';

export interface DemoOptions {
  port?: number;
  speed: number;
  /** REDIS_URL from the environment (default redis://127.0.0.1:6379). */
  redisUrl?: string | undefined;
  log: Logger;
}

export interface RunningDemo {
  url: string;
  /** For tests and diagnosis: the demo's database and sandboxes. */
  parts: { db: Database; slack: SlackSandbox; sink: SmtpSink };
  close(): Promise<void>;
}

/**
 * Everything `herald serve` and `herald worker` run, in one process on embedded defaults:
 * PGlite in a temporary folder, the Slack sandbox and the mail sink on loopback, one demo clock.
 * close() stops each part it started and removes the folder, even when starting failed halfway.
 */
export async function startDemo(o: DemoOptions): Promise<RunningDemo> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-demo-'));
  // The closers, in the order the parts started; close() runs them last first. Each part bounds its own steps (the worker's
  // sends in flight 30 s); the bound here only keeps a part that hangs from holding the rest.
  const stops: CloseStep[] = [{ name: 'demo folder', close: async () => rmSync(dir, { recursive: true, force: true }) }];
  const stop = (name: string, close: () => Promise<unknown>): void => void stops.push({ name, close });
  const close = (): Promise<void> => closeInOrder(stops.splice(0).reverse(), { stepMs: 65_000, log: o.log });
  try {
    const redis: DemoRedis = await resolveDemoRedis(o.redisUrl ?? 'redis://127.0.0.1:6379');
    stop('redis', () => redis.stop());
    const slack: SlackSandbox = await startSlackSandbox({ perChannelPerSecond: 0 });
    stop('slack sandbox', () => slack.close());
    const sink: SmtpSink = await startSmtpSink();
    stop('mail sink', () => sink.close());
    const prefix = `herald-demo-${randomBytes(4).toString('hex')}`;
    // Pushed before the worker's and server's stops, so it runs after them: their queues are closed by then.
    if (redis.kind === 'external') stop('demo keys', () => dropKeys(redis.url, prefix));
    const port = o.port || (await freePort());
    const publicUrl = `http://127.0.0.1:${port}`;
    const signingSecret = randomBytes(16).toString('hex');
    const config = loadConfig({
      HERALD_DATA_DIR: join(dir, 'data'),
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      SLACK_BOT_TOKEN: 'xoxb-herald-demo',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.url,
      SMTP_URL: sink.url,
      INBOUND_SMTP_PORT: String(await freePort()),
      INBOUND_SMTP_HOST: '127.0.0.1',
      PUBLIC_URL: publicUrl,
      HERALD_SECRET: randomBytes(24).toString('hex'),
      EMAIL_RATE_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
    });
    // The story starts at the next whole minute of demo time, so milestones keep minute precision.
    const startAt = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const clock = demoClock(startAt, o.speed);
    const db: Database = await openConfiguredDatabase(config);
    stop('database', () => db.close());
    const loaded = await loadPlanFile(writeDemoPlan(dir, startAt));
    slack.users.add(...demoWorkspace(loaded.plan.people));
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: clock.now(), dryRun: false, actor: 'demo', source: loaded.source });
    const admin = await createApiToken(db, { role: 'admin', name: 'demo-admin', now: clock.now(), actor: 'demo' });
    // The /demo page's "Open dashboard" signs the newcomer in with this one: they can act, not administer.
    const editor = await createApiToken(db, { role: 'editor', name: 'demo-editor', now: clock.now(), actor: 'demo' });
    // Horizon 0: the sweeper claims only what is due by demo time, so BullMQ's (wall-clock) delays are always zero.
    const worker: WorkerRuntime = await startWorker(config, {
      db,
      clock,
      sweep: { intervalMs: 250, horizonMs: 0, strandedAfterMs: 60_000 * o.speed },
      escalationSweepMs: 1_000,
      onError: (err) => o.log.warn({ err }, 'demo worker'),
    });
    stop('worker', () => worker.close());
    const server: ServerRuntime = await startServer(config, {
      db,
      clock,
      log: o.log,
      port,
      host: '127.0.0.1',
      extraRoutes: (app) =>
        registerDemoViews(app, {
          db,
          clock,
          slack,
          sink,
          signingSecret,
          publicUrl,
          inboundSmtpPort: Number(config.INBOUND_SMTP_PORT),
          adminToken: admin.token,
          editorToken: editor.token,
          secret: config.HERALD_SECRET!,
          project: loaded.plan.project.key,
          engine: buildEngine(config),
        }),
    });
    stop('server', () => server.close());
    clock.start();
    return { url: `${publicUrl}/demo`, parts: { db, slack, sink }, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Removes the demo's keys from a Redis it did not start (a private redis-server keeps nothing). */
async function dropKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  redis.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
