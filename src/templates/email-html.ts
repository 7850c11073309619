import { compile as compileHtmlToText } from 'html-to-text';
import juice from 'juice';
import type { MessageContext } from './context.ts';

/** One converter, built once: wrapping at 78 columns, links as `label [url]`, no shouting headings. */
const toText = compileHtmlToText({
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
  ],
});

/** Moves the layout's `<style>` into `style=""` attributes: many mail clients drop `<style>`. */
export function inlineCss(html: string): string {
  return juice(html, { removeStyleTags: true, preserveMediaQueries: true, applyWidthAttributes: true });
}

export function htmlToText(html: string): string {
  return toText(html).replace(/\n{3,}/g, '\n\n').trim();
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
