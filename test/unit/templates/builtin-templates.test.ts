import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import type { Channel, CommSpec, Plan } from '../../../src/domain/plan/model.ts';
import { sampleContext } from '../../../src/templates/context.ts';
import { createTemplateEngine, type TemplateEngine } from '../../../src/templates/engine.ts';
import type { RenderedMessage } from '../../../src/templates/rendered.ts';
import { computeDigest } from '../../../src/domain/digest/compute-digest.ts';
import { NOW, snapshot } from '../digest/fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const PUBLIC = 'https://herald.example.com';
let plan: Plan;
let engine: TemplateEngine;

beforeAll(async () => {
  ({ plan } = await loadPlanFile('examples/m365-migration.plan.yaml', { cwd: ROOT }));
  engine = createTemplateEngine({ dir: path.join(ROOT, 'templates'), publicUrl: PUBLIC });
});

function comm(key: string): CommSpec {
  const c = plan.comms.find((x) => x.key === key);
  if (!c) throw new Error(`no comm ${key}`);
  return c;
}

function channelsOf(c: CommSpec): Channel[] {
  return c.channels.includes('preferred') ? ['slack', 'email'] : (c.channels as Channel[]);
}

function render(c: CommSpec, audience: string, channel: Channel, opts: { item?: string; occurrence?: number } = {}): RenderedMessage {
  const item = opts.item === undefined ? undefined : engine.item(c.template, opts.item);
  const context = sampleContext(plan, c, { audience, ...(item ? { item } : {}), ...(opts.occurrence === undefined ? {} : { occurrence: opts.occurrence }) });
  return engine.render({ template: c.template, channel, audience, context, messageId: 'msg-1' });
}

/** Everything a reader could see, to look for leaks such as "undefined". */
function visible(r: RenderedMessage): string {
  return [r.subject, r.text, r.html ?? '', JSON.stringify(r.blocks ?? [])].join('\n');
}

function sectionText(r: RenderedMessage): string {
  return (r.blocks ?? []).map((b) => JSON.stringify(b)).join('\n');
}

