/**
 * The composition root: the only place that wires adapters (database, channels, queues,
 * templates) to the use cases. CLI commands, the worker, the server and the demo start here.
 *
 * What only `herald serve` runs (Fastify with bull-board, Bolt with Express, inbound mail with
 * imapflow, mailparser and smtp-server, the click queue) is imported where it starts, so the
 * worker does not load it: that was ~60 MiB of its idle RSS (bench:cli).
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { buildDigest, cachedDigests } from './app/build-digest.ts';
import { PlanCache } from './app/plan-cache.ts';
import type { Clock } from './app/ports.ts';
import { systemClock } from './app/ports.ts';
import type { ChannelAdapter } from './channels/channel.ts';
import { createEmailChannel } from './channels/email/email-channel.ts';
import { createSlackChannel, slackHoldMs } from './channels/slack/slack-channel.ts';
import { RedisGate, type SendGate } from './channels/send-gate.ts';
import { RedisSendLimiter, type SendLimiter } from './channels/send-limiter.ts';
import type { Config } from './config/config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { DeliveryStore } from './db/repo/delivery-store.ts';
import { ConfigError } from './domain/errors.ts';
import type { Channel } from './domain/plan/model.ts';
import { buildEngine } from './templates/builtin.ts';
import type { HttpDeps, RunningServer } from './http/server.ts';
import { redisScratch } from './http/slack/scratch.ts';
import type { SlackInteractivity } from './http/slack/slack-app.ts';
import type { Logger } from './logger.ts';
import { closeInOrder } from './close-in-order.ts';
import type { InboundDeps, InboundResult } from './app/receive-inbound-mail.ts';
import type { ImapPoller } from './channels/email/inbound/imap-poller.ts';
import type { SmtpListener } from './channels/email/inbound/smtp-listener.ts';
import type { InboundHttp } from './http/inbound-email.ts';
import type { AdminTokenCheck } from './http/admin-queues.ts';
import { authenticateApiToken } from './app/api-tokens.ts';
import type { ClickQueue } from '../jobs/record-click.ts';
import { DeliveryQueues, redisConnection, startDeliveryWorkers, type RunningWorkers } from '../jobs/runtime.ts';
import { EscalationSweeper } from '../jobs/escalation-sweeper.ts';
import { evictionPolicyWarning } from '../jobs/eviction-policy.ts';
import { createDeliveryMetrics } from './metrics/delivery-metrics.ts';
import { startMetricsListener, type MetricsListener } from './metrics/metrics-listener.ts';

export { buildEngine } from './templates/builtin.ts';

export function buildChannels(config: Config, opts: { slackGate?: SendGate } = {}): Partial<Record<Channel, ChannelAdapter>> {
  const channels: Partial<Record<Channel, ChannelAdapter>> = {};
  if (config.SLACK_BOT_TOKEN) {
    channels.slack = createSlackChannel({
      token: config.SLACK_BOT_TOKEN,
      ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
      // A burst to one person waits in place (exact spacing); only a longer queue goes back to the delayed set.
      maxPaceWaitMs: 15_000,
      ...(opts.slackGate ? { gate: opts.slackGate } : {}),
    });
  }
  if (config.SMTP_URL) {
    const domain = new URL(config.PUBLIC_URL).hostname || hostname();
    channels.email = createEmailChannel({
      smtpUrl: config.SMTP_URL,
      from: `Herald <herald@${domain}>`,
      maxConnections: config.SMTP_MAX_CONNECTIONS,
      messageIdDomain: domain,
    });
  }
  return channels;
}

/** Sends of one mailbox in any minute; shorter only in tests and benchmarks that scale time down. */
export const EMAIL_WINDOW_MS = 60_000;
const DAY_MS = 24 * 3600_000;

/**
 * The provider limits of e-mail, one limiter for all worker processes: EMAIL_RATE_PER_MINUTE
 * in any minute and EMAIL_RECIPIENTS_PER_DAY in any 24 hours (one recipient per message).
 */
