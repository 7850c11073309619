import { HeraldError } from '../domain/errors.ts';
import type { Redis } from 'ioredis';

/** At most `max` sends in any `windowMs` (a sliding window, as providers count). */
export interface RateWindow {
  max: number;
  windowMs: number;
  /** Names the limit in logs and docs, e.g. `EMAIL_RATE_PER_MINUTE`. */
  name: string;
}

/**
 * One provider limit shared by every worker process, in three steps on the same windows:
 *  - `reserve` before anything else (before the message is even claimed) hands out the
 *    earliest slot that keeps every window; the answer is how long to wait for it (≤ 0 = now).
 *    Waiting is the caller's business (a queue job is delayed until its slot), and nothing is
 *    ever turned away, so a wait never uses up the allowance.
 *  - `confirm` right before the provider is contacted records the send as in flight, or asks
 *    for a short wait while the sends already in the window fill it.
 *  - `done` once the provider has answered (or the attempt failed) stamps the send with that
 *    time. The provider saw the send somewhere between `confirm` and `done`, so counting every
 *    send from its `done`, and an in-flight one as occupying the window until then, keeps the
 *    provider's window exactly, however late a send reached the provider after its confirm.
 * A reservation that ends without a send is released.
 */
export interface SendLimiter {
  readonly windows: readonly RateWindow[];
  /** Takes a slot, or reports the one `ticket` already holds (a job back from its delay). Returns ms until it. */
  reserve(ticket: string): Promise<number>;
  /** Records `ticket` as being sent now (0), or says how many ms to wait before asking again. */
  confirm(ticket: string): Promise<number>;
  /** Stamps the confirmed send of `ticket` as finished now: the provider answered, or the attempt failed. */
  done(ticket: string): Promise<void>;
  /** Gives a slot back: its job ended without sending (cancelled, moved, already sent). */
  release(ticket: string): Promise<void>;
}

/** Every script: now by Redis's clock (ms), the ticket, the lease, and w windows (KEYS = w slot sets, then w sent sets). */
const PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ticket = ARGV[1]
local lease = tonumber(ARGV[2])
local w = #KEYS / 2
`;

/**
 * Per window two sorted sets, member = ticket, score = ms by Redis's own clock (so workers on
 * several machines agree): `slots` (reserved, and re-stamped when sent late) and `sent`
 * (sends: finished ones at their `done`, in-flight ones at the end of their lease). To
 * reserve: drop what left the window; with `max` slots still in it, the new one goes
 * `windowMs` after the max-th latest, when that one leaves; never before the latest slot, so
 * slots are handed out in order and a later reservation cannot crowd an earlier one's window.
 * Several windows (per minute, per day) are kept together: the slot is the latest any of them
 * needs, taken in all or none.
 */
const RESERVE = `${PRELUDE}local longest = 0
for i = 1, w do
  local win = tonumber(ARGV[2 + 2 * i])
  if win > longest then longest = win end
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - win)
end
local held = redis.call('ZSCORE', KEYS[1], ticket)
if held then return tonumber(held) - now end
local slot = now
for i = 1, w do
  local max = tonumber(ARGV[1 + 2 * i])
  local win = tonumber(ARGV[2 + 2 * i])
  local n = redis.call('ZCARD', KEYS[i])
  if n >= max then
    local e = redis.call('ZRANGE', KEYS[i], n - max, n - max, 'WITHSCORES')
    slot = math.max(slot, tonumber(e[2]) + win)
  end
  local last = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
  if last[2] then slot = math.max(slot, tonumber(last[2])) end
end
for i = 1, w do
  redis.call('ZADD', KEYS[i], slot, ticket)
  redis.call('PEXPIRE', KEYS[i], slot - now + longest + 1000)
end
return slot - now
`;

/**
 * The same window rule over sends only. A send in flight (scored at its lease's end, in the
 * future) will be stamped no earlier than now, so it holds the window for at least a whole
 * window from now. The lease only matters when a worker dies mid-send: its send is then
 * counted as made at the lease's end, later than the provider can have seen it.
 */
const CONFIRM = `${PRELUDE}local wait = 0
local longest = 0
for i = 1, w do
  local max = tonumber(ARGV[1 + 2 * i])
  local win = tonumber(ARGV[2 + 2 * i])
  if win > longest then longest = win end
  local sent = KEYS[w + i]
  redis.call('ZREMRANGEBYSCORE', sent, '-inf', now - win)
  if not redis.call('ZSCORE', sent, ticket) then
    local n = redis.call('ZCARD', sent)
    if n >= max then
      local e = redis.call('ZRANGE', sent, n - max, n - max, 'WITHSCORES')
      wait = math.max(wait, math.min(tonumber(e[2]), now) + win - now)
    end
  end
