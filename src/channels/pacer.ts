import { setTimeout as sleep } from 'node:timers/promises';

/** Thrown instead of waiting when the next free slot is further away than the caller accepts. */
export class PaceWaitTooLong extends Error {
  readonly waitMs: number;
  constructor(waitMs: number) {
    super(`next send slot is ${waitMs} ms away`);
    this.waitMs = waitMs;
  }
}

/**
 * Spaces events per key at least `intervalMs` apart by reserving slots in advance, so concurrent
 * callers for one key queue up on timers (no polling) while other keys go through at once.
 */
export class KeyedPacer {
  readonly intervalMs: number;
  private readonly now: () => number;
  private readonly nextSlot = new Map<string, number>();

  constructor(intervalMs: number, now: () => number = Date.now) {
    this.intervalMs = Math.max(0, intervalMs);
    this.now = now;
  }

  /** Reserves the next slot for `key` and returns how long to wait for it (0 = go now). */
  reserve(key: string, maxWaitMs = Number.POSITIVE_INFINITY): number {
    if (this.intervalMs === 0) return 0;
    const now = this.now();
    this.forgetIdle(now);
    const slot = Math.max(now, this.nextSlot.get(key) ?? now);
    const wait = slot - now;
    if (wait > maxWaitMs) throw new PaceWaitTooLong(wait);
    this.nextSlot.set(key, slot + this.intervalMs);
    return wait;
  }

  /** Waits for this key's next slot. */
  async acquire(key: string, maxWaitMs?: number): Promise<void> {
    const wait = this.reserve(key, maxWaitMs);
    if (wait > 0) await sleep(wait);
  }

  /** Keys whose next slot is already in the past hold no information; drop them so the map stays small. */
  private forgetIdle(now: number): void {
    if (this.nextSlot.size < 1024) return;
    for (const [key, slot] of this.nextSlot) if (slot <= now) this.nextSlot.delete(key);
  }
}
