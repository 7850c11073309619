/**
 * A horizontal bar drawn as inline SVG (the CSP allows no style attributes, so width is an SVG
 * attribute). Decorative: the number beside it is the value, so screen readers skip the bar.
 */
import { html, type Html, concat } from '../html.ts';

export function bar(part: number, whole: number): Html {
  const width = whole > 0 ? Math.round((200 * part) / whole) : 0;
  return concat(
    html`<svg viewBox="0 0 200 14" width="200" height="14" aria-hidden="true" focusable="false"><rect x="0" y="0"`,
    html` width="200" height="14" rx="3" fill="#e7ebf0"/><rect x="0" y="0" width="${width}" height="14" rx="3"`,
    html` fill="#0b57c2"/></svg>`,
  );
}

/** "3 of 8 (38%)". */
export function share(part: number, whole: number): string {
  return whole > 0 ? `${part} of ${whole} (${Math.round((100 * part) / whole)}%)` : `${part} of ${whole}`;
}
