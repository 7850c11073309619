import type { PrismaClient } from '../../generated/prisma/client.ts';

/** The part of a Prisma client (or transaction) the bulk repositories use. */
export type SqlClient = Pick<PrismaClient, '$queryRawUnsafe' | '$executeRawUnsafe'>;

/** Splits rows into chunks so one statement never carries an unbounded parameter array. */
export function chunks<T>(rows: readonly T[], size = 5000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
