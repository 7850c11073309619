/**
 * The part of a Prisma client (or transaction) the bulk repositories use. The worker's hot
 * path gets the same shape straight from the driver (Database.sql), without Prisma's overhead.
 */
export interface SqlClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  /**
   * Runs `COPY … FROM STDIN` with `data` (chunks of COPY's text format, taken as the server
   * reads them) and returns the rows copied.
   * Only driver-level transactions have it (PostgreSQL through pg-copy-streams, PGlite through
   * `/dev/blob`); callers fall back to INSERT without it.
   */
  copyFrom?(statement: string, data: Iterable<string>): Promise<number>;
}

/**
 * A SqlClient that can also run a transaction. A PrismaClient is one; so is Database.sql,
 * which runs the transaction on one driver connection without Prisma in between.
 */
export interface SqlDatabase extends SqlClient {
  $transaction<T>(fn: (tx: SqlClient) => Promise<T>, opts?: { timeout?: number; maxWait?: number }): Promise<T>;
}

/** Splits rows into chunks so one statement never carries an unbounded parameter array. */
export function chunks<T>(rows: readonly T[], size = 5000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
