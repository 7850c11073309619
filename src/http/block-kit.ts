import { esc } from './pages.ts';

/** One button's form: posting it makes the demo send Slack's signed block_actions for that button. */
export interface ButtonTarget {
  action: string;
  hidden: Record<string, string>;
}

type Block = Record<string, unknown>;
const textOf = (t: unknown): string => (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string' ? (t as { text: string }).text : '');

/** The emoji shortcodes Herald's own templates use (Slack draws them as emoji); others stay as written. */
const EMOJI: Readonly<Record<string, string>> = {
  large_green_circle: '🟢',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  red_circle: '🔴',
  white_circle: '⚪',
  large_blue_circle: '🔵',
  warning: '⚠️',
  white_check_mark: '✅',
};

/** Slack mrkdwn, minimally: *bold*, _italic_, <url|label> links, :emoji:, line breaks; everything escaped first. */
export function mrkdwn(text: string): string {
  return esc(text)
    .replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m)
    .replace(/&lt;(https?:[^|&]+)\|([^&]*?)&gt;/g, (_m, url: string, label: string) => `<a href="${url}">${label}</a>`)
    .replace(/&lt;(https?:[^&]+?)&gt;/g, (_m, url: string) => `<a href="${url}">${url}</a>`)
    .replace(/\*([^*\n]+)\*/g, '<strong>$1</strong>')
    .replace(/(^|\s)_([^_\n]+)_/g, '$1<em>$2</em>')
    .replace(/\n/g, '<br>');
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
        out.push(`<p class="bk-header"><strong>${esc(textOf(b.text))}</strong></p>`);
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
        const buttons = (Array.isArray(b.elements) ? b.elements : []).filter((e) => (e as Block).type === 'button').map((e) => {
          const el = e as Block;
          const actionId = String(el.action_id ?? '');
          const value = String(el.value ?? '');
          if (typeof el.url === 'string') return `<a class="bk-button" href="${esc(el.url)}">${esc(textOf(el.text))}</a>`;
          if (!button) return `<span class="bk-button">${esc(textOf(el.text))}</span>`;
          const t = button({ actionId, value, blockId });
          const hidden = Object.entries(t.hidden).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
          return `<form method="post" action="${esc(t.action)}" class="bk-inline">${hidden}<button type="submit">${esc(textOf(el.text))}</button></form>`;
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
