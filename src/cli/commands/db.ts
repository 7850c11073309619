import type { Command } from 'commander';
import { openDatabase } from '../../db/database.ts';
import type { CliContext } from '../context.ts';

export function registerDbCommands(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply the SQL migrations (also done automatically on start)')
    .action(async () => {
      const cfg = ctx.config();
      const applied: string[] = [];
      const conn = await openDatabase({
        databaseUrl: cfg.DATABASE_URL,
        dataDir: cfg.HERALD_DATA_DIR,
        log: (line) => applied.push(line),
      });
      await conn.close();
      ctx.output.out(applied.length ? applied.join('\n') : 'database is up to date');
    });
}
