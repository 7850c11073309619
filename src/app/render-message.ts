import { definedOnly } from '../domain/defined-only.ts';
import type { CommSpec, PersonSpec, Plan } from '../domain/plan/model.ts';
import type { Occurrence } from '../domain/schedule/occurrence.ts';
import { buildContext } from '../templates/context.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import type { RenderedMessage } from '../templates/rendered.ts';

/** Builds the links a message carries: signed tokens when sending, placeholders in previews. */
export interface LinkMaker {
  answer(option?: string): string;
  unsubscribe(): string;
}

/** Unsigned placeholder links: simulate and preview store nothing and need no secret. */
export function previewLinks(publicUrl: string): LinkMaker {
  const base = publicUrl.replace(/\/$/, '');
  return {
    answer: (o) => `${base}/r/preview${o === undefined ? '' : `-${encodeURIComponent(o)}`}`,
    unsubscribe: () => `${base}/u/preview`,
  };
}

export interface RenderTarget {
  comm: CommSpec;
  person: PersonSpec;
  occurrence: { index: number; dueAt: Date; seriesItem?: string };
  channel: 'slack' | 'email';
  messageId: string;
  /** The weekly digest model, for `kind: digest` comms. */
  digest?: unknown;
}

/**
 * The one way a message is rendered, by the worker and by previews alike: the variant of the
 * first of the comm's audiences the person belongs to, with the series item and links.
 */
export function renderMessage(
  engine: TemplateEngine,
  plan: Plan,
  t: RenderTarget,
  now: Date,
  links: LinkMaker,
): { rendered: RenderedMessage; unsubscribe?: string } {
  const { comm, person } = t;
  const audience = comm.audiences.find((a) => person.audiences.includes(a)) ?? comm.audiences[0] ?? 'everyone';
  const item = t.occurrence.seriesItem ? engine.item(comm.template, t.occurrence.seriesItem) : undefined;
  const unsubscribe = comm.optional ? links.unsubscribe() : undefined;
  const context = buildContext({
    plan,
    comm,
    person,
    audience,
    now,
    occurrence: { index: t.occurrence.index, dueAt: t.occurrence.dueAt },
    item,
    // A template may list the links ({{#each links}}): only the ones this message has.
    links: definedOnly({ unsubscribe, answer: comm.survey ? links.answer() : undefined }),
    answerUrl: (o) => links.answer(o.value),
    digest: t.digest,
  });
  const rendered = engine.render({ template: comm.template, channel: t.channel, audience, context, messageId: t.messageId });
  return unsubscribe ? { rendered, unsubscribe } : { rendered };
}

/** A planned occurrence rendered with placeholder links (simulate). */
export function renderOccurrence(engine: TemplateEngine, plan: Plan, occ: Occurrence, now: Date, publicUrl: string): RenderedMessage {
  return renderFor(
    engine,
    plan,
    plan.comms.find((c) => c.key === occ.comm)!,
    plan.people.find((p) => p.id === occ.personId)!,
    { index: occ.occurrence, dueAt: occ.dueAt, seriesItem: occ.seriesItem || undefined },
    occ.channel,
    now,
    publicUrl,
  );
}

/** One message for one person, with placeholder links (preview). */
export function renderFor(
  engine: TemplateEngine,
  plan: Plan,
  comm: CommSpec,
  person: PersonSpec,
  occurrence: RenderTarget['occurrence'],
  channel: 'slack' | 'email',
  now: Date,
  publicUrl: string,
  digest?: unknown,
): RenderedMessage {
  const target: RenderTarget = { comm, person, occurrence, channel, messageId: 'preview', digest };
  return renderMessage(engine, plan, target, now, previewLinks(publicUrl)).rendered;
}

/** The first line a person sees: the subject for e-mail, the first text line for Slack. */
export function firstLine(r: RenderedMessage): string {
  if (r.channel === 'email') return r.subject;
  return (
    r.text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? r.subject
  );
}
