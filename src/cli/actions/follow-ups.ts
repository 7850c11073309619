import { cliActor } from '../actor.ts';
import { actOnEscalation } from '../../app/act-on-escalation.ts';
import { formatEscalations, listEscalations } from '../../app/list-escalations.ts';
import { formatResponses, listResponses } from '../../app/list-responses.ts';
import { planWords } from '../../domain/plan/comm-title.ts';
import { HeraldError } from '../../domain/errors.ts';
import type { EscalationAction } from '../../domain/escalation/rules.ts';
import type { CliContext } from '../context.ts';
import { checkChoice } from '../options.ts';

export async function responses(ctx: CliContext, project: string, o: { comm?: string; format: string }): Promise<void> {
  checkChoice('--format', o.format, ['table', 'json']);
  await ctx.withDb(async (db) => {
    const r = await listResponses(db, { project, comm: o.comm || undefined });
    ctx.output.out(o.format === 'json' ? JSON.stringify(r.entries, null, 2) : formatResponses(r.summaries, planWords(r.plan)));
  });
}

export async function escalations(ctx: CliContext, project: string, o: { open?: boolean; format: string }): Promise<void> {
  checkChoice('--format', o.format, ['table', 'json']);
  await ctx.withDb(async (db) => {
    const list = await listEscalations(db, { project, open: o.open ?? false, now: ctx.clock.now() });
    if (o.format === 'json') return ctx.output.out(JSON.stringify(list, null, 2));
    const stored = await db.stores.projects.findWithPlan(project);
    ctx.output.out(formatEscalations(list, planWords(stored?.plan ?? { people: [], comms: [] })));
  });
}

export async function escalation(ctx: CliContext, action: EscalationAction, project: string, id: string, o: { note?: string } = {}): Promise<void> {
  await ctx.withDb(async (db) => {
    const escalationId = await resolveId(db, project, id, ctx);
    const r = await actOnEscalation({ stores: db.stores, clock: ctx.clock }, { escalationId, action, project, note: o.note, actor: cliActor() });
    ctx.output.out(
      r.changed
        ? `escalation ${escalationId.slice(0, 8)} is ${r.state}${r.note ? ', with your note' : ''}; the person who answered will be told`
        : `escalation ${escalationId.slice(0, 8)} was already ${r.state}; nothing changed${o.note?.trim() ? ' (the note was not stored)' : ''}`,
    );
  });
}
async function resolveId(prisma: Parameters<typeof listEscalations>[0], project: string, id: string, ctx: CliContext): Promise<string> {
  const list = await listEscalations(prisma, { project, now: ctx.clock.now() });
  const hits = list.filter((e) => e.id.startsWith(id.toLowerCase()));
  if (hits.length === 1) return hits[0]!.id;
  throw new HeraldError('BAD_ESCALATION_ID', hits.length ? `"${id}" matches ${hits.length} escalations` : `no escalation "${id}" in project ${project}`, {
    hint: hits.length ? 'give more characters of the id' : `list them with: herald escalations ${project} --open`,
  });
}
