import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

// Options only; the action loads its implementation when it runs (see src/cli/main.ts).
export function registerDbCommands(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply the SQL migrations (also done automatically on start)')
    .action(async () => (await import('../actions/db.ts')).dbMigrate(ctx));
}
