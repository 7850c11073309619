import { HeraldError } from '../domain/errors.ts';
import type { Channel, CommSpec, Plan } from '../domain/plan/model.ts';
import { hint } from '../domain/plan/suggest.ts';
import { checkComm } from './check.ts';
import { TemplateCompiler } from './compile.ts';
import { compiledCache, LAYOUT } from './compiled-cache.ts';
import type { MessageContext, SeriesItem } from './context-schema.ts';
import { htmlToText, textFooter } from './email-html.ts';
import type { RenderedMessage } from './rendered.ts';
import { slackBlocks, slackFallback } from './slack-blocks.ts';
import type { PrecompiledTemplates } from './precompiled.ts';
import { TemplateStore, type TemplatePart } from './store.ts';

export interface RenderInput {
  template: string;
  channel: Channel;
  audience: string;
  context: MessageContext;
  /** Carried in Slack survey buttons so a click names its message. */
  messageId: string;
}

export interface TemplateEngine {
  has(name: string): boolean;
  /** Template names (folders of the templates directory, without `_layout`). */
  list(): string[];
  /** Throws HeraldError TEMPLATE_MISSING when the template or the channel's variant is absent. */
  render(input: RenderInput): RenderedMessage;
  /** Human-readable problems for `herald validate`; empty when the comm's templates are sound. */
  check(comm: CommSpec, plan: Plan): string[];
  /** A stepped-series item (adoption tip) for the context's `item`, or undefined if it has no file. */
  item(template: string, key: string): SeriesItem | undefined;
}

export interface TemplateEngineOptions {
  /** The templates folder, e.g. `<repo>/templates`. */
  dir: string;
  /** Prefixed to survey and unsubscribe links that are paths (`/r/<token>`). */
  publicUrl?: string;
  /** Templates compiled at build time; a source they do not hold is compiled on first use. */
  precompiled?: PrecompiledTemplates;
}

export { channelsOf } from './check.ts';

export function createTemplateEngine(opts: TemplateEngineOptions): TemplateEngine {
  const store = new TemplateStore(opts.dir);
  const compiler = new TemplateCompiler(opts.precompiled);
  const compiled = compiledCache(store, compiler);
  const publicUrl = opts.publicUrl?.replace(/\/+$/, '');

  const absolute = (url: string): string => (url.startsWith('/') && publicUrl !== undefined ? `${publicUrl}${url}` : url);

  const withAbsoluteLinks = (ctx: MessageContext): MessageContext => ({
    ...ctx,
    links: {
      ...(ctx.links.unsubscribe === undefined ? {} : { unsubscribe: absolute(ctx.links.unsubscribe) }),
      ...(ctx.links.answer === undefined ? {} : { answer: absolute(ctx.links.answer) }),
    },
    ...(ctx.survey ? { survey: { ...ctx.survey, options: ctx.survey.options.map((o) => ({ ...o, url: absolute(o.url) })) } } : {}),
  });

  const need = (template: string, audience: string, part: TemplatePart): string => {
    if (!store.has(template)) throw new HeraldError('TEMPLATE_MISSING', `template "${template}" not found${hint(template, store.list(), 'templates')}`);
    const file = store.resolve(template, audience, part);
    if (file === undefined) {
      const tried = store.candidates(audience, part).map((f) => store.display(`${template}/${f}`));
      throw new HeraldError('TEMPLATE_MISSING', `template "${template}" has no ${part} for audience "${audience}"; add one of: ${tried.join(', ')}`);
    }
    return `${template}/${file}`;
  };

  /**
   * A trial render (for `check`) runs every Handlebars template and helper a real one runs, but
   * skips the work that cannot fail on a template: CSS inlining and deriving the text part.
   */
  const renderAs = (input: RenderInput, trial: boolean): RenderedMessage => {
    const { template, channel, audience } = input;
    const ctx = withAbsoluteLinks(input.context);
    const subjectFile = need(template, audience, 'subject');
    const bodyFile = need(template, audience, channel);
    // A subject is one line whatever the template's line breaks.
    const subject = compiled(subjectFile, 'plain', trial)(ctx).replace(/\s+/g, ' ').trim();
    if (channel === 'slack') {
      const mrkdwn = compiled(bodyFile, 'slack', trial)(ctx).trim();
      return { channel, subject, text: slackFallback(subject, mrkdwn), blocks: slackBlocks(subject, mrkdwn, ctx, input.messageId) };
    }
    const body = compiled(bodyFile, 'html', trial)(ctx);
    const html = compiled(LAYOUT, 'html', trial)({ ...ctx, subject, body: compiler.safe('html', body) });
    // A hand-written text part is used only beside the HTML variant it belongs to.
    const textFile = bodyFile.replace(/\.email\.hbs$/, '.text.hbs');
    const hasText = store.resolve(template, audience, 'text') === textFile.slice(template.length + 1);
    const written = hasText ? `${compiled(textFile, 'plain', trial)(ctx).trim()}\n\n${textFooter(ctx)}`.trim() : undefined;
    return { channel, subject, text: written ?? (trial ? '' : htmlToText(html)), html };
  };
  const render = (input: RenderInput): RenderedMessage => renderAs(input, false);

  const check = (comm: CommSpec, plan: Plan): string[] =>
    checkComm(comm, plan, {
      store,
      compiler,
      trialRender: (template, channel, audience, context) => renderAs({ template, channel, audience, context, messageId: 'check' }, true),
    });

  return {
    has: (name) => store.has(name),
    list: () => store.list(),
    render,
    check,
    item: (template, key) => store.item(template, key),
  };
}
