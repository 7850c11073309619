import { cliActor } from '../actor.ts';
import { listMessages, retryMessages } from '../../app/message-log.ts';
import { sendManual } from '../../app/send-manual.ts';
import { HeraldError } from '../../domain/errors.ts';
import { MESSAGE_STATUSES } from '../../domain/message-status.ts';
import type { CliContext } from '../context.ts';
import { checkChoice, checkCount, checkFilterKeys } from '../options.ts';
import { plural } from '../output.ts';
import { channelName, planWords } from '../../domain/plan/comm-title.ts';
import { projectTime } from '../project-time.ts';
import { csvLine } from '../../domain/csv.ts';

export interface MessagesOptions {
  status?: string;
  comm?: string;
  person?: string;
  limit?: string;
  format: string;
}

export async function messages(ctx: CliContext, project: string, o: MessagesOptions): Promise<void> {
  const statuses: readonly string[] = MESSAGE_STATUSES;
  if (o.status && !statuses.includes(o.status)) {
    throw new HeraldError('BAD_OPTION', `--status ${o.status} is not a message status`, { hint: `use one of ${statuses.join(', ')}` });
  }
  checkChoice('--format', o.format, ['table', 'json', 'csv']);
  if (o.format === 'csv') return messagesCsv(ctx, project, o);
  const limit = checkCount('--limit', o.limit ?? '200', 1);
  await ctx.withDb(async (db) => {
    const list = await listMessages(db, { project, ...pick(o), limit });
    if (!list.length) await checkFilterKeys(db.sql, project, o);
    if (o.format === 'json') return ctx.output.out(JSON.stringify(list, null, 2));
    if (!list.length) return ctx.output.out('no messages match');
    const stored = await db.stores.projects.findWithPlan(project);
    const words = planWords(stored?.plan ?? { people: [], comms: [] });
    const zone = stored?.plan.project.timezone ?? 'UTC';
    for (const m of list) {
      const last = m.deliveries.at(-1);
      // The key's middle is `3` or `3~r1` (the first survey reminder of occurrence 3).
      const [occurrence, reminder] = (m.key.split('#')[1]?.split(':')[0] ?? '0').split('~r');
      ctx.output.out(
        `${projectTime(new Date(m.dueAt), zone)}  ${m.status.padEnd(9)} ${words.occurrence(m.comm, Number(occurrence))}` +
          `${reminder ? `, reminder ${reminder}` : ''} → ${words.person(m.person)} (${channelName(m.channel)})` +
          ` attempts ${m.attempts}${m.providerId ? ` id ${m.providerId}` : ''}${last?.error ? `\n    last error: ${last.error}` : ''}`,
      );
    }
  });
}

const CSV_PAGE = 1000;

/** `--format csv`: every attempt of every matching message, one row each, with the answer and when. */
async function messagesCsv(ctx: CliContext, project: string, o: MessagesOptions): Promise<void> {
  const max = o.limit === undefined ? Number.POSITIVE_INFINITY : checkCount('--limit', o.limit, 1);
  await ctx.withDb(async (db) => {
    ctx.output.out(
      csvLine([
        'message',
        'key',
        'comm',
        'occurrence',
        'person',
        'channel',
        'due_at',
        'status',
        'sent_at',
        'attempt',
        'attempt_at',
        'attempt_channel',
        'provider_id',
        'outcome',
        'error',
        'answer',
        'answer_comment',
        'answered_at',
        'answered_via',
      ]),
    );
    let done = 0;
    for (let offset = 0; done < max; offset += CSV_PAGE) {
      const list = await listMessages(db, { project, ...pick(o), limit: Math.min(CSV_PAGE, max - done), offset });
      if (offset === 0 && !list.length) await checkFilterKeys(db.sql, project, o);
      for (const m of list) {
        const head = [m.id, m.key, m.comm, m.key.split('#')[1]?.split(':')[0], m.person, m.channel, m.dueAt, m.status, m.sentAt];
        const tail = [m.answer?.option ?? (m.answer ? '' : undefined), m.answer?.comment, m.answer?.at, m.answer?.channel];
        if (!m.deliveries.length) ctx.output.out(csvLine([...head, '', '', '', '', '', '', ...tail]));
        m.deliveries.forEach((d, i) => ctx.output.out(csvLine([...head, i + 1, d.at, d.channel, d.providerId, d.outcome, d.error, ...tail])));
      }
      done += list.length;
      if (list.length < CSV_PAGE) break;
    }
  });
}

export async function retry(ctx: CliContext, project: string, o: { message?: string[] }): Promise<void> {
  await ctx.withDb(async (db) => {
    const n = await retryMessages(db, { project, now: ctx.clock.now(), messageIds: o.message, actor: cliActor() });
    ctx.output.out(`${plural(n, 'message')} re-queued${n ? `; a running "herald worker" sends ${n === 1 ? 'it' : 'them'} when due` : ''}`);
  });
}

export async function send(ctx: CliContext, project: string, comm: string, o: { now?: boolean }): Promise<void> {
  await ctx.withDb(async (db) => {
    const r = await sendManual(db, { project, comm, now: ctx.clock.now(), ignoreQuietHours: o.now ?? false, actor: cliActor() });
    // In words: the comm's title and which firing, counted from 1.
    const words = planWords((await db.stores.projects.findWithPlan(project))?.plan ?? { people: [], comms: [] });
    ctx.output.out(
      `${r.count} message${r.count === 1 ? '' : 's'} of ${words.comm(comm)} queued (firing ${r.occurrence + 1}); a running "herald worker" delivers them`,
    );
  });
}

function pick(o: { status?: string; comm?: string; person?: string }): { status?: string; comm?: string; person?: string } {
  return {
    status: o.status || undefined,
    comm: o.comm || undefined,
    person: o.person || undefined,
  };
}
