/**
 * The dashboard's one way to write HTML: the `html` tagged template escapes every interpolated
 * value (with esc() from ../pages.ts) unless it is already Html (another `html` result, or text
 * wrapped in raw()). So a plan, person or answer value can only reach a page as text; raw() is the
 * visible, greppable exception, for markup Herald itself wrote.
 */
import { esc } from '../pages.ts';

/** Markup that is safe to emit as is. Make it with `html` (or raw() for markup you wrote). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: text is escaped; null, undefined and false render nothing; arrays are joined. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return esc(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup that is NOT escaped. Only for strings Herald itself built (never a plan, person or answer value). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** A query string from `params` (empty values left out), already escaped for an attribute by `html`. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Markup parts one after another, each rendered as `html` renders an interpolated value (a long template split in parts). */
export function concat(...parts: HtmlValue[]): Html {
  return new Html(render(parts));
}

/**
 * `<option>`s, each value and label escaped as `html` escapes them, built as one string: a
 * 10,000-person project's person filter is 10,000 options, and one `html` result per option cost
 * the calendar page ~10 ms of server time (bench:dashboard profile, 7 Dec 2026).
 */
export function optionList(options: readonly { value: string; label: string }[], chosen: string | undefined): Html {
  let out = '';
  for (const o of options) out += `<option value="${esc(o.value)}"${o.value === chosen ? ' selected' : ''}>${esc(o.label)}</option>`;
  return new Html(out);
}
