import type { Clock } from '../src/app/ports.ts';
import { claimDue, findStranded, touch, type ClaimedMessage } from '../src/db/repo/delivery-store.ts';
import type { SqlClient } from '../src/db/repo/sql-client.ts';
import { PERIODIC } from './catalogue.ts';
import { Periodic } from './periodic.ts';

export interface SweeperOptions {
  db: SqlClient;
  clock: Clock;
  enqueue: (messages: ClaimedMessage[]) => Promise<void>;
  /** How often to look for due messages. */
  intervalMs?: number;
  /** Messages due within this window are handed to BullMQ as delayed jobs. */
  horizonMs?: number;
  /** Queued rows untouched this long are re-enqueued. */
  strandedAfterMs?: number;
  /** Sending rows untouched this long were abandoned by a killed worker (the processor's bound). */
  staleSendingMs?: number;
  batch?: number;
  onError?: (e: unknown) => void;
}

/**
 * Moves due messages from the database into the queue. Messages far in the future stay in
 * the database only, so re-planning them never has to chase jobs in Redis; a short horizon
 * plus BullMQ's precise delayed jobs delivers each one on time.
 */
export class Sweeper {
  private lastStrandedCheck = 0;
  private readonly loop: Periodic;

  constructor(private readonly o: SweeperOptions) {
    this.loop = new Periodic(
      () => this.sweepOnce(),
      () => this.o.intervalMs ?? PERIODIC.sweepDue.intervalMs,
      this.o.onError,
    );
  }

  start(): void {
    this.loop.start();
  }

  /** One pass; returns how many messages it enqueued. */
  async sweepOnce(): Promise<number> {
    const now = this.o.clock.now();
    const horizon = new Date(now.getTime() + (this.o.horizonMs ?? 5_000));
    const batch = this.o.batch ?? 2_000;
    let total = 0;
    for (;;) {
      const due = await claimDue(this.o.db, horizon, batch);
      if (due.length) await this.o.enqueue(due);
      total += due.length;
      if (due.length < batch) break;
    }
    const strandedAfter = this.o.strandedAfterMs ?? 60_000;
    if (now.getTime() - this.lastStrandedCheck >= strandedAfter / 2) {
      this.lastStrandedCheck = now.getTime();
      // A sending row's age is wall time (its "updatedAt" is the database's now()), like the processor's bound.
      const stranded = await findStranded(
        this.o.db,
        { queuedBefore: new Date(now.getTime() - strandedAfter), sendingBefore: new Date(Date.now() - (this.o.staleSendingMs ?? 90_000)) },
        batch,
      );
      if (stranded.length) {
        await this.o.enqueue(stranded);
        await touch(
          this.o.db,
          stranded.filter((s) => s.status === 'queued').map((s) => s.id),
        );
        total += stranded.length;
      }
    }
    return total;
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
