/**
 * `herald serve`: the HTTP server with answer links and opt-out, the API and the dashboard, Slack
 * interactivity and inbound mail. What only serve runs (Fastify with bull-board, Bolt with Express,
 * inbound mail, the click queue) is imported here when it starts, so the worker does not load it:
 * that was ~60 MiB of its idle RSS (bench:cli).
 */
import { authenticateApiToken } from '../app/api-tokens.ts';
import { PlanCache } from '../app/plan-cache.ts';
import { systemClock, type Clock } from '../app/ports.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import { isTransientDbError } from '../db/postgres-errors.ts';
import type { AdminTokenCheck } from '../http/admin-queues.ts';
import type { HttpDeps, RunningServer } from '../http/server.ts';
import { redisScratch } from '../http/slack/scratch.ts';
import type { SlackInteractivity } from './slack.ts';
import type { Logger } from '../logger.ts';
import type { ClickQueue } from '../../jobs/record-click.ts';
import { redisConnection } from '../../jobs/runtime.ts';
import { buildEngine } from './adapters.ts';
import { serverQueues } from './queues.ts';
import { closeInOrder } from './closers.ts';
import { openConfiguredDatabase } from './database.ts';
import { startInbound, type InboundRuntime } from './inbound.ts';

export interface ServerRuntime {
  db: Database;
  http: RunningServer;
  slack?: SlackInteractivity;
  inbound?: InboundRuntime;
  url: string;
  close(): Promise<void>;
}

/** bull-board opens for an admin API token (`herald token create --role admin`), or for ADMIN_TOKEN when set. */
export async function adminTokenCheck(config: Config, db: Database, clock: Clock): Promise<AdminTokenCheck> {
  const { staticAdminToken } = await import('../http/admin-queues.ts');
  const fixed = config.ADMIN_TOKEN ? staticAdminToken(config.ADMIN_TOKEN) : undefined;
  return async (token) => {
    const viaFixed = fixed ? await fixed(token) : null;
    if (viaFixed) return viaFixed;
    const t = await authenticateApiToken(db, token, clock.now());
    return t?.role === 'admin' && t.projectKey === null ? { tokenId: t.id } : null;
  };
}

/**
 * `herald serve`: the HTTP server with answer links and opt-out, and Slack interactivity over
 * `POST /slack/events` (SLACK_SIGNING_SECRET) or Socket Mode (SLACK_APP_TOKEN).
 */
