import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import type { CalendarOptions } from '../actions/calendar.ts';

// Options only; the action loads its implementation when it runs (see src/cli/main.ts).
export function registerCalendarCommands(program: Command, ctx: CliContext): void {
  program
    .command('calendar')
    .description('show the comms calendar of an applied project')
    .argument('<project>', 'project key')
    .option('--from <date>', 'from this date (YYYY-MM-DD, project zone)')
    .option('--to <date>', 'up to and including this date (YYYY-MM-DD, project zone)')
    .option('--person <id>', 'only this person')
    .option('--comm <key>', 'only this comm')
    .option('--format <format>', 'table, json or ics', 'table')
    .option('--all', 'include cancelled messages')
    .option('--copies', 'one table row per person and channel, not per comm occurrence (the default with --person)')
    .option('--explain', 'print why each message is due when it is (the rules that placed it)')
    .action(async (project: string, opts: CalendarOptions) => (await import('../actions/calendar.ts')).calendar(ctx, project, opts));
}
