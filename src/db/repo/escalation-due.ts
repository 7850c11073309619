/**
 * Whether any escalation is due to go to level 2: the escalation sweeper's question every 15 s in
 * every worker (jobs/escalation-sweeper.ts), asked before the use case runs.
 *
 * Raw SQL on the driver (Database.sql), not Prisma, for bench:cli's idle worker RSS (aim
 * ≤ 120 MiB; 109 MiB 5 s after start, 83 MiB after 60 s idle, README "Performance"): asking through
 * Prisma would make the client in every idle worker, and its WebAssembly query compiler is ~80 MiB
 * of RSS once loaded (commit 34fa14e).
 */
import type { SqlClient } from './sql-client.ts';

/** The same condition escalateOverdue claims rows by, without locking any. */
export async function anyEscalationDue(sql: SqlClient, now: Date): Promise<boolean> {
  const rows = await sql.$queryRawUnsafe<unknown[]>(
    `SELECT 1 FROM "Escalation" WHERE "state"='open' AND "level"=1 AND "secondId" IS NOT NULL AND "escalateAt" <= $1::timestamptz LIMIT 1`,
    now,
  );
  return rows.length > 0;
}
