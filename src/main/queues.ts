/**
 * The delivery queues as each process needs them: the worker and a re-plan add and drop jobs
 * (DeliveryQueues), the HTTP server reads and drops them (ServerQueues). Apart from adapters.ts so
 * that `herald apply` loads the queue without the channels.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import type { ServerQueues } from '../http/server.ts';
import { DELIVERY_QUEUES } from '../../jobs/catalogue.ts';
import { forgetJobs } from '../../jobs/forget.ts';
import { DeliveryQueues, redisConnection } from '../../jobs/runtime.ts';

/**
 * The producer side of the delivery queues on a connection of their own (closed with them): the
 * worker's sweeper enqueues through it, a re-plan drops moved jobs through it.
 */
export function deliveryQueues(config: Pick<Config, 'REDIS_URL' | 'REDIS_PREFIX'>, onError?: (e: unknown) => void): DeliveryQueues {
  return new DeliveryQueues(config.REDIS_PREFIX, redisConnection(config.REDIS_URL, onError));
}

/**
 * What the HTTP server needs of the delivery queues (/metrics, bull-board, /readyz, dropping moved
 * jobs), on a connection that fails fast: /readyz must answer "redis unreachable" within seconds,
 * not wait for Redis to come back.
 */
export function serverQueues(conn: { redisUrl: string; prefix?: string | undefined }): ServerQueues & { close(): Promise<void> } {
  const redis = new Redis(conn.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  redis.on('error', () => {});
  const prefix = conn.prefix ?? 'herald';
  const queues = Object.values(DELIVERY_QUEUES).map((name) => new Queue(name, { connection: redis, prefix }));
  // An unreachable Redis shows in /readyz; without listeners each reconnect error would be "unhandled".
  for (const q of queues) q.on('error', () => {});
  return {
    queues,
    ping: () => redis.ping(),
    forget: (ids) => forgetJobs(queues, ids),
    async close() {
      await Promise.all(queues.map((q) => q.close().catch(() => {})));
      redis.disconnect();
    },
  };
}
