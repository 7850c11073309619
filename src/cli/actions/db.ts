import { openDatabase } from '../../db/database.ts';
import type { CliContext } from '../context.ts';

export async function dbMigrate(ctx: CliContext): Promise<void> {
  const cfg = ctx.config();
  const applied: string[] = [];
  const conn = await openDatabase({
    databaseUrl: cfg.DATABASE_URL,
    dataDir: cfg.HERALD_DATA_DIR,
    log: (line) => applied.push(line),
  });
  await conn.close();
  ctx.output.out(applied.length ? applied.join('\n') : 'database is up to date');
}