end
if wait > 0 then return wait end
for i = 1, w do
  redis.call('ZADD', KEYS[w + i], now + lease, ticket)
  redis.call('PEXPIRE', KEYS[w + i], lease + longest + 1000)
  redis.call('ZADD', KEYS[i], 'GT', now, ticket)
  redis.call('PEXPIRE', KEYS[i], longest + 1000, 'GT')
end
return 0
`;

/** A confirmed send finished: its score becomes now, in the sent sets and (when later) the slots. */
const DONE = `${PRELUDE}for i = 1, w do
  redis.call('ZADD', KEYS[w + i], 'XX', now, ticket)
  redis.call('ZADD', KEYS[i], 'XX', 'GT', now, ticket)
end
return 1
`;

const RELEASE = `local w = #KEYS / 2 for i = 1, w do redis.call('ZREM', KEYS[i], ARGV[1]) end return 1`;

type LimiterRedis = Redis & {
  heraldReserve(numKeys: number, ...args: Array<string | number>): Promise<number>;
  heraldConfirm(numKeys: number, ...args: Array<string | number>): Promise<number>;
  heraldDone(numKeys: number, ...args: Array<string | number>): Promise<number>;
  heraldRelease(numKeys: number, ...args: Array<string | number>): Promise<number>;
};

export class RedisSendLimiter implements SendLimiter {
  private readonly redis: LimiterRedis;
  private readonly keys: string[];
  private readonly windowArgs: number[];

  /**
   * `key` names the limit (e.g. `email`); `leaseMs` bounds how long a confirmed send may stay
   * unfinished (longer than any send takes: the e-mail channel's timeouts are 30 s a step).
   */
  constructor(
    redis: Redis,
    prefix: string,
    key: string,
    readonly windows: readonly RateWindow[],
    private readonly leaseMs = 120_000,
  ) {
    if (windows.length === 0) throw new HeraldError('INTERNAL', 'a send limiter needs at least one window');
    // defineCommand sends EVALSHA (falling back to EVAL once): the script body crosses the wire once per connection.
    if (!('heraldReserve' in redis)) {
      redis.defineCommand('heraldReserve', { lua: RESERVE });
      redis.defineCommand('heraldConfirm', { lua: CONFIRM });
      redis.defineCommand('heraldDone', { lua: DONE });
      redis.defineCommand('heraldRelease', { lua: RELEASE });
    }
    this.redis = redis as LimiterRedis;
    const base = windows.map((w) => `${prefix}:limit:${key}:${w.windowMs}`);
    this.keys = [...base, ...base.map((k) => `${k}:sent`)];
    this.windowArgs = windows.flatMap((w) => [Math.max(1, Math.floor(w.max)), Math.max(1, Math.round(w.windowMs))]);
  }

  async reserve(ticket: string): Promise<number> {
    return Number(await this.redis.heraldReserve(this.keys.length, ...this.keys, ticket, this.leaseMs, ...this.windowArgs));
  }

  async confirm(ticket: string): Promise<number> {
    return Number(await this.redis.heraldConfirm(this.keys.length, ...this.keys, ticket, this.leaseMs, ...this.windowArgs));
  }

  async done(ticket: string): Promise<void> {
    await this.redis.heraldDone(this.keys.length, ...this.keys, ticket, this.leaseMs, ...this.windowArgs);
  }

  async release(ticket: string): Promise<void> {
    await this.redis.heraldRelease(this.keys.length, ...this.keys, ticket);
  }
}

/** A channel's limiters, one per sending account: e-mail's per sender mailbox (Exchange Online counts per mailbox). */
export interface SendLimiterPool {
  /** The limiter of one mailbox (`''`: the default From, and jobs queued before mailboxes were told apart). */
  of(mailbox: string): SendLimiter;
}

/** One RedisSendLimiter per mailbox, each with the same windows, made on first use. */
export class RedisSendLimiterPool implements SendLimiterPool {
  private readonly limiters = new Map<string, SendLimiter>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly key: string,
    readonly windows: readonly RateWindow[],
  ) {}

  of(mailbox: string): SendLimiter {
    let l = this.limiters.get(mailbox);
    if (!l) {
      // The default mailbox keeps the keys of the single limiter this replaced, so a rolling upgrade counts on.
      l = new RedisSendLimiter(this.redis, this.prefix, mailbox ? `${this.key}:${mailbox}` : this.key, this.windows);
      if (this.limiters.size >= 10_000) this.limiters.clear();
      this.limiters.set(mailbox, l);
    }
    return l;
  }
}
