/**
 * A rendered message as its reader sees it: the email in a sandboxed iframe (srcdoc, so no extra
 * route; `sandbox` with no allowances runs no script and gives it an opaque origin) and the Slack
 * version drawn the way Slack draws Block Kit. Used by the preview and calendar pages.
 */
import { createHash } from 'node:crypto';
import type { Channel } from '../../domain/plan/model.ts';
import type { RenderedMessage } from '../../templates/rendered.ts';
import { drawBlocks, mrkdwn } from '../block-kit.ts';
import { html, raw, type Html } from './html.ts';
import { DASHBOARD_CSP, DASHBOARD_STYLE_HASH } from './layout.ts';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * The page's CSP with the email's styles allowed: a srcdoc frame inherits the page's policy, and
 * email CSS sits in `style=""` attributes (inlined for mail clients) and `<style>` blocks. Those
 * blocks are allowed by hash; attributes cannot be, hence `style-src-attr 'unsafe-inline'` — on
 * these pages only, and harmless without script. Everything else stays as strict as DASHBOARD_CSP.
 */
export function cspForEmails(emails: readonly (RenderedMessage | undefined)[]): string {
  const blocks = emails.flatMap((e) => [...(e?.html ?? '').matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => sha(m[1] ?? '')));
  if (!emails.some((e) => e?.html)) return DASHBOARD_CSP;
  return DASHBOARD_CSP.replace(
    `style-src ${DASHBOARD_STYLE_HASH}`,
    `style-src ${[DASHBOARD_STYLE_HASH, ...new Set(blocks)].join(' ')}; style-src-attr 'unsafe-inline'`,
  );
}

function emailView(r: RenderedMessage, to: string): Html {
  return html`<section class="card" aria-label="Email">
<h2>Email</h2>
<p class="muted">To ${to} · Subject: <strong>${r.subject}</strong></p>
${r.html ? html`<iframe class="email-frame" sandbox title="Email: ${r.subject}" srcdoc="${r.html}"></iframe>` : html`<pre class="email-text">${r.text}</pre>`}
</section>`;
}

function slackView(r: RenderedMessage, to: string): Html {
  // drawBlocks and mrkdwn escape every text they are given: their markup is Herald's own.
  const body = r.blocks?.length ? raw(drawBlocks(r.blocks)) : raw(mrkdwn(r.text));
  return html`<section class="card" aria-label="Slack">
<h2>Slack</h2>
<p class="muted">To ${to} · Notification: ${r.text.split('\n')[0]}</p>
<article class="slack-message"><p class="slack-from"><strong>Herald</strong> <span class="muted">APP</span></p>${body}</article>
</section>`;
}

/** The email and Slack versions side by side (stacked when narrow). */
export function messageViews(rendered: Partial<Record<Channel, RenderedMessage>>, to: string): Html {
  return html`<div class="grid">${rendered.email ? emailView(rendered.email, to) : ''}${rendered.slack ? slackView(rendered.slack, to) : ''}</div>`;
}
