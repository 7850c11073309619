/**
 * Readiness (`GET /readyz`): whether the database answers. Raw SQL because Prisma's query API
 * cannot express a bare `SELECT 1`; it goes through the Prisma client on purpose, so that a ready
 * server has proved the client and its driver adapter work, not only the pool. Not a hot path.
 */
import type { Database } from '../database.ts';

export async function probeDatabase(db: Pick<Database, 'prisma'>): Promise<void> {
  await db.prisma.$queryRawUnsafe('SELECT 1');
}
