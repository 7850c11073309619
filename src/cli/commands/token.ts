import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

// Options only; each action loads its implementation when it runs (see src/cli/main.ts).
export function registerTokenCommands(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('REST API bearer tokens (stored hashed; the secret is shown once)');
  token
    .command('create')
    .description('create a token and print its secret once (for --role feed, also the feed address)')
    .requiredOption('--role <role>', 'admin | editor | viewer, or feed: a calendar feed only, never the API (needs --project)')
    .option('--project <key>', 'limit the token to one project')
    .option('--person <id>', "with --role feed: only this person's feed")
    .option('--name <name>', 'a unique name to revoke it by (default: generated)')
    .action(async (opts: { role: string; project?: string; person?: string; name?: string }) => (await import('../actions/token.ts')).tokenCreate(ctx, opts));
  token
    .command('revoke')
    .description('revoke a token by id or name')
    .argument('<id-or-name>')
    .action(async (idOrName: string) => (await import('../actions/token.ts')).tokenRevoke(ctx, idOrName));
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .action(async () => (await import('../actions/token.ts')).tokenList(ctx));
}
