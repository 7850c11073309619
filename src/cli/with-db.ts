import { openDatabase, type Database } from '../db/database.ts';
import type { CliContext } from './context.ts';

/** Opens the configured database (migrating it), runs `fn`, and always closes it. */
export async function withDb<T>(ctx: CliContext, fn: (db: Database) => Promise<T>): Promise<T> {
  const cfg = ctx.config();
  const db = await openDatabase({ databaseUrl: cfg.DATABASE_URL, dataDir: cfg.HERALD_DATA_DIR });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