export function buildLimits(
  config: Pick<Config, 'EMAIL_RATE_PER_MINUTE' | 'EMAIL_RECIPIENTS_PER_DAY' | 'REDIS_PREFIX'>,
  redis: Redis,
  opts: { emailWindowMs?: number } = {},
): Partial<Record<Channel, SendLimiter>> {
  const minute = opts.emailWindowMs ?? EMAIL_WINDOW_MS;
  return {
    email: new RedisSendLimiter(
      redis,
      config.REDIS_PREFIX,
      'email',
      [
        { name: 'EMAIL_RATE_PER_MINUTE', max: config.EMAIL_RATE_PER_MINUTE, windowMs: minute },
        { name: 'EMAIL_RECIPIENTS_PER_DAY', max: config.EMAIL_RECIPIENTS_PER_DAY, windowMs: (DAY_MS * minute) / EMAIL_WINDOW_MS },
      ],
    ),
  };
}

export function requireSecret(config: Config, who: string): string {
  if (!config.HERALD_SECRET) throw new ConfigError(`HERALD_SECRET: required by ${who} to sign survey, unsubscribe and reply links; set 16+ random characters`);
  return config.HERALD_SECRET;
}

export async function openConfiguredDatabase(config: Config, opts: { log?: (line: string) => void; poolSize?: number } = {}): Promise<Database> {
  return openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.HERALD_DATA_DIR,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.poolSize ? { poolSize: opts.poolSize } : {}),
  });
}

export interface WorkerRuntime {
  db: Database;
  queues: DeliveryQueues;
  workers: RunningWorkers;
  channels: Partial<Record<Channel, ChannelAdapter>>;
  /** The worker's /metrics listener, when WORKER_METRICS_PORT is set. */
  metrics?: MetricsListener;
  close(): Promise<void>;
}

/** `herald worker`: delivery workers plus the due-message sweeper, sharing one database pool. */
export async function startWorker(
  config: Config,
  opts: {
    clock?: Clock;
    db?: Database;
    channels?: Partial<Record<Channel, ChannelAdapter>>;
    onError?: (e: unknown) => void;
    /** Where shutdown says which step it gave up on. */
    log?: Logger;
    concurrency?: { slack?: number; email?: number };
    sweep?: { intervalMs?: number; horizonMs?: number; strandedAfterMs?: number };
    /** How long a job's lock lives without renewal: a killed worker's jobs are taken over after it. */
    lockDurationMs?: number;
    /** A `sending` row older than this was abandoned by a killed worker (default 90 s). */
    staleSendingMs?: number;
    /** Tests and benchmarks only: e-mail's "per minute" window scaled down, so a backlog test takes seconds. */
    emailWindowMs?: number;
    /** How often unacknowledged escalations are checked for level 2 (default 15 s). */
    escalationSweepMs?: number;
    /** One-line warnings at start (Redis eviction policy). */
    onWarn?: (line: string) => void;
  } = {},
): Promise<WorkerRuntime> {
  const secret = requireSecret(config, 'the worker');
  if (!opts.channels && !config.SLACK_BOT_TOKEN && !config.SMTP_URL) {
    throw new ConfigError('SLACK_BOT_TOKEN / SMTP_URL: the worker has no channel to send with; set at least one');
  }
  // Slack's one message per second per conversation and e-mail's rate hold across every worker process.
  const paceRedis = redisConnection(config.REDIS_URL, opts.onError, { autoPipelining: true });
  const channels = opts.channels ?? buildChannels(config, { slackGate: new RedisGate(paceRedis, config.REDIS_PREFIX, slackHoldMs(1)) });
  if (!channels.slack && !channels.email) {
    throw new ConfigError('SLACK_BOT_TOKEN / SMTP_URL: the worker has no channel to send with; set at least one');
  }
  const evicting = await evictionPolicyWarning(paceRedis);
  if (evicting) opts.onWarn?.(evicting);
  const db = opts.db ?? (await openConfiguredDatabase(config, { poolSize: 20 }));
  const clock = opts.clock ?? systemClock;
  const delivery = createDeliveryMetrics();
  const metrics = config.WORKER_METRICS_PORT === undefined ? undefined : await startMetricsListener(delivery.registry, config.WORKER_METRICS_PORT, config.HOST);
  const queues = new DeliveryQueues({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX }, opts.onError);
  const workers = startDeliveryWorkers({
    redisUrl: config.REDIS_URL,
    prefix: config.REDIS_PREFIX,
    queues,
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.sweep ? { sweep: opts.sweep } : {}),
    ...(opts.lockDurationMs ? { lockDurationMs: opts.lockDurationMs } : {}),
    ...(opts.onError ? { onError: opts.onError } : {}),
    deps: {
      db: db.sql,
      store: new DeliveryStore(db.sql),
      clock,
      channels,
      engine: buildEngine(config),
      plans: new PlanCache(db.sql),
      publicUrl: config.PUBLIC_URL,
      secret,
      ...(config.BOUNCE_ADDRESS ? { bounceAddress: config.BOUNCE_ADDRESS } : {}),
      staleSendingMs: opts.staleSendingMs ?? 90_000,
      limits: buildLimits(config, paceRedis, opts.emailWindowMs ? { emailWindowMs: opts.emailWindowMs } : {}),
      digests: cachedDigests((request) => buildDigest(db.prisma, request)),
      observer: delivery.observer,
    },
  });
  const escalations = new EscalationSweeper({
    db,
    clock,
    ...(opts.escalationSweepMs ? { intervalMs: opts.escalationSweepMs } : {}),
    ...(opts.onError ? { onError: opts.onError } : {}),
  });
  escalations.start();
  return {
    db,
    queues,
    workers,
    channels,
    ...(metrics ? { metrics } : {}),
    async close() {
      // Sends in flight get up to 30 s to finish (their lock outlives that, so another worker would take over); the rest 5 s each.
      await closeInOrder(
        [
          { name: 'escalation sweeper', close: () => escalations.stop() },
          { name: 'delivery workers', close: () => workers.close(), ms: 30_000 },
          { name: 'metrics listener', close: () => metrics?.close() },
          { name: 'delivery queues', close: () => queues.close() },
          { name: 'channels', close: () => Promise.all(Object.values(channels).map((c) => c.close())) },
          { name: 'redis', close: () => paceRedis.quit().catch(() => paceRedis.disconnect()), ms: 2_000 },
          { name: 'database', close: () => (opts.db ? undefined : db.close()) },
        ],
        { stepMs: 5_000, log: opts.log },
      );
      paceRedis.disconnect();
    },
  };
}

