import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { drawBlocks, mrkdwn } from '../../../src/http/block-kit.ts';
import { DASHBOARD_CSP, DASHBOARD_STYLE_HASH } from '../../../src/http/dashboard/layout.ts';
import { cspForEmails, messageViews } from '../../../src/http/dashboard/message-view.ts';

const email = (html: string) => ({ channel: 'email' as const, subject: 'Hi "you"', text: 'Hi', html });

describe('cspForEmails', () => {
  it('is the dashboard CSP when no email is shown', () => {
    expect(cspForEmails([])).toBe(DASHBOARD_CSP);
    expect(cspForEmails([undefined])).toBe(DASHBOARD_CSP);
  });

  it("allows the email's <style> blocks by hash and style attributes, and nothing else more", () => {
    const csp = cspForEmails([email('<html><head><style>p{color:red}</style></head><body><p style="color:blue">x</p></body></html>')]);
    const hash = `'sha256-${createHash('sha256').update('p{color:red}').digest('base64')}'`;
    expect(csp).toContain(`style-src ${DASHBOARD_STYLE_HASH} ${hash}; style-src-attr 'unsafe-inline'`);
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("style-src 'unsafe-inline'");
  });
});

describe('messageViews', () => {
  it('puts the email, escaped, in a sandboxed srcdoc frame', () => {
    const out = messageViews({ email: email('<p onclick="x()">a & b</p>') }, 'Kai').value;
    expect(out).toContain('<iframe class="email-frame" sandbox title="Email: Hi &quot;you&quot;" srcdoc="&lt;p onclick=&quot;x()&quot;&gt;a &amp; b&lt;/p&gt;"></iframe>');
  });
});

describe('drawBlocks', () => {
  const blocks = [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: '<Yes>' }, action_id: 'a', value: 'v' }] }];

  it('draws buttons inert without a button target', () => {
    expect(drawBlocks(blocks)).toBe('<div class="bk-actions"><span class="bk-button">&lt;Yes&gt;</span></div>');
  });

  it('draws each button as a form with a target', () => {
    expect(drawBlocks(blocks, () => ({ action: '/click', hidden: { v: '1' } }))).toContain('<form method="post" action="/click" class="bk-inline"><input type="hidden" name="v" value="1"><button type="submit">&lt;Yes&gt;</button></form>');
  });
});

describe('mrkdwn', () => {
  it("draws the templates' emoji shortcodes and leaves unknown ones as written", () => {
    expect(mrkdwn(':large_orange_circle: *Overall* :nope:')).toBe('🟠 <strong>Overall</strong> :nope:');
  });
});
