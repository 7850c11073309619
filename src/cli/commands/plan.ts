import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import type { PreviewOptions } from '../actions/preview.ts';
import type { SimulateOptions } from '../actions/simulate.ts';

// Options only; each action loads its implementation when it runs (see src/cli/main.ts).

export function registerPlanCommands(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check a plan and every template it uses; exit 1 on error')
    .argument('<plan>', 'plan YAML file')
    .action(async (file: string) => (await import('../actions/validate.ts')).validate(ctx, file));

  program
    .command('apply')
    .description('store the plan and (re)build its calendar in one transaction')
    .argument('<plan>', 'plan YAML file (with --rollback-to: the project key)')
    .option('--dry-run', 'print what would change and change nothing')
    .option('--rollback-to <n>', 're-apply stored version N of the project (see herald history); nothing sent is sent again')
    .action(async (file: string, opts: { dryRun?: boolean; rollbackTo?: string }) => (await import('../actions/apply.ts')).apply(ctx, file, opts));

  program
    .command('history')
    .description("the applied versions of a project's plan: who applied each, when, and what moved")
    .argument('<project>', 'project key')
    .option('--format <format>', 'table or json', 'table')
    .action(async (project: string, o: { format: string }) => (await import('../actions/history.ts')).history(ctx, project, o));

  program
    .command('diff')
    .description('the YAML diff of two plan versions and what the second does to the calendar')
    .argument('<project>', 'project key')
    .argument('<a>', 'version number (from)')
    .argument('<b>', 'version number (to)')
    .option('--format <format>', 'text or json', 'text')
    .action(async (project: string, a: string, b: string, o: { format: string }) => (await import('../actions/history.ts')).diff(ctx, project, a, b, o));

  program
    .command('audit')
    .description('the audit trail: who changed the plan, moved milestones, retried or sent messages, acted on escalations, …')
    .argument('<project>', 'project key')
    .option('--since <date>', 'from this date (YYYY-MM-DD, project zone) or date-time with offset')
    .option('--format <format>', 'table, csv or json', 'table')
    .action(async (project: string, o: { since?: string; format: string }) => (await import('../actions/history.ts')).audit(ctx, project, o));
}

export function registerPreviewCommands(program: Command, ctx: CliContext): void {
  program
    .command('simulate')
    .description('every message each person would receive, in order, rendered; nothing is stored or sent')
    .argument('<plan>', 'plan YAML file')
    .option('--person <id>', 'only this person')
    .option('--comm <key>', 'only this comm')
    .option('--format <format>', 'text or json', 'text')
    .option('--explain', 'say why each message is due when it is (JSON always carries "explain")')
    .action(async (file: string, o: SimulateOptions) => (await import('../actions/simulate.ts')).simulate(ctx, file, o));

  program
    .command('preview')
    .description('render one message exactly as it will be sent')
    .argument('<plan>', 'plan YAML file')
    .requiredOption('--comm <key>', 'comm key')
    .option('--person <id>', 'render for this person')
    .option('--audience <key>', 'render for a sample member of this audience')
    .requiredOption('--channel <channel>', 'slack or email')
    .option('--occurrence <n>', "which occurrence (0-based; a digest's is its ISO week, e.g. 202703); default the first")
    .option('--reminder <n>', 'render the n-th survey reminder (from 1) of that occurrence instead')
    .option('--out <file>', 'write the e-mail HTML to this file')
    .option('--json', 'print the rendered message as JSON (Slack blocks included)')
    .action(async (file: string, o: PreviewOptions) => (await import('../actions/preview.ts')).preview(ctx, file, o));
}