export interface ServerRuntime {
  db: Database;
  http: RunningServer;
  slack?: SlackInteractivity;
  inbound?: InboundRuntime;
  url: string;
  close(): Promise<void>;
}

/** The inbound-mail paths `herald serve` runs: SMTP listener, IMAP poller, webhook. */
export interface InboundRuntime {
  smtp?: SmtpListener;
  imap?: ImapPoller;
  webhook?: InboundHttp;
  close(): Promise<void>;
}

/**
 * Inbound mail, each path only when configured (INBOUND_SMTP_PORT, IMAP_URL,
 * INBOUND_WEBHOOK_SECRET). All three hand raw MIME to receiveInboundMail.
 */
/** bull-board opens for an admin API token (`herald token create --role admin`), or for ADMIN_TOKEN when set. */
export async function adminTokenCheck(config: Config, db: Database, clock: Clock): Promise<AdminTokenCheck> {
  const { staticAdminToken } = await import('./http/admin-queues.ts');
  const fixed = config.ADMIN_TOKEN ? staticAdminToken(config.ADMIN_TOKEN) : undefined;
  return async (token) => {
    const viaFixed = fixed ? await fixed(token) : null;
    if (viaFixed) return viaFixed;
    const t = await authenticateApiToken(db.prisma, token, clock.now());
    return t?.role === 'admin' && t.projectKey === null ? { tokenId: t.id } : null;
  };
}

