import { escalateOverdue } from '../src/app/escalate-overdue.ts';
import type { Clock } from '../src/app/ports.ts';
import type { Database } from '../src/db/database.ts';
import { anyEscalationDue } from '../src/db/repo/escalation-due.ts';
import { PERIODIC } from './catalogue.ts';
import { Periodic } from './periodic.ts';

/**
 * Thin: every `intervalMs` (default 15 s), moves overdue unacknowledged escalations to level 2.
 * Each worker process runs one; the use case claims rows with SKIP LOCKED, so they never clash.
 *
 * Whether any is due is asked first on the driver (src/db/repo/escalation-due.ts): an idle
 * worker's ORM client is never made (bench:cli idle worker); the stores make it on first use.
 */
export class EscalationSweeper extends Periodic {
  constructor(o: { db: Pick<Database, 'stores' | 'sql'>; clock: Clock; intervalMs?: number; onError?: (e: unknown) => void }) {
    super(
      async () => ((await anyEscalationDue(o.db.sql, o.clock.now())) ? escalateOverdue({ stores: o.db.stores, clock: o.clock }) : 0),
      () => o.intervalMs ?? PERIODIC.escalateOverdue.intervalMs,
      o.onError,
    );
  }
}
