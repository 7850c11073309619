import { applyPlan } from '../../app/apply-plan.ts';
import { loadPlanFile } from '../../app/load-plan.ts';
import { formatSummary } from '../../app/replan-summary.ts';
import type { CliContext } from '../context.ts';
import { triggeredLine } from '../output.ts';
import { projectTime } from '../project-time.ts';
import { terminalProgress } from '../progress.ts';
import { printWarnings } from './plan-warnings.ts';
import { planCapacityIssues } from '../../app/plan-capacity.ts';
import { pastDatesNote } from '../../app/past-dates-note.ts';

export async function apply(ctx: CliContext, file: string, opts: { dryRun?: boolean }): Promise<void> {
  const loaded = await loadPlanFile(file, { checkTemplate: await ctx.planTemplateCheck() });
  printWarnings(ctx, loaded.warnings);
  await ctx.withDb(async (db) => {
    const now = ctx.clock.now();
    const r = await applyPlan(db, {
      plan: loaded.plan,
      hash: loaded.hash,
      warnings: loaded.warnings,
      now,
      // The calendar apply builds anyway is checked against the send limits, as validate does.
      onCalendar: (calendar) => {
        printWarnings(ctx, planCapacityIssues(loaded, calendar, ctx.config(), now));
        const past = pastDatesNote(calendar, now, loaded.plan.project.catchUp, loaded.plan.project.timezone);
        if (past !== undefined) ctx.output.err(past);
      },
      dryRun: opts.dryRun ?? false,
      progress: terminalProgress(ctx.output),
    });
    const head = r.dryRun ? `dry run: ${r.project} would change as follows (nothing was stored)` : `applied ${r.project}`;
    ctx.output.out(`${head}\n${formatSummary(r.calendar)}`);
    for (const m of r.milestonesMoved) {
      const zone = loaded.plan.project.timezone;
      ctx.output.out(`milestone ${m.key} moved: ${projectTime(m.from, zone)} → ${projectTime(m.to, zone)} (${zone})`);
    }
    if (r.triggered) ctx.output.out(triggeredLine(r.triggered, r.dryRun));
    if (!r.dryRun) await ctx.dropQueuedJobs(r.queuedChanged);
  });
}
