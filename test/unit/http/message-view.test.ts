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
    expect(out).toContain(
      '<iframe class="email-frame" sandbox title="Email: Hi &quot;you&quot;" srcdoc="&lt;p onclick=&quot;x()&quot;&gt;a &amp; b&lt;/p&gt;"></iframe>',
    );
  });
});

describe('drawBlocks', () => {
  const blocks = [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: '<Yes>' }, action_id: 'a', value: 'v' }] }];

  it('draws buttons inert without a button target', () => {
    expect(drawBlocks(blocks)).toBe('<div class="bk-actions"><span class="bk-button">&lt;Yes&gt;</span></div>');
  });

  it('draws each button as a form with a target', () => {
    expect(drawBlocks(blocks, () => ({ action: '/click', hidden: { v: '1' } }))).toContain(
      '<form method="post" action="/click" class="bk-inline"><input type="hidden" name="v" value="1"><button type="submit">&lt;Yes&gt;</button></form>',
    );
  });
});

describe('mrkdwn', () => {
  it("draws the templates' emoji shortcodes and leaves unknown ones as written", () => {
    expect(mrkdwn(':large_orange_circle: *Overall* :nope:')).toBe('🟠 <strong>Overall</strong> :nope:');
  });
});

describe('mrkdwn as Slack draws it', () => {
  it("decodes Slack's escapes before escaping once (no &amp;amp;)", () => {
    expect(mrkdwn('Identity &amp; MFA &lt;b&gt;')).toBe('Identity &amp; MFA &lt;b&gt;');
    expect(drawBlocks([{ type: 'header', text: { type: 'plain_text', text: 'Identity &amp; MFA' } }])).toBe(
      '<p class="bk-header"><strong>Identity &amp; MFA</strong></p>',
    );
  });

  it('draws code, code blocks, quotes, strike and links instead of showing their marks', () => {
    expect(mrkdwn('run `herald apply` now')).toBe('run <code>herald apply</code> now');
    expect(mrkdwn('```\nline 1\nline 2\n```')).toBe('<pre>line 1\nline 2</pre>');
    expect(mrkdwn('> “All good” _Works, ops_\nafter')).toBe('<blockquote>“All good” <em>Works, ops</em></blockquote>after');
    expect(mrkdwn('~old~ <https://x.example/a?b=1&amp;c=2|the plan> <@U123|dana>')).toBe(
      '<del>old</del> <a href="https://x.example/a?b=1&amp;c=2">the plan</a> <strong>@dana</strong>',
    );
  });

  it('leaves marks inside words and lone symbols alone, and never lets markup through', () => {
    expect(mrkdwn('snake_case_name 2*3*4 a > b')).toBe('snake_case_name 2*3*4 a &gt; b');
    expect(mrkdwn('<script>alert(1)</script> &lt;img onerror=x&gt;')).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &lt;img onerror=x&gt;');
  });

  it("draws Slack's emoji names and GitHub's (:rotating_light:), unknown ones as written", () => {
    expect(mrkdwn(':rotating_light: :large_green_circle: :nope:')).toBe('🚨 🟢 :nope:');
  });

  it('gives buttons their Block Kit style', () => {
    const b = [
      {
        type: 'actions',
        elements: [
          { type: 'button', style: 'primary', text: { type: 'plain_text', text: 'Working well' }, action_id: 'a', value: 'v' },
          { type: 'button', style: 'danger', text: { type: 'plain_text', text: 'Blocked' }, action_id: 'b', value: 'w' },
        ],
      },
    ];
    expect(drawBlocks(b)).toBe(
      '<div class="bk-actions"><span class="bk-button bk-primary">Working well</span> <span class="bk-button bk-danger">Blocked</span></div>',
    );
  });
});
