import { cliActor } from '../actor.ts';
import { listMessages, retryMessages } from '../../app/message-log.ts';
import { sendManual } from '../../app/send-manual.ts';
import { HeraldError } from '../../domain/errors.ts';
import { MESSAGE_STATUSES } from '../../domain/message-status.ts';
import type { CliContext } from '../context.ts';
import { checkChoice, checkCount, checkFilterKeys } from '../options.ts';
import { plural } from '../output.ts';
import { withDb } from '../../main/cli.ts';

export interface MessagesOptions {
  status?: string;
  comm?: string;
  person?: string;
  limit: string;
  format: string;
}

export async function messages(ctx: CliContext, project: string, o: MessagesOptions): Promise<void> {
  const statuses: readonly string[] = MESSAGE_STATUSES;
  if (o.status && !statuses.includes(o.status)) {
    throw new HeraldError('BAD_OPTION', `--status ${o.status} is not a message status`, { hint: `use one of ${statuses.join(', ')}` });
  }
  checkChoice('--format', o.format, ['table', 'json']);
  const limit = checkCount('--limit', o.limit, 1);
  await withDb(ctx, async (db) => {
    const list = await listMessages(db, { project, ...pick(o), limit });
    if (!list.length) await checkFilterKeys(db.sql, project, o);
    if (o.format === 'json') return ctx.output.out(JSON.stringify(list, null, 2));
    if (!list.length) return ctx.output.out('no messages match');
    for (const m of list) {
      const last = m.deliveries.at(-1);
      ctx.output.out(
        `${m.dueAt}  ${m.status.padEnd(9)} ${m.comm}#${m.key.split('#')[1]?.split(':')[0]} → ${m.person} (${m.channel})` +
          ` attempts ${m.attempts}${m.providerId ? ` id ${m.providerId}` : ''}${last?.error ? `\n    last error: ${last.error}` : ''}`,
      );
    }
  });
}

export async function retry(ctx: CliContext, project: string, o: { message?: string[] }): Promise<void> {
  await withDb(ctx, async (db) => {
    const n = await retryMessages(db, { project, now: ctx.clock.now(), messageIds: o.message, actor: cliActor() });
    ctx.output.out(`${plural(n, 'message')} re-queued${n ? `; a running "herald worker" sends ${n === 1 ? 'it' : 'them'} when due` : ''}`);
  });
}

export async function send(ctx: CliContext, project: string, comm: string, o: { now?: boolean }): Promise<void> {
  await withDb(ctx, async (db) => {
    const r = await sendManual(db, { project, comm, now: ctx.clock.now(), ignoreQuietHours: o.now ?? false, actor: cliActor() });
    ctx.output.out(`${r.count} message${r.count === 1 ? '' : 's'} of ${comm} queued (firing #${r.occurrence}); a running "herald worker" delivers them`);
  });
}

function pick(o: { status?: string; comm?: string; person?: string }): { status?: string; comm?: string; person?: string } {
  return {
    status: o.status || undefined,
    comm: o.comm || undefined,
    person: o.person || undefined,
  };
}