export async function startServer(
  config: Config,
  opts: { db?: Database; clock?: Clock; log?: Logger; port?: number; host?: string; extraRoutes?: HttpDeps['extraRoutes'] } = {},
): Promise<ServerRuntime> {
  // Each answer holds a connection for its short transaction; 20 keeps 200 answers/s from queueing for one.
  const db = opts.db ?? (await openConfiguredDatabase(config, { poolSize: 20 }));
  const clock = opts.clock ?? systemClock;
  // The answers of one process read the same plan again and again (each escalating answer needs it; a big plan is megabytes of
  // JSON): keep it parsed, keyed by the project's `updatedAt`. Measured with `npm run bench:responses`: loading and unpacking
  // the plan of 8,000 people per Slack click was the largest single cost of an answer. One cache for every path an answer takes.
  const plans = new PlanCache();
  const redis = redisConnection(config.REDIS_URL, (err) => opts.log?.warn({ err }, 'redis'));
  const scratch = redisScratch(redis, config.REDIS_PREFIX);
  let slack: SlackInteractivity | undefined;
  let slackStarted = false;
  let clicks: { queue: ClickQueue; processor: { close(): Promise<void> } } | undefined;
  let inbound: InboundRuntime | undefined;
  let queues: ReturnType<typeof serverQueues> | undefined;
  let http: RunningServer | undefined;
  // One list, in order, for a normal shutdown and for a start that failed halfway (each step skips what was not started).
  // Each step is bounded: with Slack unreachable a click's chat.update (and Slack's own retries) could otherwise hold shutdown for minutes.
  const close = async (): Promise<void> => {
    await closeInOrder(
      [
        { name: 'slack', close: () => (slackStarted ? slack?.stop() : undefined) },
        // In-flight requests get 5 s (startHttpServer), then are cut.
        { name: 'http server', close: () => http?.close(), ms: 7_000 },
        { name: 'server queues', close: () => queues?.close() },
        { name: 'inbound mail', close: () => inbound?.close() },
        { name: 'click processor', close: () => clicks?.processor.close() },
        { name: 'click queue', close: () => clicks?.queue.close() },
        { name: 'redis', close: () => redis.quit().catch(() => redis.disconnect()), ms: 2_000 },
        { name: 'database', close: () => (opts.db ? undefined : db.close()) },
      ],
      { stepMs: 3_000, log: opts.log },
    );
    redis.disconnect();
  };
  try {
    if (config.SLACK_BOT_TOKEN && (config.SLACK_APP_TOKEN || config.SLACK_SIGNING_SECRET)) {
      // Every answer is queued before its ack; one not recorded at once is recorded from here, by any serve process.
      const conn = { redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX };
      const [{ ClickQueue, startClickProcessor }, { createSlackInteractivity }, { createSlackReads }] = await Promise.all([
        import('../../jobs/record-click.ts'),
        import('./slack.ts'),
        import('../db/repo/slack-reads.ts'),
      ]);
      const queue = new ClickQueue(
        conn,
        redisConnection(config.REDIS_URL, (err) => opts.log?.warn({ err }, 'redis')),
      );
      const processorConnection = redisConnection(config.REDIS_URL, (err) => opts.log?.warn({ err }, 'redis'));
      const interactivity = createSlackInteractivity({
        botToken: config.SLACK_BOT_TOKEN,
        signingSecret: config.SLACK_SIGNING_SECRET,
        appToken: config.SLACK_APP_TOKEN,
        apiUrl: config.SLACK_API_URL,
        db,
        reads: createSlackReads(db),
        clock,
        plans,
        scratch,
        log: opts.log,
        clicks: queue,
        secret: config.HERALD_SECRET,
      });
      slack = interactivity;
      clicks = {
        queue,
        processor: startClickProcessor(
          { prefix: conn.prefix, connection: processorConnection },
          { db, clock, plans, log: opts.log, show: interactivity.showRecorded },
        ),
      };
    }
    inbound = await startInbound(config, { db, clock, plans, log: opts.log });
    const isAdminToken = await adminTokenCheck(config, db, clock);
    const forHttp = (queues = serverQueues({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX }));
    const { createHttpReads } = await import('../db/repo/http-reads.ts');
    const running = await import('../http/server.ts').then(({ startHttpServer }) =>
      startHttpServer(
        {
          db,
          reads: createHttpReads(db),
          isDatabaseBusy: isTransientDbError,
          queues: forHttp,
          isAdminToken,
          // The doctor's checks for /readyz's admin detail, each bounded so a probe cannot hold the answer long.
          diagnose: async () => {
            const [{ runChecks }, { doctorChecks }] = await Promise.all([import('../app/doctor/check.ts'), import('./doctor.ts')]);
            return runChecks(doctorChecks(config, { timeoutMs: 3_000 }), { timeoutMs: 4_000 });
          },
          secret: config.HERALD_SECRET,
          clock,
          plans,
          slack: slack?.http,
          inbound: inbound?.webhook,
          pageRateLimitPerMinute: config.HTTP_RATE_LIMIT_PER_MINUTE,
          rateLimits: {
            signin: config.HTTP_RATE_LIMIT_SIGNIN_PER_MINUTE,
            api: config.HTTP_RATE_LIMIT_API_PER_MINUTE,
            slack: config.HTTP_RATE_LIMIT_SLACK_PER_MINUTE,
            webhook: config.HTTP_RATE_LIMIT_WEBHOOK_PER_MINUTE,
          },
          trustProxy: config.TRUST_PROXY,
          templates: buildEngine(config),
          publicUrl: config.PUBLIC_URL,
          extraRoutes: opts.extraRoutes,
          log: opts.log,
        },
        opts.port ?? config.PORT,
        opts.host ?? config.HOST,
      ),
    );
    http = running;
    await slack?.start();
    slackStarted = true;
    return { db, http: running, slack, inbound, url: running.url, close };
  } catch (err) {
    await close();
    throw err;
  }
}
