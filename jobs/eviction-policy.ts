import type { Redis } from 'ioredis';

/**
 * BullMQ keeps jobs as plain keys: a Redis that evicts keys under memory pressure silently loses
 * queued sends. Returns one line to warn with when `maxmemory-policy` is not `noeviction`, and
 * undefined when it is, or when CONFIG is disabled (managed Redis often renames it) — then
 * there is nothing Herald can check.
 */
export async function evictionPolicyWarning(redis: Redis): Promise<string | undefined> {
  let reply: unknown;
  try {
    reply = await redis.call('CONFIG', 'GET', 'maxmemory-policy');
  } catch {
    return undefined;
  }
  const policy = Array.isArray(reply) ? reply[1] : undefined;
  if (typeof policy !== 'string' || policy === 'noeviction') return undefined;
  return (
    `Redis maxmemory-policy is "${policy}", not "noeviction": Redis may evict queued jobs under memory pressure; ` +
    `set maxmemory-policy noeviction (redis-server --maxmemory-policy noeviction)`
  );
}
