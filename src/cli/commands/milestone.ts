import type { Command } from 'commander';
import { markMilestoneDone, moveMilestone } from '../../app/move-milestone.ts';
import { formatSummary } from '../../app/replan-summary.ts';
import type { CliContext } from '../context.ts';
import { plural, triggeredLine } from '../output.ts';
import { withDb } from '../with-db.ts';
import { dropQueuedJobs } from '../drop-jobs.ts';

export function registerMilestoneCommands(program: Command, ctx: CliContext): void {
  const milestone = program.command('milestone').description('move a milestone or mark it done');
  milestone
    .command('move')
    .description('move a milestone; every message tied to it moves too')
    .argument('<project>', 'project key')
    .argument('<key>', 'milestone key')
    .argument('<when>', 'YYYY-MM-DD (keeps the time of day) or YYYY-MM-DDTHH:mm, project time zone')
    .option('--dry-run', 'print the moves and change nothing')
    .action(async (project: string, key: string, when: string, opts: { dryRun?: boolean }) => {
      await withDb(ctx, async (db) => {
        const r = await moveMilestone(db.sql, { project, milestone: key, when, now: ctx.clock.now(), source: 'cli', dryRun: opts.dryRun ?? false });
        ctx.output.out(
          `${opts.dryRun ? 'dry run: ' : ''}milestone ${r.milestone} ${r.from.toISOString()} → ${r.to.toISOString()}\n${formatSummary(r.calendar)}` +
            (r.triggered ? `\n${triggeredLine(r.triggered, opts.dryRun ?? false)}` : '') +
            (opts.dryRun ? '' : `\nnote: update the milestone in the plan file too, or the next "herald apply" moves it back`),
        );
        if (!opts.dryRun) await dropQueuedJobs(ctx, r.queuedChanged);
      });
    });
  milestone
    .command('done')
    .description('mark a milestone done and send its milestone-done comms')
    .argument('<project>', 'project key')
    .argument('<key>', 'milestone key')
    .action(async (project: string, key: string) => {
      await withDb(ctx, async (db) => {
        const r = await markMilestoneDone(db.sql, { project, milestone: key, now: ctx.clock.now() });
        ctx.output.out(r.alreadyDone ? `milestone ${key} was already done; nothing sent` : `milestone ${key} done; ${plural(r.triggered, 'message')} queued`);
      });
    });
}
