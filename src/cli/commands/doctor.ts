import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

// Options only; the action loads its implementation when it runs (see src/cli/main.ts).
export function registerDoctorCommands(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('check every part a deployment needs (database, Redis, Slack, e-mail, PUBLIC_URL, HERALD_SECRET); sends nothing; exit 1 on a failure')
    .option('--format <format>', 'table or json', 'table')
    .option('--timeout-ms <ms>', 'how long each check may take', '8000')
    .action(async (opts: { format: string; timeoutMs: string }) => (await import('../actions/doctor.ts')).doctor(ctx, opts));
}
