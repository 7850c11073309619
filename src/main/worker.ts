/**
 * `herald worker`: delivery workers plus the due-message and escalation sweepers, sharing one
 * database pool. Nothing here loads what only `herald serve` runs (see adapters.ts).
 */
import { buildDigest, cachedDigests } from '../app/build-digest.ts';
import { PlanCache } from '../app/plan-cache.ts';
import { systemClock, type Clock } from '../app/ports.ts';
import type { ChannelAdapter } from '../channels/channel.ts';
import { slackHoldMs } from '../channels/slack/slack-channel.ts';
import { RedisGate } from '../channels/send-gate.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import { DeliveryStore } from '../db/repo/delivery-store.ts';
import { ConfigError } from '../domain/errors.ts';
import type { Channel } from '../domain/plan/model.ts';
import type { Logger } from '../logger.ts';
import { createDeliveryMetrics } from '../metrics/delivery-metrics.ts';
import { startMetricsListener, type MetricsListener } from '../metrics/metrics-listener.ts';
import { EscalationSweeper } from '../../jobs/escalation-sweeper.ts';
import { ApprovalSweeper } from '../../jobs/approval-sweeper.ts';
import { approvalGate } from '../app/approval-gate.ts';
import { evictionPolicyWarning } from '../../jobs/eviction-policy.ts';
import { redisConnection, startDeliveryWorkers, type DeliveryQueues, type RunningWorkers } from '../../jobs/runtime.ts';
import { cachedMailboxes } from '../app/sender-mailbox.ts';
import { publicUrlProblem } from '../app/doctor/public-url.ts';
import { buildChannels, buildEngine, buildLimits, requireSecret } from './adapters.ts';
import { deliveryQueues } from './queues.ts';
import { closeInOrder } from './closers.ts';
import { openConfiguredDatabase } from './database.ts';

export interface WorkerRuntime {
  db: Database;
  queues: DeliveryQueues;
  workers: RunningWorkers;
  channels: Partial<Record<Channel, ChannelAdapter>>;
  /** The worker's /metrics listener, when WORKER_METRICS_PORT is set. */
  metrics?: MetricsListener;
  close(): Promise<void>;
}

/**
 * `herald worker`: builds the channels, send limits, queues and workers, and returns them with one
 * close() that stops them in order (also called when starting fails halfway).
 */
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
    /** How often approvals are brought in line with the plans (default 15 s). */
    approvalSweepMs?: number;
    /** One-line warnings at start (Redis eviction policy, an http PUBLIC_URL). */
    onWarn?: (line: string) => void;
  } = {},
): Promise<WorkerRuntime> {
  const secret = requireSecret(config, 'the worker');
  if (!opts.channels && !config.SLACK_BOT_TOKEN && !config.EMAIL_TRANSPORT) {
    throw new ConfigError('SLACK_BOT_TOKEN / SMTP_URL: the worker has no channel to send with; set at least one (or EMAIL_TRANSPORT=graph)');
  }
  // Slack's one message per second per conversation and e-mail's rate hold across every worker process.
  const paceRedis = redisConnection(config.REDIS_URL, opts.onError, { autoPipelining: true });
  const channels = opts.channels ?? buildChannels(config, { slackGate: new RedisGate(paceRedis, config.REDIS_PREFIX, slackHoldMs(1)) });
  let db: Database | undefined;
  let metrics: MetricsListener | undefined;
  let queues: DeliveryQueues | undefined;
  let workers: RunningWorkers | undefined;
  let escalations: EscalationSweeper | undefined;
  let approvals: ApprovalSweeper | undefined;
  // One list, in order, for a normal shutdown and for a start that failed halfway (each step skips what was not started).
  // Sends in flight get up to 30 s to finish (their lock outlives that, so another worker would take over); the rest 5 s each.
  const close = async (): Promise<void> => {
    await closeInOrder(
      [
        { name: 'escalation sweeper', close: () => escalations?.stop() },
        { name: 'approval sweeper', close: () => approvals?.stop() },
        { name: 'delivery workers', close: () => workers?.close(), ms: 30_000 },
        { name: 'metrics listener', close: () => metrics?.close() },
        { name: 'delivery queues', close: () => queues?.close() },
        { name: 'channels', close: () => Promise.all(Object.values(channels).map((c) => c.close())) },
        { name: 'redis', close: () => paceRedis.quit().catch(() => paceRedis.disconnect()), ms: 2_000 },
        { name: 'database', close: () => (opts.db ? undefined : db?.close()) },
      ],
      { stepMs: 5_000, log: opts.log },
    );
    paceRedis.disconnect();
  };
  try {
    if (!channels.slack && !channels.email) {
      throw new ConfigError('SLACK_BOT_TOKEN / SMTP_URL: the worker has no channel to send with; set at least one (or EMAIL_TRANSPORT=graph)');
    }
    const evicting = await evictionPolicyWarning(paceRedis);
    if (evicting) opts.onWarn?.(evicting);
    const insecure = publicUrlProblem(config.PUBLIC_URL);
    if (insecure) opts.onWarn?.(`${insecure.message}; ${insecure.fix}`);
    const database = (db = opts.db ?? (await openConfiguredDatabase(config, { poolSize: 20 })));
    const clock = opts.clock ?? systemClock;
    const delivery = createDeliveryMetrics();
    metrics = config.WORKER_METRICS_PORT === undefined ? undefined : await startMetricsListener(delivery.registry, config.WORKER_METRICS_PORT, config.HOST);
    queues = deliveryQueues(config, opts.onError);
    const store = new DeliveryStore(database.sql);
    const engine = buildEngine(config);
    const plans = new PlanCache(database.stores.projects);
    const approvalDeps = { stores: database.stores, engine, publicUrl: config.PUBLIC_URL, clock, plans, secret };
    workers = startDeliveryWorkers({
      connection: redisConnection(config.REDIS_URL, opts.onError),
      prefix: config.REDIS_PREFIX,
      queues,
      concurrency: opts.concurrency,
      sweep: opts.sweep,
      lockDurationMs: opts.lockDurationMs,
      onError: opts.onError,
      deps: {
        db: database.sql,
        store,
        clock,
        channels,
        engine,
        plans,
        publicUrl: config.PUBLIC_URL,
        secret,
        bounceAddress: config.BOUNCE_ADDRESS,
        staleSendingMs: opts.staleSendingMs ?? 90_000,
        limits: buildLimits(config, paceRedis, { emailWindowMs: opts.emailWindowMs || undefined }),
        mailboxOf: cachedMailboxes(store),
        digests: cachedDigests((request) => buildDigest(database, request)),
        observer: delivery.observer,
        approvals: approvalGate(approvalDeps),
      },
    });
    escalations = new EscalationSweeper({
      db: database,
      clock,
      intervalMs: opts.escalationSweepMs || undefined,
      onError: opts.onError,
    });
    escalations.start();
    approvals = new ApprovalSweeper({ deps: approvalDeps, intervalMs: opts.approvalSweepMs || undefined, onError: opts.onError });
    approvals.start();
    return { db: database, queues, workers, channels, metrics, close };
  } catch (err) {
    await close();
    throw err;
  }
}
