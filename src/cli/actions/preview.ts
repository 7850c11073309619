import { writeFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { loadPlanFile } from '../../app/load-plan.ts';
import { renderFor } from '../../app/render-message.ts';
import { HeraldError } from '../../domain/errors.ts';
import { buildCalendar } from '../../domain/schedule/calendar.ts';
import { withReminders } from '../../domain/survey/reminders.ts';
import { asReminder } from '../../app/reminder-delivery.ts';
import type { CliContext } from '../context.ts';
import { checkCount } from '../options.ts';

export interface PreviewOptions {
  comm: string;
  person?: string;
  audience?: string;
  channel: string;
  occurrence?: string;
  /** Render the n-th survey reminder (from 1) of the occurrence instead of the message itself. */
  reminder?: string;
  out?: string;
  json?: boolean;
}

export async function preview(ctx: CliContext, file: string, o: PreviewOptions): Promise<void> {
  if (o.channel !== 'slack' && o.channel !== 'email') {
    throw new HeraldError('BAD_OPTION', `--channel ${o.channel} is not a channel`, { hint: 'use --channel slack or --channel email' });
  }
  if (!o.person === !o.audience) throw new HeraldError('BAD_OPTION', 'give exactly one of --person ID or --audience KEY');
  const loaded = await loadPlanFile(file, { checkTemplate: await ctx.planTemplateCheck() });
  const plan = loaded.plan;
  const comm = plan.comms.find((c) => c.key === o.comm);
  if (!comm) throw new HeraldError('NOT_FOUND', `comm "${o.comm}" is not in the plan`, { hint: `comms: ${plan.comms.map((c) => c.key).join(', ')}` });
  const person = o.person
    ? plan.people.find((p) => p.id === o.person)
    : plan.people.find((p) => p.audiences.includes(o.audience!) && comm.audiences.includes(o.audience!));
  if (!person) {
    throw new HeraldError('NOT_FOUND', o.person ? `person "${o.person}" is not in the plan` : `no one in audience "${o.audience}" receives ${comm.key}`, {
      hint: `${comm.key} goes to: ${comm.audiences.join(', ')}`,
    });
  }
  const now = ctx.clock.now();
  const all = withReminders(plan, buildCalendar(plan, { now, comms: [comm.key] })).filter((x) => x.personId === person.id);
  const own = all.filter((x) => !x.reminder);
  // Occurrences count from 0, except a digest's, which is its ISO week (202703): default the first.
  const first = own.reduce((m, x) => Math.min(m, x.occurrence), Number.POSITIVE_INFINITY);
  const index = o.occurrence === undefined ? (Number.isFinite(first) ? first : 0) : checkCount('--occurrence', o.occurrence, 0);
  const occ = own.find((x) => x.occurrence === index);
  // Triggered comms have no calendar, so any firing number renders; a scheduled one must exist.
  if (!occ && comm.schedule) {
    const known = [...new Set(own.map((x) => x.occurrence))];
    throw new HeraldError('NOT_FOUND', `${comm.key} has no occurrence ${index} for ${person.id}`, {
      hint: known.length
        ? `use --occurrence ${known.length === 1 ? known[0] : `${Math.min(...known)} to ${Math.max(...known)}`}`
        : `${person.id} does not receive ${comm.key}`,
    });
  }
  const reminders = all.filter((x) => x.reminder && x.occurrence === index);
  const reminderNo = o.reminder === undefined ? undefined : checkCount('--reminder', o.reminder, 1);
  const reminder = reminderNo === undefined ? undefined : reminders.find((x) => x.reminder === reminderNo);
  if (reminderNo !== undefined && !reminder) {
    throw new HeraldError('NOT_FOUND', `${comm.key}#${index} has no reminder ${reminderNo} for ${person.id}`, {
      hint: reminders.length
        ? `use --reminder 1${reminders.length > 1 ? ` to ${reminders.length}` : ''}`
        : `${comm.key} has no survey.remind (or its reminder would fall after the calendar ends)`,
    });
  }
  const message = renderFor(
    await ctx.engine(),
    plan,
    comm,
    person,
    { index, dueAt: occ?.dueAt ?? now, ...(occ?.seriesItem ? { seriesItem: occ.seriesItem } : comm.series?.[index] ? { seriesItem: comm.series[index] } : {}) },
    o.channel,
    now,
    ctx.config().PUBLIC_URL,
  );
  const rendered = reminder ? asReminder(message) : message;
  if (o.json) return ctx.output.out(JSON.stringify(rendered, null, 2));
  const at = (d: Date) => DateTime.fromJSDate(d, { zone: person.timezone }).toFormat("cccc d LLLL yyyy 'at' HH:mm ZZZZ");
  const sent = reminder ?? occ;
  const when = sent ? at(sent.dueAt) : 'when triggered';
  ctx.output.out(
    `To: ${person.name} (${person.id}) via ${o.channel}, ${when}${reminder ? ` (reminder ${reminder.reminder})` : ''}\nSubject: ${rendered.subject}`,
  );
  // The reminders this occurrence will get unless the person answers first (--reminder N shows one).
  if (!reminder && reminders.length)
    ctx.output.out(reminders.map((r) => `Reminder ${r.reminder}: ${at(r.dueAt)}, unless answered before (--reminder ${r.reminder} to see it)`).join('\n'));
  ctx.output.out('');
  if (rendered.channel === 'slack') {
    ctx.output.out(`${rendered.text}\n\n--- Block Kit ---\n${JSON.stringify(rendered.blocks ?? [], null, 2)}`);
  } else if (o.out) {
    await writeFile(o.out, rendered.html ?? '');
    ctx.output.out(`${rendered.text}\n\n(HTML written to ${o.out})`);
  } else {
    ctx.output.out(`${rendered.text}\n\n--- HTML ---\n${rendered.html ?? ''}`);
  }
}
