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
    .argument('<plan>', 'plan YAML file')
    .option('--dry-run', 'print what would change and change nothing')
    .action(async (file: string, opts: { dryRun?: boolean }) => (await import('../actions/apply.ts')).apply(ctx, file, opts));
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
