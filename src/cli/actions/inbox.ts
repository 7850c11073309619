import { listInbox } from '../../app/list-inbox.ts';
import { planWords } from '../../domain/plan/comm-title.ts';
import { projectTime } from '../project-time.ts';
import type { CliContext } from '../context.ts';
import { checkChoice, checkCount } from '../options.ts';

export async function inbox(ctx: CliContext, project: string, o: { limit: string; format: string }): Promise<void> {
  checkChoice('--format', o.format, ['table', 'json']);
  const limit = checkCount('--limit', o.limit, 1);
  await ctx.withDb(async (db) => {
    const list = await listInbox(db, project, { limit });
    if (o.format === 'json') return ctx.output.out(JSON.stringify(list, null, 2));
    if (!list.length) return ctx.output.out('the inbox is empty: every inbound mail was recorded or handled');
    const stored = await db.stores.projects.findWithPlan(project);
    const words = planWords(stored?.plan ?? { people: [], comms: [] });
    const zone = stored?.plan.project.timezone ?? 'UTC';
    for (const m of list) {
      const who = m.person ? ` person ${words.person(m.person)}${m.comm ? ` (${words.comm(m.comm)})` : ''}` : '';
      ctx.output.out(
        `${projectTime(new Date(m.receivedAt), zone)}  ${m.outcome.padEnd(11)} ${m.kind.padEnd(10)} via ${m.via}  from ${m.from ?? '?'}${who}` +
          `${m.fromOtherAddress ? '  [sent from another address]' : ''}${m.inProject ? '' : '  [no project]'}` +
          `\n    ${m.subject ? `"${m.subject}" — ` : ''}${m.reason ?? ''}`,
      );
    }
  });
}
