import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export type Tx = Prisma.TransactionClient;

/**
 * An interactive transaction with limits sized for bulk work (Prisma's default 5 s timeout is too
 * short for applying a plan of thousands of people). Everything in `fn` commits or none of it.
 */
export function withTransaction<T>(
  prisma: PrismaClient,
  fn: (tx: Tx) => Promise<T>,
  opts: { timeoutMs?: number | undefined; maxWaitMs?: number | undefined } = {},
): Promise<T> {
  return prisma.$transaction(fn, { timeout: opts.timeoutMs ?? 120_000, maxWait: opts.maxWaitMs ?? 10_000 });
}