describe('built-in templates for the example plan', () => {
  it('every comm template passes check()', () => {
    for (const c of plan.comms) expect(engine.check(c, plan), c.key).toEqual([]);
  });

  it('renders every comm for every audience and channel without leaks', () => {
    for (const c of plan.comms) {
      for (const audience of c.audiences) {
        for (const channel of channelsOf(c)) {
          const r = render(c, audience, channel, c.series ? { item: c.series[0] as string } : {});
          const label = `${c.key}/${audience}/${channel}`;
          expect(r.subject, label).not.toBe('');
          expect(r.subject, label).not.toMatch(/\n/);
          expect(visible(r), label).not.toMatch(/undefined|\[object Object\]|NaN|Invalid DateTime|\{\{/);
          if (channel === 'slack') {
            expect(r.blocks?.[0], label).toMatchObject({ type: 'header' });
            expect(
              r.blocks?.some((b) => (b as { type: string }).type === 'section'),
              label,
            ).toBe(true);
            expect(r.html).toBeUndefined();
          } else {
            expect(r.html, label).toMatch(/^<!DOCTYPE html>/);
            expect(r.html, label).not.toMatch(/<style/);
            expect(r.html, label).toMatch(/style="/);
            expect(r.text.length, label).toBeGreaterThan(80);
          }
        }
      }
    }
  });

  it('ops impact notice: ops get the window, impact and owner; the service desk gets its own variant', () => {
    const c = comm('cutover-ops-impact');
    const ops = render(c, 'ops', 'slack');
    expect(ops.text).toContain('Friday 18:00 CST to Sunday 18:00 CST (Chicago)');
    expect(ops.text).toContain('Outlook on desktop and phone will not sync during the window.');
    expect(ops.text).toContain('Raj Patel');
    expect(ops.text).toContain('Maria Lopez');
    expect(ops.text).toContain('What to do');
    const desk = render(c, 'service-desk', 'email');
    expect(desk.html).toContain('Service desk heads-up');
    expect(desk.text).toContain('Tag tickets');
    expect(desk.subject).toBe('Exchange Online mailbox migration: Mailbox cutover weekend Fri 15 Jan — service impact');
  });

  it('milestone moved has a variant per audience', () => {
    const c = comm('cutover-moved');
    expect(render(c, 'ops', 'slack').text).toContain('Re-plan');
    expect(render(c, 'service-desk', 'email').text).toContain('on-call rota');
    const user = render(c, 'end-users', 'email');
    expect(user.subject).toMatch(/^New date: Mailbox cutover weekend is now Friday 15 January/);
    expect(user.text).toContain('What to do now');
  });

  it('times are in the recipient zone: Raj (Asia/Kolkata) sees the cutover on Saturday morning', () => {
    const c = comm('cutover-ops-impact');
    const context = sampleContext(plan, c, { audience: 'ops', personId: 'raj' });
    const r = engine.render({ template: c.template, channel: 'email', audience: 'ops', context, messageId: 'm' });
    expect(r.text).toMatch(/Saturday, January 16, 2027 at 5:30\s+AM\s+GMT\+5:30/);
  });

  it('exec templates state the decision; the digest renders before the digest model exists and with it', () => {
    expect(render(comm('exec-go-live'), 'executives', 'email').text).toContain('Decision needed');
    const c = comm('exec-weekly');
    expect(render(c, 'executives', 'email').text).toContain('still coming in');
    const context = sampleContext(plan, c, { audience: 'executives', now: NOW.toISOString(), digest: computeDigest(snapshot(), NOW) });
    const r = engine.render({ template: c.template, channel: 'slack', audience: 'executives', context, messageId: 'm' });
    expect(r.text).toContain(':large_orange_circle: *Identity &amp; MFA (Entra ID)* (Dana Ruiz): MFA at 71%');
    expect(r.text).toContain('Archive mailboxes over 100 GB fail to migrate');
  });

  it('survey comms carry one button per option in Slack and one signed link per option in email', () => {
    const c = comm('hypercare-checkin');
    const slack = render(c, 'end-users', 'slack');
    const actions = slack.blocks?.find((b) => (b as { type: string }).type === 'actions') as { elements: { action_id: string; value: string }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual(['herald_survey_good', 'herald_survey_minor', 'herald_survey_blocked']);
    expect(JSON.parse(actions.elements[2]?.value ?? '')).toEqual({ m: 'msg-1', o: 'blocked' });
    const email = render(c, 'end-users', 'email');
    for (const o of ['good', 'minor', 'blocked']) expect(email.html).toContain(`href="${PUBLIC}/r/preview-${o}"`);
    expect(email.text).toContain(`${PUBLIC}/r/preview-blocked`);
    expect(email.html).not.toContain('/u/preview');
  });

  it('each of the ten adoption tips renders its own content, with an unsubscribe link', () => {
    const c = comm('adoption-tips');
    expect(c.series).toHaveLength(10);
    const titles = new Set<string>();
    (c.series ?? []).forEach((key, i) => {
      const item = engine.item(c.template, key);
      expect(item?.title, key).toBeTruthy();
      expect((item!.steps as unknown[]).length, key).toBeGreaterThanOrEqual(2);
      titles.add(item?.title ?? '');
      const r = render(c, 'end-users', 'slack', { item: key, occurrence: i });
      expect(r.subject).toBe(`Microsoft 365 tip ${i + 1}/10: ${item?.title}`);
      expect(sectionText(r)).toContain(item?.body.slice(0, 40) ?? '');
      expect(sectionText(r)).toContain(`${PUBLIC}/u/preview|Stop these`);
    });
    expect(titles.size).toBe(10);
    const email = render(c, 'end-users', 'email', { item: 'phish-report-button' });
    expect(email.html).toContain('Report phishing');
    expect(email.html).toContain(`href="${PUBLIC}/u/preview"`);
  });

  it('MFA reminders say "Reminder" after the first notice', () => {
    const c = comm('mfa-enrollment');
    expect(render(c, 'end-users', 'email').subject).toMatch(/^Set up multi-factor sign-in by Friday 18 December/);
    expect(render(c, 'end-users', 'slack', { occurrence: 2 }).subject).toMatch(/^Reminder: /);
  });
});
