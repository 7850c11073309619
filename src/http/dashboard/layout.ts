/**
 * The dashboard's page frame: header with the signed-in token and sign-out, the project nav, and
 * one inline stylesheet whose hash is the only style the Content-Security-Policy allows (no
 * scripts, no outside assets). Readable from 320 px: the nav wraps, tables scroll inside a
 * focusable region, SVG charts scale to the width.
 */
import { createHash } from 'node:crypto';
import { html, raw, type Html } from './html.ts';
import type { DashboardSession } from './context.ts';
import { NAV, type NavName } from './nav.ts';
import { CSRF_FIELD } from './session.ts';

const CSS =
  `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f5f7}
a{color:#0b57c2}
header.top{background:#1b1f24;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem` +
  ` 1rem}
header.top a{color:#fff}
header.top .brand{font-weight:700;text-decoration:none;margin-right:auto}
header.top form{margin:0}
header.top button{margin:0;width:auto;min-height:2.25rem;padding:.3rem .8rem;background:#3d444d}
nav.project{background:#fff;border-bottom:1px solid #d0d7de;padding:.25rem .5rem}
nav.project ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.1rem .25rem}
nav.project a{display:inline-block;padding:.45rem .6rem;border-radius:6px;text-decoration:none;min-height:2.5rem}
nav.project a[aria-current=page]{background:#0b57c2;color:#fff}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;line-height:1.3;margin:.25rem 0 1rem}
h2{font-size:1.1rem;margin:0 0 .5rem}
.card{background:#fff;border-radius:10px;padding:1rem;box-shadow:0 1px 3px rgba(0,0,0,.12);margin:0 0 1rem;min-width:0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr));gap:1rem}
.grid>.card{margin:0}
p{margin:.5rem 0}
.muted{color:#57606a;font-size:.9rem}
.note{background:#eef6ff;border-left:4px solid #0b57c2;padding:.6rem .75rem;border-radius:4px}
.error{background:#fff1f0;border-left:4px solid #cf222e;padding:.6rem .75rem;border-radius:4px}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e1e4e8;vertical-align:top}
th{font-weight:600}
ul.plain{list-style:none;padding:0;margin:0}
ul.plain li{padding:.35rem 0;border-bottom:1px solid #eef0f2}
.big{font-size:1.8rem;font-weight:700;line-height:1.1}
.counts{display:flex;flex-wrap:wrap;gap:1rem}
.counts a{display:block;text-decoration:none;padding:.5rem .75rem;border:1px solid` +
  ` #d0d7de;border-radius:8px;min-width:9rem}
.rag{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:.85rem;font-weight:600;color:#fff}
.rag-green{background:#116329}.rag-amber{background:#8a4b00}.rag-red{background:#b3261e}.rag-none{background:#57606a}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input[type=text],input[type=password],input[type=search],select,textarea{width:100%;font:inherit;padding:.55rem;border:1px` +
  ` solid #6e7781;border-radius:8px;background:#fff;color:#1b1f24}
button{display:inline-block;margin-top:.75rem;padding:.6rem` +
  ` 1rem;font:inherit;font-weight:600;color:#fff;background:#0b57c2;border:0;border-radius:8px;min-height:2.75rem;cursor:pointer}
button.secondary{color:#1b1f24;background:#e7ebf0}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
form.filters>div{flex:1 1 10rem}
svg{max-width:100%;height:auto;display:block}
code{overflow-wrap:anywhere}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
label.inline{display:inline;font-weight:400}
fieldset{border:0;padding:0;margin:.5rem 0}legend{font-weight:600}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font:inherit;margin:.5rem 0}
blockquote{margin:.5rem 0;padding-left:.75rem;border-left:4px solid #d0d7de}
/* calendar, messages, preview (pages/calendar.ts, messages.ts, preview.ts, ../message-view.ts) */
/* A sandboxed frame cannot size itself to the e-mail (no scripts): tall by default, and the reader can drag it taller.` +
  ` */
.email-frame{width:100%;height:min(85vh,60rem);min-height:24rem;resize:vertical;overflow:auto;border:1px solid` +
  ` #d0d7de;border-radius:8px;background:#fff}
.email-text{white-space:pre-wrap;overflow-wrap:anywhere}
.slack-message{border-left:4px solid #4a154b;padding:.25rem .75rem;overflow-wrap:anywhere}
.slack-message .bk-header{font-size:1.1rem;margin:.25rem 0}
.bk-section{margin:.4rem 0}.bk-context{color:#57606a;margin:.3rem 0}
.bk-actions{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0}
.bk-button{display:inline-block;padding:.3rem .8rem;border:1px solid` +
  ` #8c959f;border-radius:6px;font-weight:600;color:#1b1f24;text-decoration:none}
.bk-button.bk-primary{background:#007a5a;border-color:#007a5a;color:#fff}.bk-button.bk-danger{background:#fff;border-color:#e01e5a;color:#e01e5a}
.slack-message code{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:0` +
  ' .2rem;font-size:.9em}.slack-message pre{background:#f6f8fa;border:1px solid' +
  ` #d0d7de;border-radius:4px;padding:.4rem;font-family:monospace}
.cal{list-style:none;margin:0;padding:0}
.cal-day{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.4rem;margin:0 0 .5rem;min-width:0}
.cal-day h3{font-size:.95rem;margin:0 0 .25rem}
.cal-day.today{border:2px solid #0b57c2}
.cal-day ul{list-style:none;margin:0;padding:0}
.cal-day li{margin:.15rem 0;font-size:.9rem;overflow-wrap:anywhere}
.cal-day li a{display:inline-block;min-height:1.5rem}
.cal-day li.occ{margin:.3rem 0}.occ summary{cursor:pointer}.occ-time{color:#57606a}.occ details p{margin:.2rem 0}
.cal-month .cal-day.empty{display:none}
.cal-month .cal-day.other h3{color:#57606a}
@media` +
  ' (min-width:52rem){.cal{display:grid;grid-template-columns:repeat(7,minmax(0,1fr));gap:.25rem}.cal-day{margin:0;min-height:6rem}.cal-month' +
  ` .cal-day.empty{display:block}}
.pager{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}
.pager a{display:inline-block;padding:.35rem .6rem;min-height:2.25rem}
.status{display:inline-block;padding:0` +
  ` .45rem;border-radius:999px;font-size:.85rem;font-weight:600;background:#e7ebf0;color:#1b1f24}
.status-failed{background:#b3261e;color:#fff}.status-sent{background:#116329;color:#fff}
ol.log{list-style:none;padding:0;margin:0}
ol.log>li{border-bottom:1px solid #e1e4e8;padding:.5rem 0;overflow-wrap:anywhere}
ol.log form{display:inline;margin:0}
ol.log ul{margin:.25rem 0;padding-left:1.25rem;font-size:.9rem}
/* plan history (pages/history-version.ts, ../plan-diff-view.ts): +/- and the words say it, colour only helps */
pre.diff{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem;background:#f6f8fa;border:1px` +
  ` solid #d0d7de;border-radius:6px;padding:.5rem}
pre.diff>*{display:block;min-height:1.2em;text-decoration:none}
pre.diff ins{background:#dafbe1}pre.diff del{background:#ffebe9}pre.diff .hunk{color:#57606a}
/* approvals (pages/approvals.ts): each variant as the approvers see it */
.variant{border:1px solid #d0d7de;border-radius:8px;padding:.4rem .75rem;margin:.5rem 0;background:#f6f8fa}.variant summary{cursor:pointer}
`;

