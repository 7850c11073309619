import { loadPlanFile } from '../../app/load-plan.ts';
import { buildCalendar } from '../../domain/schedule/calendar.ts';
import { reminderOccurrences } from '../../domain/survey/reminders.ts';
import type { CliContext } from '../context.ts';
import { plural } from '../output.ts';
import { printWarnings } from './plan-warnings.ts';
import { planCapacityIssues } from '../../app/plan-capacity.ts';

export async function validate(ctx: CliContext, file: string): Promise<void> {
  const loaded = await loadPlanFile(file, { checkTemplate: await ctx.planTemplateCheck() });
  const now = ctx.clock.now();
  const calendar = buildCalendar(loaded.plan, { now });
  printWarnings(ctx, [...loaded.warnings, ...planCapacityIssues(loaded, calendar, ctx.config(), now)]);
  // Counted as apply counts: survey reminders are calendar rows too (one count, labelled).
  const reminders = reminderOccurrences(loaded.plan, calendar).length;
  const count = calendar.length + reminders;
  const p = loaded.plan;
  ctx.output.out(
    `${file} is valid: project ${p.project.key}, ${plural(p.milestones.length, 'milestone')}, ` +
      `${p.people.length} ${p.people.length === 1 ? 'person' : 'people'}, ${plural(p.comms.length, 'comm')}, ${plural(count, 'scheduled message')}` +
      `${reminders ? ` (${reminders} of them survey reminders)` : ''}`,
  );
}
