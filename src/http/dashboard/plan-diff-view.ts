/**
 * A unified diff of two plan versions (diffPlanVersions' `patch`) as the dashboard shows it: one
 * line per line, each keeping its leading + or - (so the change reads without colour), added lines
 * in <ins> and removed ones in <del>, tinted by the stylesheet.
 */
import { concat, html, type Html } from './html.ts';

/** Whether a patch changes any line (a patch of two equal texts is only its file headers). */
export function patchChanges(patch: string): boolean {
  return patch.split('\n').some((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
}

function line(l: string): Html {
  if (/^(---|\+\+\+) |^@@ /.test(l)) return html`<span class="hunk">${l}</span>`;
  if (l.startsWith('+')) return html`<ins>${l}</ins>`;
  if (l.startsWith('-')) return html`<del>${l}</del>`;
  return html`<span>${l}</span>`;
}

/** The patch in a <pre>, with the legend a reader needs first: what + and - mean here. */
export function planDiff(patch: string, from: number, to: number): Html {
  const lines = patch
    .replace(/\n$/, '')
    .split('\n')
    .filter((l) => !/^={10,}$|^Index: /.test(l));
  return concat(
    html`<p class="muted">Lines starting with + are in version ${to} and not in version ${from}; lines starting with − (minus) were`,
    html` in version ${from} and are not in version ${to}; the others are unchanged, shown around each change.</p>`,
    html`<pre class="diff">${lines.map(line)}</pre>`,
  );
}
