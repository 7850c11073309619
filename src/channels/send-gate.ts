import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/** Thrown instead of waiting when the key would open later than the caller accepts. */
export class PaceWaitTooLong extends Error {
  readonly waitMs: number;
  constructor(waitMs: number) {
    super(`next send slot is ${waitMs} ms away`);
    this.waitMs = waitMs;
  }
}

/** Called after a send with how long the key should stay closed. */
export type GateRelease = (holdMs: number) => Promise<void>;

/**
 * One send at a time per key (a Slack conversation), and the key stays closed for a while
 * after each send *completes*. Spacing from the completion rather than from a planned slot
 * means arrival jitter can never bring two posts closer than the hold: Slack's "one message
 * per second per channel" is kept without a safety margin.
 */
export interface SendGate {
  /** Waits for the key; throws PaceWaitTooLong when that would take longer than `maxWaitMs`. */
  enter(key: string, maxWaitMs?: number): Promise<GateRelease>;
}

/** The gate within one process: senders for a key queue up in order on promises. */
export class LocalGate implements SendGate {
  private readonly queues = new Map<string, { tail: Promise<void>; depth: number }>();

  /** `typicalHoldMs` estimates the wait of a queue (depth × hold) for `maxWaitMs`. */
  constructor(private readonly typicalHoldMs: number) {}

  /** Whether another sender of this process is queued behind the current one. */
  hasWaiters(key: string): boolean {
    return (this.queues.get(key)?.depth ?? 0) > 1;
  }

  async enter(key: string, maxWaitMs = Number.POSITIVE_INFINITY): Promise<GateRelease> {
    const q = this.queues.get(key) ?? { tail: Promise.resolve(), depth: 0 };
    const estimate = q.depth * this.typicalHoldMs;
    if (estimate > maxWaitMs) throw new PaceWaitTooLong(estimate);
    let open!: () => void;
    const mine = new Promise<void>((resolve) => (open = resolve));
    const ahead = q.tail;
    q.tail = mine;
    q.depth++;
    this.queues.set(key, q);
    await ahead;
    let released = false;
    return async (holdMs) => {
      if (released) return;
      released = true;
      setTimeout(
        () => {
          if (--q.depth === 0) this.queues.delete(key);
          open();
        },
        Math.max(0, holdMs),
      ).unref();
    };
  }
}

/**
 * Takes the key if free (0), else says when to look again (ms): the rest of a hold exactly,
 * or a short poll while another process's send is under way (its end is not known in advance).
 */
const ENTER = `
if redis.call('SET', KEYS[1], 's:' .. ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then return 1 end
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 2) == 's:' then return math.min(ttl, tonumber(ARGV[3])) end
return ttl
`;
/** Keeps our own key closed for the hold after the send (a lapsed lease is not touched). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == 's:' .. ARGV[1] then redis.call('SET', KEYS[1], 'h:' .. ARGV[1], 'PX', ARGV[2]) return 1 end
return 0
`;
/** Hands our lease straight to the next sender of this process; it opens after the hold by that sender's own timer. */
const HANDOFF = `
if redis.call('GET', KEYS[1]) == 's:' .. ARGV[1] then redis.call('SET', KEYS[1], 's:' .. ARGV[2], 'PX', ARGV[3]) return 1 end
return 0
`;
/** How often to look while another process is sending. */
const POLL_MS = 25;

/**
 * The gate across every worker process: a Redis key per conversation, taken with a lease while
 * a send is under way (so a killed process frees it) and then held for the spacing. Senders of
 * one process queue locally first, so only one of them at a time waits on Redis.
 */
type GateRedis = Redis & {
  heraldGateEnter(key: string, token: string, leaseMs: number, pollMs: number): Promise<unknown>;
  heraldGateRelease(key: string, token: string, holdMs: number): Promise<unknown>;
  heraldGateHandoff(key: string, token: string, next: string, ms: number): Promise<unknown>;
};

export class RedisGate implements SendGate {
  private readonly local: LocalGate;
  private readonly redis: GateRedis;
  /** Keys whose lease was handed to the next local sender: its token and when it may send. */
  private readonly handed = new Map<string, { token: string; openAt: number }>();

  constructor(
    redis: Redis,
    private readonly prefix: string,
    typicalHoldMs: number,
    private readonly leaseMs = 15_000,
  ) {
    this.local = new LocalGate(typicalHoldMs);
    // EVALSHA instead of EVAL: two scripts per Slack post, the body sent once per connection
    // rather than every time (bench:delivery throughput, 12,000 EVALs for 6,000 posts).
    if (!('heraldGateEnter' in redis)) {
      redis.defineCommand('heraldGateEnter', { lua: ENTER, numberOfKeys: 1 });
      redis.defineCommand('heraldGateRelease', { lua: RELEASE, numberOfKeys: 1 });
      redis.defineCommand('heraldGateHandoff', { lua: HANDOFF, numberOfKeys: 1 });
    }
    this.redis = redis as GateRedis;
  }

  async enter(key: string, maxWaitMs = Number.POSITIVE_INFINITY): Promise<GateRelease> {
    const started = Date.now();
    const releaseLocal = await this.local.enter(key, maxWaitMs);
    const redisKey = `${this.prefix}:gate:${key}`;
    let token: string = randomUUID();
    const handed = this.handed.get(key);
    this.handed.delete(key);
    try {
      if (handed) {
        // The previous sender of this process passed us the lease: no Redis round trip, only the hold.
        token = handed.token;
        const wait = handed.openAt - Date.now();
        if (wait > 0) await sleep(wait);
      } else {
        for (;;) {
          const ttl = Number(await this.redis.heraldGateEnter(redisKey, token, this.leaseMs, POLL_MS));
          if (ttl === 0) break;
          if (Date.now() - started + ttl > maxWaitMs) throw new PaceWaitTooLong(ttl);
          await sleep(ttl + Math.floor(Math.random() * 5));
        }
      }
    } catch (e) {
      await releaseLocal(0);
      throw e;
    }
    return async (holdMs) => {
      const hold = Math.max(1, Math.round(holdMs));
      // Measured from now, when the send has completed, like the hold in Redis.
      const openAt = Date.now() + hold;
      try {
        if (this.local.hasWaiters(key)) {
          const next = randomUUID();
          if (Number(await this.redis.heraldGateHandoff(redisKey, token, next, hold + this.leaseMs)) === 1) {
            this.handed.set(key, { token: next, openAt });
            return;
          }
        }
        await this.redis.heraldGateRelease(redisKey, token, hold);
      } finally {
        await releaseLocal(0);
      }
    };
  }
}
