import type { Command } from 'commander';
import { applyPlan } from '../../app/apply-plan.ts';
import { loadPlanFile } from '../../app/load-plan.ts';
import { formatSummary } from '../../app/replan-summary.ts';
import { buildCalendar } from '../../domain/schedule/calendar.ts';
import type { CliContext } from '../context.ts';
import { terminalProgress } from '../progress.ts';
import { withDb } from '../with-db.ts';
import { plural, triggeredLine } from '../output.ts';
import { dropQueuedJobs } from '../drop-jobs.ts';
import { cliEngine, planTemplateCheck } from '../templates.ts';
import { writeFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { firstLine, renderFor, renderOccurrence } from '../../app/render-message.ts';
import { HeraldError } from '../../domain/errors.ts';
import { checkChoice, checkCount } from '../options.ts';

export function registerPlanCommands(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('check a plan and every template it uses; exit 1 on error')
    .argument('<plan>', 'plan YAML file')
    .action(async (file: string) => {
      const loaded = await loadPlanFile(file, { checkTemplate: planTemplateCheck(ctx) });
      for (const w of loaded.warnings) ctx.output.err(`${w.file}:${w.line}: warning: ${w.path ? `${w.path}: ` : ''}${w.message}`);
      const count = buildCalendar(loaded.plan, { now: ctx.clock.now() }).length;
      const p = loaded.plan;
      ctx.output.out(
        `${file} is valid: project ${p.project.key}, ${plural(p.milestones.length, 'milestone')}, ` +
          `${p.people.length} ${p.people.length === 1 ? 'person' : 'people'}, ${plural(p.comms.length, 'comm')}, ${plural(count, 'scheduled message')}`,
      );
    });

  program
    .command('apply')
    .description('store the plan and (re)build its calendar in one transaction')
    .argument('<plan>', 'plan YAML file')
    .option('--dry-run', 'print what would change and change nothing')
    .action(async (file: string, opts: { dryRun?: boolean }) => {
      const loaded = await loadPlanFile(file, { checkTemplate: planTemplateCheck(ctx) });
      for (const w of loaded.warnings) ctx.output.err(`${w.file}:${w.line}: warning: ${w.path ? `${w.path}: ` : ''}${w.message}`);
      await withDb(ctx, async (db) => {
        const r = await applyPlan(db.sql, {
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
        if (r.triggered) ctx.output.out(triggeredLine(r.triggered, r.dryRun));
        if (!r.dryRun) await dropQueuedJobs(ctx, r.queuedChanged);
      });
    });
}

export function registerPreviewCommands(program: Command, ctx: CliContext): void {
  program
    .command('simulate')
    .description('every message each person would receive, in order, rendered; nothing is stored or sent')
    .argument('<plan>', 'plan YAML file')
    .option('--person <id>', 'only this person')
    .option('--format <format>', 'text or json', 'text')
    .action(async (file: string, o: { person?: string; format: string }) => {
      checkChoice('--format', o.format, ['text', 'json']);
      const loaded = await loadPlanFile(file, { checkTemplate: planTemplateCheck(ctx) });
      const plan = loaded.plan;
      if (o.person && !plan.people.some((p) => p.id === o.person)) {
        throw new HeraldError('NOT_FOUND', `person "${o.person}" is not in the plan`, { hint: `people include: ${plan.people.slice(0, 8).map((p) => p.id).join(', ')}…` });
      }
      const now = ctx.clock.now();
      const engine = cliEngine(ctx);
      const occs = buildCalendar(plan, { now }).filter((x) => !o.person || x.personId === o.person);
      const zones = new Map(plan.people.map((p) => [p.id, p.timezone]));
      const rows = occs.map((x) => ({
        at: x.dueAt.toISOString(),
        localAt: DateTime.fromJSDate(x.dueAt, { zone: zones.get(x.personId)! }).toISO({ suppressMilliseconds: true })!,
        person: x.personId,
        comm: x.comm,
        occurrence: x.occurrence,
        channel: x.channel,
        ...(x.seriesItem ? { seriesItem: x.seriesItem } : {}),
        firstLine: firstLine(renderOccurrence(engine, plan, x, now, ctx.config().PUBLIC_URL)),
      }));
      if (o.format === 'json') return ctx.output.out(JSON.stringify(rows, null, 2));
      for (const r of rows) {
        // The person's zone, not the bare offset, so the line reads EST rather than UTC-5.
        const local = DateTime.fromISO(r.at, { zone: zones.get(r.person)! }).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ');
        ctx.output.out(`${local}  ${r.person} · ${r.channel} · ${r.comm}#${r.occurrence}  ${r.firstLine}`);
      }
      const manual = plan.comms.filter((c) => c.trigger).map((c) => c.key);
      ctx.output.out(`${rows.length} messages${manual.length ? `; sent on events, not listed: ${manual.join(', ')}` : ''}`);
    });

  program
    .command('preview')
    .description('render one message exactly as it will be sent')
    .argument('<plan>', 'plan YAML file')
    .requiredOption('--comm <key>', 'comm key')
    .option('--person <id>', 'render for this person')
    .option('--audience <key>', 'render for a sample member of this audience')
    .requiredOption('--channel <channel>', 'slack or email')
    .option('--occurrence <n>', 'which occurrence (0-based; a digest\'s is its ISO week, e.g. 202703); default the first')
    .option('--out <file>', 'write the e-mail HTML to this file')
    .option('--json', 'print the rendered message as JSON (Slack blocks included)')
    .action(async (file: string, o: { comm: string; person?: string; audience?: string; channel: string; occurrence?: string; out?: string; json?: boolean }) => {
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
    });
}
