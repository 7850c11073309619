import { DateTime } from 'luxon';
import { loadPlanFile } from '../../app/load-plan.ts';
import { firstLine, renderOccurrence } from '../../app/render-message.ts';
import { HeraldError } from '../../domain/errors.ts';
import { buildCalendar } from '../../domain/schedule/calendar.ts';
import { withReminders } from '../../domain/survey/reminders.ts';
import { asReminder } from '../../app/reminder-delivery.ts';
import type { CliContext } from '../context.ts';
import { checkChoice } from '../options.ts';
import { formatExplanations } from '../../app/explain-view.ts';
import { channelName, commOccurrenceTitle, commTitle, planWords } from '../../domain/plan/comm-title.ts';

export interface SimulateOptions {
  person?: string;
  comm?: string;
  format: string;
  explain?: boolean;
}

export async function simulate(ctx: CliContext, file: string, o: SimulateOptions): Promise<void> {
  checkChoice('--format', o.format, ['text', 'json']);
  const loaded = await loadPlanFile(file, { checkTemplate: await ctx.planTemplateCheck() });
  const plan = loaded.plan;
  if (o.person && !plan.people.some((p) => p.id === o.person)) {
    throw new HeraldError('NOT_FOUND', `person "${o.person}" is not in the plan`, {
      hint: `people include: ${plan.people
        .slice(0, 8)
        .map((p) => p.id)
        .join(', ')}…`,
    });
  }
  const now = ctx.clock.now();
  const engine = await ctx.engine();
  if (o.comm && !plan.comms.some((c) => c.key === o.comm)) {
    throw new HeraldError('NOT_FOUND', `comm "${o.comm}" is not in the plan`, { hint: `comms: ${plan.comms.map((c) => c.key).join(', ')}` });
  }
  // Survey reminders as the calendar will hold them (before anyone answers: then they are cancelled).
  const occs = withReminders(plan, buildCalendar(plan, { now })).filter((x) => (!o.person || x.personId === o.person) && (!o.comm || x.comm === o.comm));
  const zones = new Map(plan.people.map((p) => [p.id, p.timezone]));
  const names = new Map(plan.people.map((p) => [p.id, p.name]));
  const catchUp = plan.project.catchUp;
  const rows = occs.map((x) => {
    // Rendered as of its own send time (a digest's subject names its week, a greeting its hour), not today.
    const at = new Date(Math.max(x.dueAt.getTime(), now.getTime()));
    const rendered = renderOccurrence(engine, plan, x, at, ctx.config().PUBLIC_URL);
    return {
      at: x.dueAt.toISOString(),
      localAt: DateTime.fromJSDate(x.dueAt, { zone: zones.get(x.personId)! }).toISO({ suppressMilliseconds: true })!,
      person: x.personId,
      comm: x.comm,
      occurrence: x.occurrence,
      channel: x.channel,
      seriesItem: x.seriesItem || undefined,
      reminder: x.reminder || undefined,
      firstLine: firstLine(x.reminder ? asReminder(rendered) : rendered),
      explain: x.explain,
      // Already due: apply stores it as skipped (catchUp: skip) or sends it at once (catchUp: send).
      past: x.dueAt.getTime() < now.getTime() ? (catchUp === 'skip' ? ('skipped' as const) : ('sent at once' as const)) : undefined,
    };
  });
  if (o.format === 'json') return ctx.output.out(JSON.stringify(rows, null, 2));
  if (o.explain) {
    ctx.output.out(
      formatExplanations(
        rows.map((r) => ({ ...r, timezone: zones.get(r.person)! })),
        planWords(plan),
      ),
    );
    return;
  }
  for (const r of rows) {
    // The person's zone, not the bare offset, so the line reads EST rather than UTC-5.
    const local = DateTime.fromISO(r.at, { zone: zones.get(r.person)! }).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ');
    const what =
      `${commOccurrenceTitle(plan, r.comm, r.occurrence)}${r.reminder ? ` (reminder ${r.reminder})` : ''}` + `${r.past ? ` (already due: ${r.past})` : ''}`;
    ctx.output.out(`${local}  ${names.get(r.person) ?? r.person} · ${channelName(r.channel)} · ${what}  ${r.firstLine}`);
  }
  const reminders = rows.filter((r) => r.reminder).length;
  const past = rows.filter((r) => r.past).length;
  const manual = plan.comms.filter((c) => c.trigger).map((c) => commTitle(c, c.key));
  const pastNote = past
    ? `; ${past} already due: ` +
      `${catchUp === 'skip' ? 'apply stores them as skipped and sends none (catchUp: skip)' : 'apply sends them at once (catchUp: send)'}`
    : '';
  ctx.output.out(
    `${rows.length} messages${reminders ? ` (${reminders} of them survey reminders, cancelled when the person answers)` : ''}` +
      `${pastNote}${manual.length ? `; sent on events, not listed: ${manual.join(', ')}` : ''}`,
  );
}
