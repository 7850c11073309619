import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import type { WorkerOptions } from '../actions/worker.ts';

// Options only; the action loads its implementation when it runs (see src/cli/main.ts).
export function registerWorkerCommands(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description('run the delivery workers (any number of processes, on any number of machines)')
    .option('--slack-concurrency <n>', 'Slack sends in flight in this process', '50')
    .option('--email-concurrency <n>', 'e-mails in flight in this process', '10')
    .option('--lock-ms <ms>', 'job lock lifetime: jobs of a killed worker are taken over after it', '30000')
    .action(async (opts: WorkerOptions) => (await import('../actions/worker.ts')).worker(ctx, opts));
}
