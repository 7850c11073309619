import { cliActor } from '../actor.ts';
import { markMilestoneDone, moveMilestone } from '../../app/move-milestone.ts';
import { formatSummary } from '../../app/replan-summary.ts';
import { milestoneName } from '../../domain/plan/comm-title.ts';
import type { CliContext } from '../context.ts';
import { reportApprovals } from './approval-sync.ts';
import { plural, triggeredLine } from '../output.ts';
import { projectTime as local } from '../project-time.ts';

export async function milestoneMove(ctx: CliContext, project: string, key: string, when: string, opts: { dryRun?: boolean }): Promise<void> {
  await ctx.withDb(async (db) => {
    const r = await moveMilestone(db, { project, milestone: key, when, now: ctx.clock.now(), source: 'cli', dryRun: opts.dryRun ?? false, actor: cliActor() });
    const plan = (await db.stores.projects.findWithPlan(project))?.plan;
    ctx.output.out(
      `${opts.dryRun ? 'dry run: ' : ''}milestone ${plan ? milestoneName(plan, r.milestone) : r.milestone} ${local(r.from, r.timezone)} → ${local(r.to, r.timezone)} (${r.timezone})` +
        `\n${formatSummary(r.calendar)}` +
        (r.triggered ? `\n${triggeredLine(r.triggered, opts.dryRun ?? false)}` : '') +
        (opts.dryRun ? '' : `\nnote: update the milestone in the plan file too, or the next "herald apply" moves it back`),
    );
    for (const w of r.warnings) ctx.output.err(`warning: ${w}`);
    if (!opts.dryRun) {
      await ctx.dropQueuedJobs(r.queuedChanged);
      await reportApprovals(ctx, db, project);
    }
  });
}

export async function milestoneDone(ctx: CliContext, project: string, key: string): Promise<void> {
  await ctx.withDb(async (db) => {
    const r = await markMilestoneDone(db, { project, milestone: key, now: ctx.clock.now(), actor: cliActor() });
    const plan = (await db.stores.projects.findWithPlan(project))?.plan;
    const name = plan ? milestoneName(plan, key) : key;
    ctx.output.out(r.alreadyDone ? `milestone ${name} was already done; nothing sent` : `milestone ${name} done; ${plural(r.triggered, 'message')} queued`);
  });
}
