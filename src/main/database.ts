/**
 * The configured database, opened (and migrated) the same way by every process. Apart from
 * adapters.ts so that a CLI command that needs only the database loads neither queues nor channels.
 */
import type { Config } from '../config/config.ts';
import { openDatabase, type Database } from '../db/database.ts';

export async function openConfiguredDatabase(config: Config, opts: { log?: (line: string) => void; poolSize?: number } = {}): Promise<Database> {
  return openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.HERALD_DATA_DIR,
    log: opts.log,
    poolSize: opts.poolSize || undefined,
  });
}
