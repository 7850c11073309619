import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

// Options only; the action loads its implementation when it runs (see src/cli/main.ts).
export function registerServeCommands(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the HTTP server: health, metrics, Slack interactivity (or Socket Mode), answer links and unsubscribe pages')
    .action(async () => (await import('../actions/serve.ts')).serve(ctx));
}
