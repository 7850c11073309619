import { escalateOverdue } from '../src/app/escalate-overdue.ts';
import type { Clock } from '../src/app/ports.ts';
import type { SqlClient } from '../src/db/repo/sql-client.ts';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { PERIODIC } from './catalogue.ts';
import { Periodic } from './periodic.ts';

/**
 * Thin: every `intervalMs` (default 15 s), moves overdue unacknowledged escalations to level 2.
 * Each worker process runs one; the use case claims rows with SKIP LOCKED, so they never clash.
 *
 * Whether any is due is asked first in raw SQL: an idle worker's Prisma client is never made,
 * and its query compiler (WebAssembly) is ~80 MiB of RSS once loaded (bench:cli idle worker).
 * `prisma` is a getter for that reason (Database.prisma makes the client on first use).
 */
export class EscalationSweeper extends Periodic {
  constructor(o: { db: { readonly prisma: PrismaClient; readonly sql: SqlClient }; clock: Clock; intervalMs?: number; onError?: (e: unknown) => void }) {
    super(
      async () => ((await anyDue(o.db.sql, o.clock.now())) ? escalateOverdue({ prisma: o.db.prisma, clock: o.clock }) : 0),
      () => o.intervalMs ?? PERIODIC.escalateOverdue.intervalMs,
      o.onError,
    );
  }
}

/** The same condition escalateOverdue claims rows by, without locking any. */
async function anyDue(sql: SqlClient, now: Date): Promise<boolean> {
  const rows = await sql.$queryRawUnsafe<unknown[]>(
    `SELECT 1 FROM "Escalation" WHERE "state"='open' AND "level"=1 AND "secondId" IS NOT NULL AND "escalateAt" <= $1::timestamptz LIMIT 1`,
    now,
  );
  return rows.length > 0;
}
