import { writeFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { loadPlanFile } from '../../app/load-plan.ts';
import { renderFor } from '../../app/render-message.ts';
import { HeraldError } from '../../domain/errors.ts';
import { buildCalendar } from '../../domain/schedule/calendar.ts';
import type { CliContext } from '../context.ts';
import { checkCount } from '../options.ts';
import { cliEngine, planTemplateCheck } from '../templates.ts';

export interface PreviewOptions {
  comm: string;
  person?: string;
  audience?: string;
  channel: string;
  occurrence?: string;
  out?: string;
  json?: boolean;
}

export async function preview(ctx: CliContext, file: string, o: PreviewOptions): Promise<void> {
  if (o.channel !== 'slack' && o.channel !== 'email') {
    throw new HeraldError('BAD_OPTION', `--channel ${o.channel} is not a channel`, { hint: 'use --channel slack or --channel email' });
  }
  if (!o.person === !o.audience) throw new HeraldError('BAD_OPTION', 'give exactly one of --person ID or --audience KEY');
  const loaded = await loadPlanFile(file, { checkTemplate: planTemplateCheck(ctx) });
  const plan = loaded.plan;
  const comm = plan.comms.find((c) => c.key === o.comm);
  if (!comm) throw new HeraldError('NOT_FOUND', `comm "${o.comm}" is not in the plan`, { hint: `comms: ${plan.comms.map((c) => c.key).join(', ')}` });
  const person = o.person ? plan.people.find((p) => p.id === o.person) : plan.people.find((p) => p.audiences.includes(o.audience!) && comm.audiences.includes(o.audience!));
  if (!person) {
    throw new HeraldError('NOT_FOUND', o.person ? `person "${o.person}" is not in the plan` : `no one in audience "${o.audience}" receives ${comm.key}`, {
      hint: `${comm.key} goes to: ${comm.audiences.join(', ')}`,
    });
  }
  const now = ctx.clock.now();
  const own = buildCalendar(plan, { now, comms: [comm.key] }).filter((x) => x.personId === person.id);
  // Occurrences count from 0, except a digest's, which is its ISO week (202703): default the first.
  const first = own.reduce((m, x) => Math.min(m, x.occurrence), Number.POSITIVE_INFINITY);
  const index = o.occurrence === undefined ? (Number.isFinite(first) ? first : 0) : checkCount('--occurrence', o.occurrence, 0);
  const occ = own.find((x) => x.occurrence === index);
  // Triggered comms have no calendar, so any firing number renders; a scheduled one must exist.
  if (!occ && comm.schedule) {
    const known = [...new Set(own.map((x) => x.occurrence))];
    throw new HeraldError('NOT_FOUND', `${comm.key} has no occurrence ${index} for ${person.id}`, {
      hint: known.length ? `use --occurrence ${known.length === 1 ? known[0] : `${Math.min(...known)} to ${Math.max(...known)}`}` : `${person.id} does not receive ${comm.key}`,
    });
  }
  const rendered = renderFor(
    cliEngine(ctx),
    plan,
    comm,
    person,
    { index, dueAt: occ?.dueAt ?? now, ...(occ?.seriesItem ? { seriesItem: occ.seriesItem } : comm.series?.[index] ? { seriesItem: comm.series[index] } : {}) },
    o.channel,
    now,
    ctx.config().PUBLIC_URL,
  );
  if (o.json) return ctx.output.out(JSON.stringify(rendered, null, 2));
  const when = occ ? DateTime.fromJSDate(occ.dueAt, { zone: person.timezone }).toFormat("cccc d LLLL yyyy 'at' HH:mm ZZZZ") : 'when triggered';
  ctx.output.out(`To: ${person.name} (${person.id}) via ${o.channel}, ${when}\nSubject: ${rendered.subject}\n`);
  if (rendered.channel === 'slack') {
    ctx.output.out(`${rendered.text}\n\n--- Block Kit ---\n${JSON.stringify(rendered.blocks ?? [], null, 2)}`);
  } else if (o.out) {
    await writeFile(o.out, rendered.html ?? '');
    ctx.output.out(`${rendered.text}\n\n(HTML written to ${o.out})`);
  } else {
    ctx.output.out(`${rendered.text}\n\n--- HTML ---\n${rendered.html ?? ''}`);
  }
}