/** `style-src` entry allowing exactly the stylesheet above. */
export const DASHBOARD_STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

/** Nothing but the stylesheet; forms post back here; no frames of us elsewhere. */
export const DASHBOARD_CSP =
  `default-src 'none'; style-src ${DASHBOARD_STYLE_HASH}; form-action 'self'; base-uri` +
  " 'none'; frame-ancestors 'none'; img-src 'self' data:; script-src 'none'";

export interface LayoutInput {
  title: string;
  body: Html;
  /** The signed-in session (null on the sign-in page). */
  session: DashboardSession | null;
  /** Shows the project nav for this project. */
  project?: { key: string; name: string } | undefined;
  /** The nav entry to mark as the current page. */
  active?: NavName | undefined;
}

function projectNav(project: { key: string; name: string }, active: NavName | undefined): Html {
  const items = NAV.map((n) => {
    const href = `/projects/${encodeURIComponent(project.key)}${n.path}`;
    return html`<li><a href="${href}"${n.name === active ? raw(' aria-current="page"') : ''}>${n.label}</a></li>`;
  });
  return html`<nav class="project" aria-label="${project.name}"><ul>${items}</ul></nav>`;
}

export function layout(input: LayoutInput): string {
  const s = input.session;
  const who = s
    ? html`<span>${s.token.name} (${s.token.role})</span>
<form method="post" action="/signout"><input type="hidden" name="${CSRF_FIELD}" value="${s.csrf}"><button type="submit">Sign out</button></form>`
    : '';
  const title = input.project ? `${input.title} · ${input.project.name}` : input.title;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>${title} · Herald</title>
<style>${raw(CSS)}</style>
</head>
<body>
<header class="top"><a class="brand" href="/">Herald</a>${who}</header>
${input.project ? projectNav(input.project, input.active) : ''}
<main id="main">
${input.body}
</main>
</body>
</html>
`.value;
}
