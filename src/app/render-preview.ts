import type { CommSpec, PersonSpec, Plan } from '../domain/plan/model.ts';
import type { Occurrence } from '../domain/schedule/occurrence.ts';
import { buildContext } from '../templates/context.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import type { RenderedMessage } from '../templates/rendered.ts';

/**
 * Renders a planned occurrence exactly as the worker would, except that links are
 * unsigned placeholders: simulate and preview store nothing and need no secret.
 */
export function renderOccurrence(engine: TemplateEngine, plan: Plan, occ: Occurrence, now: Date, publicUrl: string): RenderedMessage {
  const comm = plan.comms.find((c) => c.key === occ.comm)!;
  const person = plan.people.find((p) => p.id === occ.personId)!;
  return renderFor(engine, plan, comm, person, { index: occ.occurrence, dueAt: occ.dueAt, ...(occ.seriesItem ? { seriesItem: occ.seriesItem } : {}) }, occ.channel, now, publicUrl);
}

export function renderFor(
  engine: TemplateEngine,
  plan: Plan,
  comm: CommSpec,
  person: PersonSpec,
  occ: { index: number; dueAt: Date; seriesItem?: string },
  channel: 'slack' | 'email',
  now: Date,
  publicUrl: string,
): RenderedMessage {
  const base = publicUrl.replace(/\/$/, '');
  const audience = comm.audiences.find((a) => person.audiences.includes(a)) ?? comm.audiences[0] ?? 'everyone';
  const item = occ.seriesItem ? engine.item(comm.template, occ.seriesItem) : undefined;
  const context = buildContext({
    plan,
    comm,
    person,
    audience,
    now,
    occurrence: { index: occ.index, dueAt: occ.dueAt },
    ...(item ? { item } : {}),
    links: {
      ...(comm.optional ? { unsubscribe: `${base}/u/preview` } : {}),
      ...(comm.survey ? { answer: `${base}/r/preview` } : {}),
    },
    answerUrl: (o) => `${base}/r/preview-${encodeURIComponent(o.value)}`,
  });
  return engine.render({ template: comm.template, channel, audience, context, messageId: 'preview' });
}

/** The first line a person sees: the subject for e-mail, the first text line for Slack. */
export function firstLine(r: RenderedMessage): string {
  if (r.channel === 'email') return r.subject;
  return r.text.split('\n').find((l) => l.trim())?.trim() ?? r.subject;
}
