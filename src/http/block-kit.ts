import { get, has } from 'node-emoji';
import { esc } from './pages.ts';

/** One button's form: posting it makes the demo send Slack's signed block_actions for that button. */
export interface ButtonTarget {
  action: string;
  hidden: Record<string, string>;
}

type Block = Record<string, unknown>;
const textOf = (t: unknown): string => (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string' ? (t as { text: string }).text : '');

/** Slack's names that differ from GitHub's (node-emoji's): Slack draws these as the emoji shown. */
const SLACK_EMOJI: Readonly<Record<string, string>> = {
  large_green_circle: '🟢',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_blue_circle: '🔵',
  white_circle: '⚪',
};

const emojiOf = (name: string): string | undefined => SLACK_EMOJI[name] ?? (has(name) ? get(name) : undefined);

/** Slack's text escapes (`&amp;` `&lt;` `&gt;`, the only three it uses) back to the characters they stand for. */
const unescapeSlack = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Plain text (a header, a button label) as Slack shows it: its escapes decoded, then escaped once for HTML. */
export const plainText = (text: string): string => esc(unescapeSlack(text));

/** *bold*, _italic_, ~strike~ and :emoji: inside text that is already HTML-escaped. */
function emphasis(html: string): string {
  return html
    .replace(/:([a-z0-9_+-]+):/g, (m, name: string) => emojiOf(name) ?? m)
    .replace(/(^|[^\w*])\*([^*\n]+)\*(?![\w*])/g, '$1<strong>$2</strong>')
    .replace(/(^|[^\w_])_([^_\n]+)_(?![\w_])/g, '$1<em>$2</em>')
    .replace(/(^|[^\w~])~([^~\n]+)~(?![\w~])/g, '$1<del>$2</del>');
}

/** A control sequence (`<url|label>`, `<url>`, `<@U1>`, `<#C1|name>`, `<!here>`) as Slack draws it. */
function control(inner: string): string {
  const [target = '', label] = inner.split('|', 2);
  if (/^(https?:|mailto:)/.test(target)) return `<a href="${esc(unescapeSlack(target))}">${esc(unescapeSlack(label ?? target))}</a>`;
  if (target.startsWith('@')) return `<strong>@${esc(unescapeSlack(label ?? target.slice(1)))}</strong>`;
  if (target.startsWith('#')) return `<strong>#${esc(unescapeSlack(label ?? target.slice(1)))}</strong>`;
  if (target.startsWith('!')) return `<strong>@${esc(unescapeSlack(label ?? target.slice(1).split('^')[0] ?? ''))}</strong>`;
  return esc(unescapeSlack(`<${inner}>`));
}

/** One line's worth of mrkdwn (or a run of lines): code spans and control sequences, then emphasis. */
function inline(text: string): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(/```([\s\S]*?)```|`([^`\n]+)`|<([^<>\n]+)>/g)) {
    out += prose(text.slice(at, m.index));
    if (m[1] !== undefined) out += `<pre>${plainText(m[1].replace(/^\n|\n$/g, ''))}</pre>`;
    else if (m[2] !== undefined) out += `<code>${plainText(m[2])}</code>`;
    else out += control(m[3]!);
    at = m.index + m[0].length;
  }
  return out + prose(text.slice(at));
}

const prose = (text: string): string => emphasis(plainText(text)).replace(/\n/g, '<br>');

/**
 * Slack mrkdwn as Slack draws it: text arrives with Slack's own escapes (`&amp;`), so they are
 * decoded before the one HTML escape; a raw `>` starting a line is a quote; `code`, ```blocks```,
 * *bold*, _italic_, ~strike~, links, mentions and :emoji: (Slack's names, then GitHub's).
 */
export function mrkdwn(text: string): string {
  const parts: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; ) {
    const quoted = lines[i]!.startsWith('>');
    const run: string[] = [];
    while (i < lines.length && lines[i]!.startsWith('>') === quoted) run.push(quoted ? lines[i++]!.replace(/^> ?/, '') : lines[i++]!);
    parts.push(quoted ? `<blockquote>${inline(run.join('\n'))}</blockquote>` : inline(run.join('\n')));
  }
  return parts.join('<br>').replace(/<\/blockquote><br>/g, '</blockquote>');
}

/**
 * Draws Block Kit the way Slack does (header, section, context, divider, actions with buttons).
 * With `button`, each action button is a form posting where it says (the demo's Slack view);
 * without it the buttons are drawn but do nothing (the dashboard's previews).
 */
export function drawBlocks(blocks: readonly unknown[], button?: (b: { actionId: string; value: string; blockId: string }) => ButtonTarget): string {
  const out: string[] = [];
  for (const raw of blocks) {
    const b = raw as Block;
    switch (b.type) {
      case 'header':
        out.push(`<p class="bk-header"><strong>${plainText(textOf(b.text))}</strong></p>`);
        break;
      case 'section': {
        const fields = Array.isArray(b.fields) ? b.fields.map((f) => `<div>${mrkdwn(textOf(f))}</div>`).join('') : '';
        out.push(`<div class="bk-section">${mrkdwn(textOf(b.text))}${fields}</div>`);
        break;
      }
      case 'context': {
        const parts = Array.isArray(b.elements) ? b.elements.map((e) => mrkdwn(textOf(e))) : [];
        out.push(`<p class="bk-context"><small>${parts.join(' · ')}</small></p>`);
        break;
      }
      case 'divider':
        out.push('<hr>');
        break;
      case 'actions': {
        const blockId = typeof b.block_id === 'string' ? b.block_id : 'actions';
        const buttons = (Array.isArray(b.elements) ? b.elements : [])
          .filter((e) => (e as Block).type === 'button')
          .map((e) => {
            const el = e as Block;
            const actionId = String(el.action_id ?? '');
            const value = String(el.value ?? '');
            // Block Kit's button styles: primary (green) and danger (red); none is the plain button.
            const style = el.style === 'primary' || el.style === 'danger' ? ` bk-${el.style}` : '';
            if (typeof el.url === 'string') return `<a class="bk-button${style}" href="${esc(el.url)}">${plainText(textOf(el.text))}</a>`;
            if (!button) return `<span class="bk-button${style}">${plainText(textOf(el.text))}</span>`;
            const t = button({ actionId, value, blockId });
            const hidden = Object.entries(t.hidden)
              .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
              .join('');
            return (
              `<form method="post" action="${esc(t.action)}" class="bk-inline">${hidden}<button type="submit"` +
              `${style ? ` class="bk-button${style}"` : ''}>${plainText(textOf(el.text))}</button></form>`
            );
          });
        out.push(`<div class="bk-actions">${buttons.join(' ')}</div>`);
        break;
      }
      default:
        if (textOf(b.text)) out.push(`<div class="bk-section">${mrkdwn(textOf(b.text))}</div>`);
    }
  }
  return out.join('\n');
}
