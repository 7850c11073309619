import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import type { MessagesOptions } from '../actions/delivery.ts';
import { MESSAGE_STATUSES } from '../../domain/message-status.ts';

// Options only; each action loads its implementation when it runs (see src/cli/main.ts).
export function registerDeliveryCommands(program: Command, ctx: CliContext): void {
  program
    .command('messages')
    .description('the delivery log: messages and every attempt')
    .argument('<project>', 'project key')
    .option('--status <status>', `only this status (${MESSAGE_STATUSES.join(', ')})`)
    .option('--comm <key>', 'only this comm')
    .option('--person <id>', 'only this person')
    .option('--limit <n>', 'at most this many (default 200; csv: every one)')
    .option('--format <format>', 'table, json, or csv (one row per attempt, with the answer: proof of delivery)', 'table')
    .action(async (project: string, o: MessagesOptions) => (await import('../actions/delivery.ts')).messages(ctx, project, o));

  program
    .command('retry')
    .description('re-queue failed messages (sent ones are never re-sent)')
    .argument('<project>', 'project key')
    .option('--failed', 'every failed message of the project (the default)')
    .option('--message <id...>', 'only these message ids')
    .action(async (project: string, o: { failed?: boolean; message?: string[] }) => (await import('../actions/delivery.ts')).retry(ctx, project, o));

  program
    .command('send')
    .description('send a manual comm')
    .argument('<project>', 'project key')
    .argument('<comm>', 'comm key (with trigger: manual)')
    .option('--now', "send at once, even inside recipients' quiet hours")
    .action(async (project: string, comm: string, o: { now?: boolean }) => (await import('../actions/delivery.ts')).send(ctx, project, comm, o));
}
