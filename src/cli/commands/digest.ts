import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import type { DigestOptions } from '../actions/digest.ts';

// Options only; the action loads its implementation when it runs (see src/cli/main.ts).

export function registerDigestCommands(program: Command, ctx: CliContext): void {
  program
    .command('digest')
    .description('the weekly executive digest of an applied project, computed from stored data')
    .argument('<project>', 'project key')
    .option('--preview', "print it without sending (the worker sends it at the plan's time)")
    .option('--as <person>', "as this person receives it (default: the digest's first recipient)")
    .option('--week <week>', 'the digest of this ISO week, e.g. 2027-W03 (default: one sent now)')
    .option('--format <format>', 'text, html (the email), json (the computed digest) or slack (the Block Kit message as JSON)', 'text')
    .action(async (project: string, o: DigestOptions) => (await import('../actions/digest.ts')).digest(ctx, project, o));
}
