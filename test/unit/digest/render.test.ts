import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { computeDigest } from '../../../src/domain/digest/compute-digest.ts';
import type { Digest } from '../../../src/domain/digest/model.ts';
import type { CommSpec, Plan } from '../../../src/domain/plan/model.ts';
import { sampleContext } from '../../../src/templates/context.ts';
import { createTemplateEngine, type TemplateEngine } from '../../../src/templates/engine.ts';
import type { RenderedMessage } from '../../../src/templates/rendered.ts';
import { NOW, SECTIONS, hugeDigest, snapshot } from './fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let plan: Plan;
let engine: TemplateEngine;
let comm: CommSpec;

beforeAll(async () => {
  ({ plan } = await loadPlanFile('examples/m365-migration.plan.yaml', { cwd: ROOT }));
  engine = createTemplateEngine({ dir: path.join(ROOT, 'templates'), publicUrl: 'https://herald.example.com' });
  comm = plan.comms.find((c) => c.kind === 'digest') as CommSpec;
});

function render(digest: Digest, channel: 'email' | 'slack', personId = 'maria'): RenderedMessage {
  const context = sampleContext(plan, comm, { audience: 'executives', personId, now: NOW.toISOString(), digest });
  return engine.render({ template: comm.template, channel, audience: 'executives', context, messageId: 'm1' });
}

describe('digest email HTML', () => {
  it('has every section, in bad-news-first order', () => {
    const html = render(computeDigest(snapshot(), NOW), 'email').html ?? '';
    const at = SECTIONS.map((s) => html.indexOf(`data-section="${s}"`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('is Outlook-safe: no SVG, scripts, style blocks or images; CSS inlined; bars are table cells', () => {
    const html = render(hugeDigest(), 'email').html ?? '';
    expect(html).not.toMatch(/<svg|<script|<img|<style|<link/i);
    expect(html).not.toMatch(/class="[^"]*"(?![^>]*style=)/);
    expect(html).toMatch(/<td width="75%" height="8" bgcolor="#0b5cad"[^>]*style="[^"]*height: ?8px/);
    expect(html).toMatch(/<td width="25%" height="8" bgcolor="#eaeef2"/);
  });

  it('shows baseline, current date and move count of moved milestones, in the project zone', () => {
    const text = render(computeDigest(snapshot(), NOW), 'email').text;
    expect(text).toContain('Mailbox cutover weekend: 15 Jan -> 22 Jan, 2 moves (moved this week)');
  });

  it('the text part carries every section', () => {
    const text = render(computeDigest(snapshot(), NOW), 'email').text;
    for (const h of ['OVERALL: red', 'WORKSTREAMS', 'DECISIONS NEEDED', 'OPEN ESCALATIONS', 'MILESTONES', 'SURVEYS', 'WHAT PEOPLE SAID', 'DELIVERY'])
      expect(text).toContain(h);
    expect(text).toContain('- [red] Exchange Online mailbox migration (Raj Patel): Archive mailboxes over 100 GB fail to migrate');
    expect(text).toContain('- [no report] Intune endpoint management (Sam Okafor): Sam Okafor has not reported this week (last: green)');
    expect(text).toContain(
      "How is your new mailbox working? (end-users): ████████░░ 75% answered (3 of 4), −25 pts. All good 34% / Some issues 33% / I can't work 33%",
    );
    expect(text).toContain('Sent 412, failed 3.');
    expect(text).toContain('- Bounced: Dee Brooks <dee.brooks@northwind.example> (550 mailbox unavailable)');
  });

  it('subject carries the overall status', () => {
    expect(render(computeDigest(snapshot(), NOW), 'email').subject).toBe('Northwind Microsoft 365 migration weekly status: red, 18 Jan');
  });
});

describe('digest comments', () => {
  it('says "No comments this week" alone: the rule for choosing comments shows only when there are some', () => {
    const digest = computeDigest(snapshot(), NOW);
    const quiet: Digest = { ...digest, comments: [] };
    for (const channel of ['email', 'slack'] as const) {
      const r = render(quiet, channel);
      const all = [r.text, r.html ?? '', JSON.stringify(r.blocks ?? [])].join('\n');
      expect(all).toContain('No comments this week.');
      expect(all).not.toContain(digest.rules.comments);
    }
    expect(digest.comments.length).toBeGreaterThan(0);
    expect(render(digest, 'email').text).toContain(digest.rules.comments);
  });
});

describe('digest escalation notes', () => {
  it('email, text and Slack quote the owner\'s acknowledgement note beside "acknowledged"', () => {
    const s = snapshot();
    s.escalations.find((e) => e.id === 'e2')!.acknowledgementNote = 'Vendor ticket raised';
    const digest = computeDigest(s, NOW);
    const email = render(digest, 'email');
    expect(email.html).toContain('acknowledged: “Vendor ticket raised”');
    expect(email.text).toContain('acknowledged: “Vendor ticket raised”');
    expect(JSON.stringify(render(digest, 'slack').blocks)).toContain('acknowledged: “Vendor ticket raised”');
  });
});

describe('digest in Slack', () => {
  const sectionsOf = (r: RenderedMessage): Array<{ type: string; text?: { text: string } }> => r.blocks as Array<{ type: string; text?: { text: string } }>;

  it('has every section', () => {
    const text = sectionsOf(render(computeDigest(snapshot(), NOW), 'slack'))
      .map((b) => b.text?.text ?? '')
      .join('\n');
    for (const h of [
      '*Overall: red.*',
      '*Workstreams*',
      '*Decisions needed*',
      '*Open escalations*',
      '*Milestones*',
      '*Surveys*',
      '*What people said*',
      '*Delivery*',
    ])
      expect(text).toContain(h);
    expect(text).toContain('Mailbox cutover weekend: 15 Jan → *22 Jan*, 2 moves _(moved this week)_');
  });

  it('stays within Block Kit limits however large the week: 50 blocks, 3,000 characters a section', () => {
    const blocks = sectionsOf(render(hugeDigest(), 'slack'));
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) if (b.type === 'section') expect(b.text?.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(blocks).length).toBeGreaterThan(6000);
  });
});
