import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { computeDigest } from '../../../src/domain/digest/compute-digest.ts';
import type { Digest } from '../../../src/domain/digest/model.ts';
import type { CommSpec, Plan } from '../../../src/domain/plan/model.ts';
import { sampleContext } from '../../../src/templates/context.ts';
import { createTemplateEngine, type TemplateEngine } from '../../../src/templates/engine.ts';
import type { RenderedMessage } from '../../../src/templates/rendered.ts';
import { NOW, d, snapshot } from './fixture.ts';

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

export const SECTIONS = ['overall', 'workstreams', 'decisions', 'escalations', 'milestones', 'surveys', 'comments', 'delivery'] as const;

/** A digest with far more of everything than a real week has. */
export function hugeDigest(): Digest {
  const s = snapshot();
  const long = 'This comment is long on purpose so that the Slack sections fill up quickly and must be split '.repeat(3);
  for (let i = 0; i < 60; i++) {
    s.workstreams.push({ key: `ws${i}`, name: `Workstream number ${i} with a long name`, ownerId: `o${i}`, ownerName: `Owner ${i}` });
    s.statusReports.push({ workstreamKey: `ws${i}`, personId: `o${i}`, value: 'red', label: 'Blocked', escalate: 'urgent', decision: true, comment: long, at: d(-2) });
    s.escalations.push({ id: `x${i}`, workstreamKey: `ws${i}`, ownerName: `Owner ${i}`, level: 1, state: 'open', urgent: true, openedAt: d(-3), ackDueAt: d(-2), summary: long });
    s.bounces.push({ personName: `Person ${i}`, email: `a.very.long.address.number.${i}@subsidiary.northwind.example`, at: d(-1) });
    s.surveyMessages.push({ commKey: `survey-${i % 12}`, question: `Question ${i % 12}?`, occurrence: 0, personId: `p${i}`, audience: `audience-${i % 5}`, sentAt: d(-2), answer: { value: 'bad', label: 'Bad', escalate: true, comment: long, firstAt: d(-2), at: d(-1) } });
    s.milestones.push({ key: `m${i}`, label: `Milestone ${i}`, at: d(3), moves: [{ fromAt: d(-1), toAt: d(3), movedAt: d(-1) }] });
  }
  return computeDigest(s, NOW);
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
    for (const h of ['OVERALL: red', 'WORKSTREAMS', 'DECISIONS NEEDED', 'OPEN ESCALATIONS', 'MILESTONES', 'SURVEYS', 'WHAT PEOPLE SAID', 'DELIVERY']) expect(text).toContain(h);
    expect(text).toContain('- [red] Exchange Online mailbox migration (Raj Patel): Archive mailboxes over 100 GB fail to migrate');
    expect(text).toContain('- [no report] Intune endpoint management (Sam Okafor): Sam Okafor has not reported this week (last: green)');
    expect(text).toContain('How is your new mailbox working? (end-users): ████████░░ 75% answered (3 of 4), −25 pts. All good 34% / Some issues 33% / I can\'t work 33%');
    expect(text).toContain('Sent 412, failed 3.');
    expect(text).toContain('- Bounced: Dee Brooks <dee.brooks@northwind.example> (550 mailbox unavailable)');
  });

  it('subject carries the overall status', () => {
    expect(render(computeDigest(snapshot(), NOW), 'email').subject).toBe('Northwind Microsoft 365 migration weekly status: red, 18 Jan');
  });
});

describe('digest in Slack', () => {
  const sectionsOf = (r: RenderedMessage): Array<{ type: string; text?: { text: string } }> => r.blocks as Array<{ type: string; text?: { text: string } }>;

  it('has every section', () => {
    const text = sectionsOf(render(computeDigest(snapshot(), NOW), 'slack')).map((b) => b.text?.text ?? '').join('\n');
    for (const h of ['*Overall: red.*', '*Workstreams*', '*Decisions needed*', '*Open escalations*', '*Milestones*', '*Surveys*', '*What people said*', '*Delivery*']) expect(text).toContain(h);
    expect(text).toContain('Mailbox cutover weekend: 15 Jan → *22 Jan*, 2 moves _(moved this week)_');
  });

  it('stays within Block Kit limits however large the week: 50 blocks, 3,000 characters a section', () => {
    const blocks = sectionsOf(render(hugeDigest(), 'slack'));
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) if (b.type === 'section') expect(b.text?.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(blocks).length).toBeGreaterThan(6000);
  });
});
