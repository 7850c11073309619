import { applyPlan } from '../../app/apply-plan.ts';
import { rollbackPlan } from '../../app/plan-history.ts';
import { cliActor } from '../actor.ts';
import { checkCount } from '../options.ts';
import { milestoneName } from '../../domain/plan/comm-title.ts';
import { loadPlanFile } from '../../app/load-plan.ts';
import { formatSummary } from '../../app/replan-summary.ts';
import type { CliContext } from '../context.ts';
import { triggeredLine } from '../output.ts';
import { projectTime } from '../project-time.ts';
import { terminalProgress } from '../progress.ts';
import { printWarnings } from './plan-warnings.ts';
import { reportApprovals } from './approval-sync.ts';
import { planCapacityIssues } from '../../app/plan-capacity.ts';
import { pastDatesNote } from '../../app/past-dates-note.ts';

export async function apply(ctx: CliContext, file: string, opts: { dryRun?: boolean; rollbackTo?: string }): Promise<void> {
  if (opts.rollbackTo !== undefined) return rollback(ctx, file, checkCount('--rollback-to', opts.rollbackTo, 1), opts.dryRun ?? false);
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
      actor: cliActor(),
      source: loaded.source,
    });
    const head = r.dryRun ? `dry run: ${r.project} would change as follows (nothing was stored)` : `applied ${r.project} (${versionWords(r.version)})`;
    ctx.output.out(`${head}\n${formatSummary(r.calendar)}`);
    for (const m of r.milestonesMoved) {
      const zone = loaded.plan.project.timezone;
      ctx.output.out(`milestone ${milestoneName(loaded.plan, m.key)} moved: ${projectTime(m.from, zone)} → ${projectTime(m.to, zone)} (${zone})`);
    }
    if (r.triggered) ctx.output.out(triggeredLine(r.triggered, r.dryRun));
    if (!r.dryRun) {
      await ctx.dropQueuedJobs(r.queuedChanged);
      await reportApprovals(ctx, db, r.project);
    }
  });
}

function versionWords(v: number | null): string {
  return v === null ? 'no version stored' : `version ${v}`;
}

/** `herald apply PROJECT --rollback-to N`: stored version N applied again, as a new version. */
async function rollback(ctx: CliContext, project: string, to: number, dryRun: boolean): Promise<void> {
  await ctx.withDb(async (db) => {
    const r = await rollbackPlan(db, { project, to, now: ctx.clock.now(), actor: cliActor(), dryRun, check: { checkTemplate: await ctx.planTemplateCheck() } });
    printWarnings(ctx, r.loaded.warnings);
    const head = r.dryRun
      ? `dry run: rolling ${r.project} back to version ${to} would change as follows (nothing was stored)`
      : `rolled ${r.project} back to version ${to} (${versionWords(r.version)})`;
    ctx.output.out(`${head}\n${formatSummary(r.calendar)}`);
    const zone = r.loaded.plan.project.timezone;
    for (const m of r.milestonesMoved)
      ctx.output.out(`milestone ${milestoneName(r.loaded.plan, m.key)} moved: ${projectTime(m.from, zone)} → ${projectTime(m.to, zone)} (${zone})`);
    if (r.triggered) ctx.output.out(triggeredLine(r.triggered, r.dryRun));
    if (!r.dryRun) {
      await ctx.dropQueuedJobs(r.queuedChanged);
      await reportApprovals(ctx, db, r.project);
    }
  });
}
