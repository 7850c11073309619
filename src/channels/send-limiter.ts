import type { Redis } from 'ioredis';

/** At most `max` sends in any `windowMs` (a sliding window, as providers count). */
export interface RateWindow {
  max: number;
  windowMs: number;
  /** Names the limit in logs and docs, e.g. `EMAIL_RATE_PER_MINUTE`. */
  name: string;
}

/**
 * One provider limit shared by every worker process. A sender *reserves* a send slot before it
 * does anything else: the answer is how long to wait for it (0 = now). Waiting is the caller's
 * business (a queue job is delayed until its slot), and nothing is ever turned away, so a wait
 * can never use up the allowance. A reservation that ends without a send is released.
 */
export interface SendLimiter {
  readonly windows: readonly RateWindow[];
  /**
   * Takes the earliest slot that keeps every window, or reports the slot `ticket` already holds
   * (a job back from its delay asks again with the same ticket). Returns ms until the slot; ≤ 0 = go.
   */
  reserve(ticket: string): Promise<number>;
  /** Gives a slot back: its job ended without sending (cancelled, moved, already sent). */
  release(ticket: string): Promise<void>;
}

/**
 * The slot is computed atomically in Redis from a sorted set of slots per window (member =
 * ticket, score = slot time by Redis's own clock, so workers on several machines agree):
 *  - drop slots that left the window;
 *  - with `max` slots still in it, the new one goes `windowMs` (+ margin) after the max-th
 *    latest, when that one leaves; never before the latest slot, so slots are handed out in
 *    order and a later reservation can never crowd an earlier one's window.
 * Several windows (per minute and per day) are kept together: the slot is the latest any
 * of them needs, and it is taken in all or none.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ticket = ARGV[1]
local margin = tonumber(ARGV[2])
local longest = 0
for i = 1, #KEYS do
  local win = tonumber(ARGV[2 + 2 * i])
  if win > longest then longest = win end
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - win)
end
local held = redis.call('ZSCORE', KEYS[1], ticket)
if held then return tonumber(held) - now end
local slot = now
for i = 1, #KEYS do
  local max = tonumber(ARGV[1 + 2 * i])
  local win = tonumber(ARGV[2 + 2 * i])
  local n = redis.call('ZCARD', KEYS[i])
  if n >= max then
    local e = redis.call('ZRANGE', KEYS[i], n - max, n - max, 'WITHSCORES')
    slot = math.max(slot, tonumber(e[2]) + win + margin)
  end
  local last = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
  if last[2] then slot = math.max(slot, tonumber(last[2])) end
end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], slot, ticket)
  redis.call('PEXPIRE', KEYS[i], slot - now + longest + 1000)
end
return slot - now
`;

const RELEASE = `for i = 1, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end return 1`;

type LimiterRedis = Redis & {
  heraldReserve(numKeys: number, ...args: Array<string | number>): Promise<number>;
  heraldRelease(numKeys: number, ...args: Array<string | number>): Promise<number>;
};

export class RedisSendLimiter implements SendLimiter {
  private readonly redis: LimiterRedis;
  private readonly keys: string[];
  private readonly windowArgs: number[];

  /**
   * `key` names the limit (e.g. `email`); `marginMs` widens each window a little so that
   * sends that start a few ms late on their slot still keep the provider's own window.
   */
  constructor(
    redis: Redis,
    prefix: string,
    key: string,
    readonly windows: readonly RateWindow[],
    private readonly marginMs = 0,
  ) {
    if (windows.length === 0) throw new Error('a send limiter needs at least one window');
    // defineCommand sends EVALSHA (falling back to EVAL once): the script body crosses the wire once per connection.
    if (!('heraldReserve' in redis)) {
      redis.defineCommand('heraldReserve', { lua: RESERVE });
      redis.defineCommand('heraldRelease', { lua: RELEASE });
    }
    this.redis = redis as LimiterRedis;
    this.keys = windows.map((w) => `${prefix}:limit:${key}:${w.windowMs}`);
    this.windowArgs = windows.flatMap((w) => [Math.max(1, Math.floor(w.max)), Math.max(1, Math.round(w.windowMs))]);
  }

  async reserve(ticket: string): Promise<number> {
    return Number(await this.redis.heraldReserve(this.keys.length, ...this.keys, ticket, this.marginMs, ...this.windowArgs));
  }

  async release(ticket: string): Promise<void> {
    await this.redis.heraldRelease(this.keys.length, ...this.keys, ticket);
  }
}
