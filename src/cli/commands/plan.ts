import type { Command } from 'commander';
import { applyPlan } from '../../app/apply-plan.ts';
import { loadPlanFile } from '../../app/load-plan.ts';
import { formatSummary } from '../../app/replan-summary.ts';
import { buildCalendar } from '../../domain/schedule/calendar.ts';
import type { CliContext } from '../context.ts';
import { terminalProgress } from '../progress.ts';
import { withDb } from '../with-db.ts';
import { planTemplateCheck } from '../templates.ts';

export function registerPlanCommands(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check a plan and every template it uses; exit 1 on error')
    .argument('<plan>', 'plan YAML file')
    .action(async (file: string) => {
      const loaded = await loadPlanFile(file, { checkTemplate: planTemplateCheck() });
      for (const w of loaded.warnings) ctx.output.err(`${w.file}:${w.line}: warning: ${w.path ? `${w.path}: ` : ''}${w.message}`);
      const count = buildCalendar(loaded.plan, { now: ctx.clock.now() }).length;
      const p = loaded.plan;
      ctx.output.out(
        `${file} is valid: project ${p.project.key}, ${p.milestones.length} milestones, ${p.people.length} people, ` +
          `${p.comms.length} comms, ${count} scheduled messages`,
      );
    });

  program
    .command('apply')
    .description('store the plan and (re)build its calendar in one transaction')
    .argument('<plan>', 'plan YAML file')
    .option('--dry-run', 'print what would change and change nothing')
    .action(async (file: string, opts: { dryRun?: boolean }) => {
      const loaded = await loadPlanFile(file, { checkTemplate: planTemplateCheck() });
      for (const w of loaded.warnings) ctx.output.err(`${w.file}:${w.line}: warning: ${w.path ? `${w.path}: ` : ''}${w.message}`);
      await withDb(ctx, async (db) => {
        const r = await applyPlan(db.prisma, {
          plan: loaded.plan,
          hash: loaded.hash,
          now: ctx.clock.now(),
          dryRun: opts.dryRun ?? false,
          progress: terminalProgress(ctx.output),
        });
        const head = r.dryRun ? `dry run: ${r.project} would change as follows (nothing was stored)` : `applied ${r.project}`;
        ctx.output.out(`${head}\n${formatSummary(r.calendar)}`);
        for (const m of r.milestonesMoved) {
          ctx.output.out(`milestone ${m.key} moved: ${m.from.toISOString()} → ${m.to.toISOString()}`);
        }
        if (r.triggered) ctx.output.out(`${r.triggered} milestone-moved messages queued`);
      });
    });
}
