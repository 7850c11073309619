import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { redisPrefixOf } from './run-id.ts';

let counter = 0;

/**
 * A Redis key prefix no other test, test file, worker process or run uses:
 * `herald-t-<runid>-<pid>-<n>`. Pass it as BullMQ's `prefix`; remove it with cleanupRedisPrefix.
 */
export function testRedisPrefix(): string {
  return `${redisPrefixOf(inject('heraldRunId'))}${process.pid}-${++counter}`;
}

/** Deletes every key starting with `prefix` (SCAN, never KEYS, so a busy Redis is not blocked). */
export async function cleanupRedisPrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  // A test that stopped its own Redis still cleans up without an "unhandled error" line.
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await deleteByPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

export async function deleteByPrefix(redis: Redis, prefix: string, keep?: (key: string) => boolean): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, (ch) => `\\${ch}`)}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    const doomed = keep ? keys.filter((k) => !keep(k)) : keys;
    if (doomed.length > 0) deleted += await redis.unlink(...doomed);
  } while (cursor !== '0');
  return deleted;
}
