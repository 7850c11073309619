import type { CliContext } from '../context.ts';

export async function dbMigrate(ctx: CliContext): Promise<void> {
  const applied = await ctx.migrateDb();
  ctx.output.out(applied.length ? applied.join('\n') : 'database is up to date');
}
