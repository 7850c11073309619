import type { Command } from 'commander';
import { listInbox } from '../../app/list-inbox.ts';
import type { CliContext } from '../context.ts';
import { checkChoice, checkCount } from '../options.ts';
import { withDb } from '../with-db.ts';

export function registerInboxCommands(program: Command, ctx: CliContext): void {
  program
    .command('inbox')
    .description('inbound mail that recorded nothing (unmatched, mailing-list copies, unparseable) and replies from other addresses')
    .argument('<project>', 'project key')
    .option('--limit <n>', 'at most this many, newest first', '200')
    .option('--format <format>', 'table or json', 'table')
    .action(async (project: string, o: { limit: string; format: string }) => {
      checkChoice('--format', o.format, ['table', 'json']);
      const limit = checkCount('--limit', o.limit, 1);
      await withDb(ctx, async (db) => {
        const list = await listInbox(db.prisma, project, { limit });
        if (o.format === 'json') return ctx.output.out(JSON.stringify(list, null, 2));
        if (!list.length) return ctx.output.out('the inbox is empty: every inbound mail was recorded or handled');
        for (const m of list) {
          const who = m.person ? ` person ${m.person}${m.comm ? ` (${m.comm})` : ''}` : '';
          ctx.output.out(
            `${m.receivedAt}  ${m.outcome.padEnd(11)} ${m.kind.padEnd(10)} via ${m.via}  from ${m.from ?? '?'}${who}${m.fromOtherAddress ? '  [sent from another address]' : ''}${m.inProject ? '' : '  [no project]'}` +
              `\n    ${m.subject ? `"${m.subject}" — ` : ''}${m.reason ?? ''}`,
          );
        }
      });
    });
}
