import { DateTime } from 'luxon';
import { formatCalendarIcs, formatCalendarTable, queryCalendar } from '../../app/calendar-view.ts';
import { capacityLimits } from '../../domain/capacity/limits.ts';
import { planWords } from '../../domain/plan/comm-title.ts';
import { HeraldError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';
import { checkChoice, checkFilterKeys } from '../options.ts';
import { formatExplanations } from '../../app/explain-view.ts';
import { formatOccurrenceTable, queryOccurrences } from '../../app/calendar-occurrences.ts';

export interface CalendarOptions {
  from?: string;
  to?: string;
  person?: string;
  comm?: string;
  format: string;
  all?: boolean;
  explain?: boolean;
  copies?: boolean;
}

export async function calendar(ctx: CliContext, project: string, opts: CalendarOptions): Promise<void> {
  checkChoice('--format', opts.format, ['table', 'json', 'ics']);
  if (opts.explain && opts.format === 'ics')
    throw new HeraldError('BAD_OPTION', '--explain does not apply to --format ics', {
      hint: 'use --explain with the table, or --format json (which carries "explain")',
    });
  if (opts.from !== undefined && opts.to !== undefined && checkDay(opts.from, '--from') > checkDay(opts.to, '--to')) {
    throw new HeraldError('BAD_OPTION', `--from ${opts.from} is after --to ${opts.to}`, { hint: '--to is the last day shown, inclusive' });
  }
  await ctx.withDb(async (db) => {
    // A PM plans in comm occurrences: the table groups the copies unless asked for them (or for one person's).
    if (opts.format === 'table' && !opts.explain && !opts.copies && opts.person === undefined) {
      const { plan, groups } = await queryOccurrences(db, {
        project,
        comm: opts.comm,
        includeCancelled: opts.all ?? false,
        fromDay: opts.from === undefined ? undefined : checkDay(opts.from, '--from'),
        toDay: opts.to === undefined ? undefined : checkDay(opts.to, '--to'),
      });
      if (!groups.length) await checkFilterKeys(db.sql, project, { comm: opts.comm });
      ctx.output.out(formatOccurrenceTable(groups, plan));
      return;
    }
    const cal = await queryCalendar(db, {
      project,
      person: opts.person,
      comm: opts.comm,
      includeCancelled: opts.all ?? false,
      fromDay: opts.from === undefined ? undefined : checkDay(opts.from, '--from'),
      toDay: opts.to === undefined ? undefined : checkDay(opts.to, '--to'),
      expected: { limits: capacityLimits(ctx.config()), now: ctx.clock.now() },
    });
    if (!cal.entries.length) await checkFilterKeys(db.sql, project, { person: opts.person, comm: opts.comm });
    if (opts.format === 'json') ctx.output.out(JSON.stringify(cal.entries, null, 2));
    else if (opts.format === 'ics') ctx.output.out(formatCalendarIcs(cal.entries, { name: cal.name, project, timezone: cal.timezone }));
    // JSON always carries `explain`; --explain turns the table into one explanation per message.
    else if (opts.explain) ctx.output.out(formatExplanations(cal.entries, planWords(cal.plan)));
    else ctx.output.out(formatCalendarTable(cal.entries, cal.timezone, planWords(cal.plan)));
  });
}

function checkDay(v: string, flag: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !DateTime.fromISO(v).isValid) {
    throw new HeraldError('BAD_OPTION', `${flag} ${v} is not a date`, { hint: `write ${flag} YYYY-MM-DD` });
  }
  return v;
}
