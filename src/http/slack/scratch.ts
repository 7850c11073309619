import type { Redis } from 'ioredis';
import type { Scratch } from './interactions.ts';

/** Scratch storage in Redis under the install's prefix, shared by every `herald serve` process. */
export function redisScratch(redis: Redis, prefix: string): Scratch {
  return {
    get: (key) => redis.get(`${prefix}:${key}`),
    async set(key, value, ttlSeconds) {
      await redis.set(`${prefix}:${key}`, value, 'EX', ttlSeconds);
    },
  };
}