export async function startInbound(config: Config, opts: { db: Database; clock: Clock; log?: Logger | undefined }): Promise<InboundRuntime | undefined> {
  const wanted = config.INBOUND_SMTP_PORT !== undefined || config.IMAP_URL !== undefined || config.INBOUND_WEBHOOK_SECRET !== undefined;
  if (!wanted) return undefined;
  const { receiveInboundMail } = await import('./app/receive-inbound-mail.ts');
  const deps: InboundDeps = { prisma: opts.db.prisma, clock: opts.clock, secret: requireSecret(config, 'inbound mail'), publicUrl: config.PUBLIC_URL, trustedAuthservIds: config.INBOUND_TRUSTED_AUTHSERV_IDS };
  const log = opts.log;
  const receive = async (raw: Buffer, via: 'smtp' | 'imap' | 'webhook', envelope?: { mailFrom?: string; rcptTo: string[] }): Promise<InboundResult> => {
    const r = await receiveInboundMail(deps, raw, { via, ...(envelope ? { envelope } : {}) });
    log?.info({ via, inbound: r.id, kind: r.kind, outcome: r.outcome, duplicate: r.duplicate }, `inbound mail: ${r.reason}`);
    return r;
  };
  const runtime: InboundRuntime = { close: async () => {} };
  if (config.INBOUND_SMTP_PORT !== undefined) {
    const { startSmtpListener } = await import('./channels/email/inbound/smtp-listener.ts');
    runtime.smtp = await startSmtpListener({
      port: config.INBOUND_SMTP_PORT,
      host: config.INBOUND_SMTP_HOST,
      maxBytes: config.INBOUND_SMTP_MAX_BYTES,
      maxClients: config.INBOUND_SMTP_MAX_CONNECTIONS,
      connectionsPerAddress: config.INBOUND_SMTP_MAX_CONNECTIONS_PER_ADDRESS,
      messagesPerMinutePerAddress: config.INBOUND_SMTP_MESSAGES_PER_MINUTE_PER_ADDRESS,
      onMail: async (raw, envelope) => void (await receive(raw, 'smtp', envelope)),
      ...(log ? { log } : {}),
    });
    log?.info({ port: runtime.smtp.port }, 'inbound SMTP listening');
  }
  if (config.IMAP_URL !== undefined) {
    const { startImapPoller, describeImapUrl } = await import('./channels/email/inbound/imap-poller.ts');
    const { oauth2TokenProvider } = await import('./channels/email/inbound/oauth2-token.ts');
    const oauth = config.IMAP_OAUTH2_TOKEN_URL || config.IMAP_OAUTH2_ACCESS_TOKEN;
    runtime.imap = startImapPoller({
      url: config.IMAP_URL,
      intervalMs: config.IMAP_POLL_SECONDS * 1000,
      onMail: async (raw) => void (await receive(raw, 'imap')),
      ...(oauth
        ? {
            accessToken: oauth2TokenProvider({
              ...(config.IMAP_OAUTH2_ACCESS_TOKEN ? { accessToken: config.IMAP_OAUTH2_ACCESS_TOKEN } : {}),
              ...(config.IMAP_OAUTH2_TOKEN_URL ? { tokenUrl: config.IMAP_OAUTH2_TOKEN_URL } : {}),
              ...(config.IMAP_OAUTH2_CLIENT_ID ? { clientId: config.IMAP_OAUTH2_CLIENT_ID } : {}),
              ...(config.IMAP_OAUTH2_CLIENT_SECRET ? { clientSecret: config.IMAP_OAUTH2_CLIENT_SECRET } : {}),
              ...(config.IMAP_OAUTH2_REFRESH_TOKEN ? { refreshToken: config.IMAP_OAUTH2_REFRESH_TOKEN } : {}),
              ...(config.IMAP_OAUTH2_SCOPE ? { scope: config.IMAP_OAUTH2_SCOPE } : {}),
            }),
          }
        : {}),
      ...(log ? { log } : {}),
    });
    log?.info({ mailbox: describeImapUrl(config.IMAP_URL), everySeconds: config.IMAP_POLL_SECONDS }, 'polling IMAP');
  }
  if (config.INBOUND_WEBHOOK_SECRET !== undefined) runtime.webhook = { secret: config.INBOUND_WEBHOOK_SECRET, receive: (raw) => receive(raw, 'webhook') };
  runtime.close = async () => {
    await Promise.all([runtime.smtp?.close(), runtime.imap?.close()]);
  };
  return runtime;
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
  const redis = redisConnection(config.REDIS_URL, (err) => opts.log?.warn({ err }, 'redis'));
  const scratch = redisScratch(redis, config.REDIS_PREFIX);
  let slack: SlackInteractivity | undefined;
  let clicks: { queue: ClickQueue; processor: { close(): Promise<void> } } | undefined;
  if (config.SLACK_BOT_TOKEN && (config.SLACK_APP_TOKEN || config.SLACK_SIGNING_SECRET)) {
    // Every answer is queued before its ack; one not recorded at once is recorded from here, by any serve process.
    const conn = { redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX };
    const [{ ClickQueue, startClickProcessor }, { createSlackInteractivity }, { createSlackReads }] = await Promise.all([
      import('../jobs/record-click.ts'),
      import('./http/slack/slack-app.ts'),
      import('./db/repo/slack-reads.ts'),
    ]);
    const queue = new ClickQueue(conn, redisConnection(config.REDIS_URL, (err) => opts.log?.warn({ err }, 'redis')));
    const interactivity = createSlackInteractivity({
      botToken: config.SLACK_BOT_TOKEN,
      signingSecret: config.SLACK_SIGNING_SECRET,
      appToken: config.SLACK_APP_TOKEN,
      apiUrl: config.SLACK_API_URL,
      db,
      reads: createSlackReads(db),
      clock,
      scratch,
      log: opts.log,
      clicks: queue,
    });
    slack = interactivity;
    clicks = { queue, processor: startClickProcessor(conn, { db, clock, log: opts.log, show: interactivity.showRecorded }) };
  }
  const inbound = await startInbound(config, { db, clock, log: opts.log });
  const isAdminToken = await adminTokenCheck(config, db, clock);
  const { createHttpReads } = await import('./db/repo/http-reads.ts');
  const http = await import('./http/server.ts').then(({ startHttpServer }) => startHttpServer(
    { db, reads: createHttpReads(db), redisUrl: config.REDIS_URL, redisPrefix: config.REDIS_PREFIX, isAdminToken, secret: config.HERALD_SECRET, clock, slack: slack?.http, inbound: inbound?.webhook, pageRateLimitPerMinute: config.HTTP_RATE_LIMIT_PER_MINUTE, rateLimits: { signin: config.HTTP_RATE_LIMIT_SIGNIN_PER_MINUTE, api: config.HTTP_RATE_LIMIT_API_PER_MINUTE, slack: config.HTTP_RATE_LIMIT_SLACK_PER_MINUTE, webhook: config.HTTP_RATE_LIMIT_WEBHOOK_PER_MINUTE }, trustProxy: config.TRUST_PROXY, templates: buildEngine(config), publicUrl: config.PUBLIC_URL, extraRoutes: opts.extraRoutes, ...(opts.log ? { log: opts.log } : {}) },
    opts.port ?? config.PORT,
    opts.host ?? config.HOST,
  )).catch(async (err: unknown) => {
    await inbound?.close();
    await clicks?.processor.close();
    await clicks?.queue.close();
    throw err;
  });
  try {
    await slack?.start();
  } catch (err) {
    await http.close();
    await inbound?.close();
    await clicks?.processor.close();
    await clicks?.queue.close();
    throw err;
  }
  return {
    db,
    http,
    ...(slack ? { slack } : {}),
    ...(inbound ? { inbound } : {}),
    url: http.url,
    async close() {
      // Each step is bounded: with Slack unreachable a click's chat.update (and Slack's own retries) could otherwise hold shutdown for minutes.
      await closeInOrder(
        [
          { name: 'slack', close: () => slack?.stop() },
          // In-flight requests get 5 s (startHttpServer), then are cut.
          { name: 'http server', close: () => http.close(), ms: 7_000 },
          { name: 'inbound mail', close: () => inbound?.close() },
          { name: 'click processor', close: () => clicks?.processor.close() },
          { name: 'click queue', close: () => clicks?.queue.close() },
          { name: 'redis', close: () => redis.quit().catch(() => redis.disconnect()), ms: 2_000 },
          { name: 'database', close: () => (opts.db ? undefined : db.close()) },
        ],
        { stepMs: 3_000, log: opts.log },
      );
      redis.disconnect();
    },
  };
}
