import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

// Options only; the action loads its implementation when it runs (see src/cli/main.ts).
export function registerInboxCommands(program: Command, ctx: CliContext): void {
  program
    .command('inbox')
    .description('inbound mail that recorded nothing (unmatched, mailing-list copies, unparseable) and replies from other addresses')
    .argument('<project>', 'project key')
    .option('--limit <n>', 'at most this many, newest first', '200')
    .option('--format <format>', 'table or json', 'table')
    .action(async (project: string, o: { limit: string; format: string }) => (await import('../actions/inbox.ts')).inbox(ctx, project, o));
}
