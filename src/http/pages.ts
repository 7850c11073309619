/**
 * The small human pages `herald serve` shows (answer links, opt-out, errors). Plain HTML with one
 * inline stylesheet: no JavaScript, no outside assets (mail scanners and locked-down phones open
 * these), readable from 320 px up. The stylesheet's hash goes into the Content-Security-Policy, so
 * nothing else can run or load.
 */
import { createHash } from 'node:crypto';

const CSS =
  `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f5f7}
main{max-width:34rem;margin:0 auto;padding:1.25rem 1rem}
.card{background:#fff;border-radius:10px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.3rem;line-height:1.3;margin:0 0 .75rem}
h2{font-size:1.1rem;line-height:1.3;margin:1.5rem 0 .5rem}
h3{font-size:1rem;line-height:1.3;margin:1rem 0 .25rem}
.preview{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;padding:.6rem .75rem;border-radius:6px;margin:.25rem 0}
p{margin:.5rem 0}
.muted{color:#57606a;font-size:.9rem}
.note{background:#eef6ff;border-left:4px solid #2f6fdb;padding:.6rem .75rem;border-radius:4px}
.error{background:#fff1f0;border-left:4px solid #cf222e;padding:.6rem .75rem;border-radius:4px}
fieldset{border:0;margin:1rem 0;padding:0}
legend{font-weight:600;margin-bottom:.5rem}
label.option{display:flex;align-items:center;gap:.6rem;padding:.75rem;margin:.4rem 0;border:1px solid` +
  ` #d0d7de;border-radius:8px;min-height:3rem;cursor:pointer}
label.option input{width:1.25rem;height:1.25rem;flex:none}
textarea{width:100%;min-height:6rem;font:inherit;padding:.6rem;border:1px solid #d0d7de;border-radius:8px}
button{display:block;width:100%;margin-top:1rem;padding:.85rem` +
  ` 1rem;font:inherit;font-weight:600;color:#fff;background:#2f6fdb;border:0;border-radius:8px;min-height:3rem;cursor:pointer}
button.secondary{color:#1b1f24;background:#e7ebf0}
a{color:#2f6fdb}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font:.9rem/1.45` +
  ` ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;padding:.6rem;border-radius:6px}
a,li,td,p,code{overflow-wrap:anywhere}
blockquote{margin:.5rem 0;padding-left:.75rem;border-left:4px solid #d0d7de}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;border-radius:4px;padding:0` +
  ` .2rem}
.bk-actions{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0}.bk-inline{display:inline;margin:0}
.bk-button,.bk-inline button{display:inline-block;width:auto;margin:0;min-height:2.25rem;padding:.35rem .9rem;border:1px` +
  ` solid #8c959f;border-radius:6px;background:#fff;color:#1b1f24;font-weight:600;text-decoration:none}
.bk-button.bk-primary{background:#007a5a;border-color:#007a5a;color:#fff}.bk-button.bk-danger{background:#fff;border-color:#e01e5a;color:#e01e5a}
`;

/** `style-src` entry allowing exactly the stylesheet above. */
export const PAGE_STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

/** The Content-Security-Policy of every page: nothing but the stylesheet, forms posting back here. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${PAGE_STYLE_HASH}`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "img-src 'none'",
  "script-src 'none'",
].join('; ');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for element content and quoted attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * A full page around `body` (already HTML). Pages reached by a token in their URL send no Referer
 * (the default). A page without one that posts to /signin passes `same-origin`: under no-referrer a
 * browser sends `Origin: null` with the form, which the sign-in check refuses as cross-site.
 */
export function page(title: string, body: string, referrer: 'no-referrer' | 'same-origin' = 'no-referrer'): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="${referrer}">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body><main><div class="card">
${body}
</div></main></body>
</html>
`;
}

/** A page that only says something: an expired link, a tampered one, a refusal, a thank-you. */
export function messagePage(title: string, lines: string[], kind: 'note' | 'error' | 'plain' = 'plain'): string {
  const paras = lines.map((l) => `<p>${esc(l)}</p>`).join('\n');
  return page(title, `<h1>${esc(title)}</h1>\n${kind === 'plain' ? paras : `<div class="${kind}">${paras}</div>`}`);
}
