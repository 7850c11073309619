import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { PaceWaitTooLong, type Pacer } from './pacer.ts';

/**
 * Reserves the next free slot for a key atomically, on Redis's own clock, so every worker
 * process shares one schedule per conversation: returns the wait, or -(wait+1) when the
 * slot is further away than the caller accepts (nothing is reserved then).
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local nextSlot = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nextSlot)
local wait = slot - now
if wait > maxWait then return -wait - 1 end
redis.call('SET', KEYS[1], slot + interval, 'PX', wait + interval + 1000)
return wait
`;

/** Spaces sends per key across all worker processes (Slack's one message per second per channel). */
export class RedisPacer implements Pacer {
  constructor(
    private readonly redis: Redis,
    private readonly intervalMs: number,
    private readonly prefix: string,
  ) {}

  async acquire(key: string, maxWaitMs = 3_600_000): Promise<void> {
    if (this.intervalMs <= 0) return;
    const wait = Number(await this.redis.eval(RESERVE, 1, `${this.prefix}:pace:${key}`, Math.ceil(this.intervalMs), Math.floor(maxWaitMs)));
    if (wait < 0) throw new PaceWaitTooLong(-wait - 1);
    if (wait > 0) await sleep(wait);
  }
}
