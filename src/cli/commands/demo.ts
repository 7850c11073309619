import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

// Options only; the action loads its implementation when it runs (see src/cli/main.ts).
export function registerDemoCommands(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('the whole system in one process on embedded defaults, with a Slack sandbox and a mail sink you can click through')
    .option('--port <n>', 'HTTP port (default: a free one)', (v) => Number(v))
    .option('--speed <x>', 'how much faster than the wall clock the demo clock runs', (v) => Number(v), 30)
    .option('--no-open', 'do not open a browser')
    .action(async (o: { port?: number; speed: number; open: boolean }) => (await import('../actions/demo.ts')).demo(ctx, o));
}
