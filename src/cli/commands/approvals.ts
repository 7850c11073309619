import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import type { ApprovalsCliOptions, DecideCliOptions } from '../actions/approvals.ts';

// Options only; each action loads its implementation when it runs (see src/cli/main.ts).
/** `herald approvals`, `herald approve`, `herald reject`: the project manager's side of approval before send. */
export function registerApprovalCommands(program: Command, ctx: CliContext): void {
  program
    .command('approvals')
    .description('comms waiting for a sign-off and those decided: first send, state, approvers and their decisions, held messages')
    .argument('<project>', 'project key')
    .argument('[comm]', "only this comm's approvals (its key)")
    .option('--state <state>', 'only pending, approved or rejected ones')
    .option('--occurrence <n>', "only this occurrence of COMM (0-based, as in herald preview: 1 is '2 of 3')")
    .option('--show', 'print each variant as approvers see it: audience, channel, locale, sample recipient, subject and text')
    .option('--format <format>', 'table or json (variants included)', 'table')
    .action(async (project: string, comm: string | undefined, o: ApprovalsCliOptions) =>
      (await import('../actions/approvals.ts')).approvals(ctx, project, comm, o),
    );

  for (const decision of ['approve', 'reject'] as const) {
    const command = program
      .command(decision)
      .description(
        decision === 'approve'
          ? "approve a comm's content: its held messages go out now, the others at their time"
          : 'request changes: its messages stay held until the content changes; the project manager is told the reason',
      )
      .argument('<project>', 'project key')
      .argument('<comm>', 'comm key')
      .option('--occurrence <n>', "which occurrence (0-based, as in herald preview: 1 is '2 of 3'); default the one waiting that is due soonest")
      .option('--as <approver>', "decide on this approver's behalf (their person key); default: as yourself (user@host)");
    (decision === 'approve'
      ? command.option('--note <text>', 'a note for the record (shown by herald approvals)')
      : command.requiredOption('--note <text>', 'what should change (the project manager is told)')
    ).action(async (project: string, comm: string, o: DecideCliOptions) => (await import('../actions/approvals.ts')).decide(ctx, decision, project, comm, o));
  }
}
