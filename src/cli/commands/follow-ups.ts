import type { Command } from 'commander';
import type { EscalationAction } from '../../domain/escalation/rules.ts';
import type { CliContext } from '../context.ts';

// Options only; each action loads its implementation when it runs (see src/cli/main.ts).
/** `herald responses`, `herald escalations`, `herald escalation ack|resolve`. */
export function registerFollowUpCommands(program: Command, ctx: CliContext): void {
  program
    .command('responses')
    .description('survey answers: counts per option, response rate per audience, comments')
    .argument('<project>', 'project key')
    .option('--comm <key>', 'only this survey comm')
    .option('--format <format>', 'table or json (one object per answer)', 'table')
    .action(async (project: string, o: { comm?: string; format: string }) => (await import('../actions/follow-ups.ts')).responses(ctx, project, o));

  program
    .command('escalations')
    .description('escalations with owner, level, state and age')
    .argument('<project>', 'project key')
    .option('--open', 'only those not resolved yet')
    .option('--format <format>', 'table or json', 'table')
    .action(async (project: string, o: { open?: boolean; format: string }) => (await import('../actions/follow-ups.ts')).escalations(ctx, project, o));

  const one = program.command('escalation').description('acknowledge or resolve an escalation (tells the person who answered)');
  for (const [name, action] of [
    ['ack', 'acknowledge'],
    ['resolve', 'resolve'],
  ] as const) {
    one
      .command(name)
      .description(action === 'acknowledge' ? 'acknowledge: "the team is on it"' : 'resolve it')
      .argument('<project>', 'project key')
      .argument('<id>', 'escalation id, or its first characters as `herald escalations` shows them')
      .option(
        '--note <text>',
        action === 'acknowledge' ? 'what the team is doing (stored; shown by herald escalations)' : 'what was done (stored; shown by herald escalations)',
      )
      .action(async (project: string, id: string, o: { note?: string }) =>
        (await import('../actions/follow-ups.ts')).escalation(ctx, action as EscalationAction, project, id, o),
      );
  }
}
