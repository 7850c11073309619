import { createRequire } from 'node:module';
import type * as HtmlToText from 'html-to-text';
import type Juice from 'juice';
import type { MessageContext } from './context-schema.ts';

/*
 * juice (with cheerio) and html-to-text cost ~0.4 s of CPU to import, and only sending or previewing
 * email needs them: `herald validate` renders its trial messages without CSS inlining or a text
 * part. So they load on first use, synchronously (both ship CommonJS builds).
 */
const require = createRequire(import.meta.url);
let juiceModule: typeof Juice | undefined;
const juice = (): typeof Juice => (juiceModule ??= require('juice') as typeof Juice);

let converter: ((html: string) => string) | undefined;
/** One converter, built once: wrapping at 78 columns, links as `label [url]`, no shouting headings. */
const toText = (html: string): string => (converter ??= (require('html-to-text') as typeof HtmlToText).compile(TO_TEXT))(html);
const TO_TEXT: HtmlToText.HtmlToTextOptions = {
  wordwrap: 78,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['[', ']'] } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'img', format: 'skip' },
    { selector: '.preheader', format: 'skip' },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
    // A survey option is a one-cell table (a button Outlook draws); its text stays one line per option.
    ...['table.choice', 'tr.choice', 'td.choice'].map((selector) => ({ selector, format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } })),
  ],
};

/*
 * Many mail clients drop `<style>`, so CSS goes into `style=""` attributes. Juice runs once per
 * template source at compile time (it skips `{{…}}` code blocks), not once per message: per-message
 * inlining cost ~4 ms a render. HTML that helpers emit at render time (`paragraphs`, `link`) gets
 * mail-client defaults; layout CSS rules must not span the layout/body boundary.
 */
const JUICE = { removeStyleTags: true, preserveMediaQueries: true, applyWidthAttributes: true };

/** The layout source with its own `<style>` inlined. */
export function inlineLayout(source: string): string {
  return juice()(source, JUICE);
}

/** The CSS of a layout's `<style>` blocks, to inline into body templates. */
export function styleOf(layoutSource: string): string {
  return [...layoutSource.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1] ?? '').join('\n');
}

/** A body template source with the layout CSS inlined. */
export function inlineBody(source: string, css: string): string {
  return css.trim() === '' ? source : juice().inlineContent(source, css, JUICE);
}

/*
 * The inlined CSS (`style="…"` on nearly every tag) is most of an e-mail's markup and means nothing
 * to the text part (no selector above looks at it): parsing it was about a third of html-to-text's
 * time per message (bench:delivery throughput). Attribute values reach the HTML escaped, so a
 * quote or angle bracket never sits inside one.
 */
const STYLE_ATTRIBUTE = /(<[a-zA-Z][^<>]*?)\s+style="[^"]*"/g;

export function htmlToText(html: string): string {
  return toText(html.replace(STYLE_ATTRIBUTE, '$1'))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The survey and unsubscribe lines a hand-written text part gets, mirroring the HTML layout. */
export function textFooter(ctx: MessageContext): string {
  const lines: string[] = [];
  if (ctx.survey) {
    lines.push(ctx.survey.question, '');
    for (const o of ctx.survey.options) lines.push(`- ${o.label}: ${o.url}`);
  }
  if (ctx.links.unsubscribe) lines.push('', `Stop these messages: ${ctx.links.unsubscribe}`);
  return lines.join('\n').trim();
}
