import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

// Options only; each action loads its implementation when it runs (see src/cli/main.ts).
export function registerMilestoneCommands(program: Command, ctx: CliContext): void {
  const milestone = program.command('milestone').description('move a milestone or mark it done');
  milestone
    .command('move')
    .description('move a milestone; every message tied to it moves too')
    .argument('<project>', 'project key')
    .argument('<key>', 'milestone key')
    .argument('<when>', 'YYYY-MM-DD (keeps the time of day) or YYYY-MM-DDTHH:mm, project time zone')
    .option('--dry-run', 'print the moves and change nothing')
    .action(async (project: string, key: string, when: string, opts: { dryRun?: boolean }) =>
      (await import('../actions/milestone.ts')).milestoneMove(ctx, project, key, when, opts),
    );
  milestone
    .command('done')
    .description('mark a milestone done and send its milestone-done comms')
    .argument('<project>', 'project key')
    .argument('<key>', 'milestone key')
    .action(async (project: string, key: string) => (await import('../actions/milestone.ts')).milestoneDone(ctx, project, key));
}
