import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/domain/errors.ts';
import type { CommSpec, Plan } from '../../../src/domain/plan/model.ts';
import { buildContext } from '../../../src/templates/context.ts';
import type { MessageContext } from '../../../src/templates/context-schema.ts';
import { createTemplateEngine, type TemplateEngine } from '../../../src/templates/engine.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const EVIL = '<!channel> & <script>alert(1)</script> <@U123>';
let dir: string;
let engine: TemplateEngine;

const plan: Plan = {
  project: {
    key: 'p',
    name: 'Pilot',
    timezone: 'America/Chicago',
    businessDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    holidays: { extra: [] },
    catchUp: 'skip',
    sender: {},
  },
  milestones: [{ key: 'cutover', at: '2027-01-15T18:00', label: 'Cutover' }],
  workstreams: [{ key: 'mail', name: 'Mail', owner: 'raj' }],
  audiences: [{ key: 'ops' }, { key: 'service-desk' }],
  people: [{ id: 'raj', name: 'Raj Patel', email: 'raj@example.com', timezone: 'Europe/London', audiences: ['ops'], locale: 'en-GB' }],
  comms: [],
};

function makeComm(over: Partial<CommSpec> = {}): CommSpec {
  return {
    key: 'notice',
    kind: 'announcement',
    audiences: ['ops'],
    channels: ['slack', 'email'],
    template: 'notice',
    data: { window: EVIL },
    optional: false,
    schedule: { type: 'anchored', at: 'cutover', offset: { sign: -1, amount: 1, unit: 'days', raw: '-1 days' } },
    ...over,
  };
}

function ctx(comm: CommSpec = makeComm(), audience = 'ops'): MessageContext {
  const person = plan.people[0];
  if (!person) throw new Error('no person');
  return buildContext({ plan, comm, person, audience, now: '2027-01-12T12:00:00Z', occurrence: { index: 0, dueAt: '2027-01-12T12:00:00Z' } });
}

function write(rel: string, text: string): void {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'herald-tpl-'));
  write(
    '_layout/email.hbs',
    '<html><head><style>p { color: red; }</style></head><body>{{body}}{{#if survey}}{{#each survey.options}}<a href="{{url}}">{{label}}</a>{{/each}}{{/if}}</body></html>',
  );
  write('notice/subject.hbs', 'Window: {{data.window}}');
  write('notice/default.slack.hbs', 'default slack {{data.window}} | {{{data.window}}} | {{list (lookup data "list")}}');
  write('notice/default.email.hbs', '<p>default email {{data.window}} | {{{data.window}}}</p>');
  write('notice/ops.email.hbs', '<p>ops email</p>');
  write('notice/ops.text.hbs', 'ops text part');
  write('notice/service-desk.subject.hbs', 'desk subject');
  write('broken/subject.hbs', 'Hi {{persn.name}} {{data.missing}} {{shout data.window}} {{workstream.escalation.name}}');
  write(
    'broken/default.slack.hbs',
    '{{#if data.extra}}{{data.extra}}{{/if}}{{#with workstream}}{{owner.name}}{{/with}} {{item.title}} {{survey.question}} {{milestones.golive.at}}',
  );
  write('broken/default.email.hbs', '<p>{{#unless milestone}}none{{else}}{{milestone.label}}{{/unless}}</p>');
  write('series/subject.hbs', '{{item.title}}');
  write('series/default.slack.hbs', '{{item.title}} {{item.extra}}');
  write('series/items/one.yaml', 'title: One\nextra: yes\n');
  write('series/items/two.md', '---\ntitle: Two\n---\nBody of two.\n\nSecond paragraph.\n');
  engine = createTemplateEngine({ dir, publicUrl: 'https://h.example/' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('escaping', () => {
  it('Slack: a value cannot inject a mention, a link or markup, even through triple-stash', () => {
    const r = engine.render({ template: 'notice', channel: 'slack', audience: 'service-desk', context: ctx(), messageId: 'm' });
    const body = JSON.stringify(r.blocks);
    expect(body).not.toMatch(/<!channel>|<@U123>|<script>/);
    expect(r.text).not.toMatch(/<!channel>|<@U123>|<script>/);
    expect(r.text).toContain('default slack &lt;!channel&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt; &lt;@U123&gt; | &lt;!channel&gt; &amp;');
    // the header is plain_text, which Slack shows literally: raw is right there
    expect(r.blocks?.[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'desk subject', emoji: true } });
  });

  it('email: HTML-escaped in the body even through triple-stash; the subject stays plain text', () => {
    const r = engine.render({ template: 'notice', channel: 'email', audience: 'service-desk', context: ctx(), messageId: 'm' });
    expect(r.html).not.toMatch(/<script>|<!channel>|<@U123>/);
    expect(r.html).toContain('default email &lt;!channel&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt; &lt;@U123&gt; | &lt;!channel&gt;');
    expect(r.html).toContain('<p style="color: red;">');
    expect(r.text).toContain(`default email ${EVIL}`);
    const ops = engine.render({ template: 'notice', channel: 'email', audience: 'ops', context: ctx(), messageId: 'm' });
    expect(ops.subject).toBe(`Window: ${EVIL}`);
  });

  it('list items are escaped too', () => {
    const context = ctx(makeComm({ data: { window: 'w', list: ['a', '<b>', 'c&d'] } }));
    const r = engine.render({ template: 'notice', channel: 'slack', audience: 'ops', context, messageId: 'm' });
    expect(r.text).toContain('a, &lt;b&gt; and c&amp;d');
  });
});

describe('Slack blocks', () => {
  it('splits long text into sections within Slack limits and never cuts an entity', () => {
    const long = Array.from({ length: 900 }, (_, i) => `word${i} &`).join(' ');
    const r = engine.render({ template: 'notice', channel: 'slack', audience: 'ops', context: ctx(makeComm({ data: { window: long } })), messageId: 'm' });
    const sections = (r.blocks ?? []).filter((b) => (b as { type: string }).type === 'section') as { text: { text: string } }[];
    expect(sections.length).toBeGreaterThan(2);
    for (const s of sections) {
      expect(s.text.text.length).toBeLessThanOrEqual(3000);
      expect(s.text.text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    expect((r.blocks![0] as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(150);
  });
});

describe('variant fallback', () => {
  it('picks <audience>.<channel>.hbs, then default.<channel>.hbs; <audience>.subject.hbs, then subject.hbs', () => {
    const render = (audience: string, channel: 'slack' | 'email') => engine.render({ template: 'notice', channel, audience, context: ctx(), messageId: 'm' });
    expect(render('ops', 'email').html).toContain('ops email');
    expect(render('ops', 'email').text).toBe('ops text part');
    expect(render('ops', 'slack').text).toContain('default slack');
    expect(render('service-desk', 'email').html).toContain('default email');
    expect(render('service-desk', 'email').subject).toBe('desk subject');
    expect(render('ops', 'email').subject).toMatch(/^Window: /);
  });

  it('a missing template throws TEMPLATE_MISSING with a suggestion', () => {
    expect(() => engine.render({ template: 'notise', channel: 'slack', audience: 'ops', context: ctx(), messageId: 'm' })).toThrow(/did you mean "notice"/);
    try {
      engine.render({ template: 'series', channel: 'email', audience: 'ops', context: ctx(), messageId: 'm' });
    } catch (e) {
      expect(e).toBeInstanceOf(HeraldError);
      expect((e as HeraldError).code).toBe('TEMPLATE_MISSING');
    }
  });

  it('lists templates without the layout folder', () => {
    expect(engine.list()).toEqual(['broken', 'notice', 'series']);
    expect(engine.has('notice')).toBe(true);
    expect(engine.has('_layout')).toBe(false);
  });
});

describe('check()', () => {
  it('passes a sound comm', () => {
    expect(engine.check(makeComm(), plan)).toEqual([]);
  });

  it('names a missing template, the closest one and the known ones', () => {
    const [msg] = engine.check(makeComm({ template: 'notcie' }), plan);
    expect(msg).toMatch(/template "notcie" not found/);
    expect(msg).toMatch(/did you mean "notice"/);
    expect(msg).toMatch(/broken, notice, series/);
  });

  it('reports variables the context will lack, with file and line, and unknown helpers', () => {
    const problems = engine.check(makeComm({ template: 'broken' }), plan);
    const text = problems.join('\n');
    expect(text).toMatch(/broken\/subject\.hbs:1: unknown variable "persn\.name" \(did you mean "person"\?\)/);
    expect(text).toMatch(/"data\.missing": comm "notice" has no data\.missing/);
    expect(text).toMatch(/unknown helper "shout"/);
    expect(text).toMatch(/"workstream\.escalation\.name": comm "notice" has no workstream/);
    expect(text).toMatch(/"item\.title": comm "notice" has no series/);
    expect(text).toMatch(/"survey\.question": comm "notice" has no survey/);
    expect(text).toMatch(/the plan has no milestone "golive"/);
    // guarded uses are fine: {{#if data.extra}}, {{#with workstream}}, {{#unless milestone}}{{else}}
    expect(text).not.toMatch(/data\.extra|owner\.name|milestone\.label/);
  });

  it('accepts workstream fields when the comm has one, and flags a missing escalation contact', () => {
    const text = engine.check(makeComm({ template: 'broken', workstream: 'mail' }), plan).join('\n');
    expect(text).toMatch(/workstream "mail" has no escalation contact/);
    expect(text).not.toMatch(/has no workstream/);
  });

  it('reports a series item without a content file, and item fields some items lack', () => {
    const text = engine.check(makeComm({ template: 'series', channels: ['slack'], series: ['one', 'two', 'three'] }), plan).join('\n');
    expect(text).toMatch(/series item "three" has no content: add .*series\/items\/three\.yaml/);
    expect(text).toMatch(/series items without "extra": two/);
  });
});

describe('series items and helpers', () => {
  it('loads YAML and Markdown-with-front-matter items', () => {
    expect(engine.item('series', 'one')).toMatchObject({ key: 'one', title: 'One', extra: 'yes', body: '' });
    expect(engine.item('series', 'two')).toMatchObject({ key: 'two', title: 'Two', body: 'Body of two.\n\nSecond paragraph.' });
    expect(engine.item('series', 'nope')).toBeUndefined();
  });

  it('formats dates in the person zone and locale, relative to now, with lists and plurals', () => {
    write('helpers/subject.hbs', 's');
    write(
      'helpers/default.slack.hbs',
      '{{formatDate milestone.at "DDDD"}}|{{formatTime milestone.at}}|{{formatDate milestone.at "HH:mm" zone="project"}}|{{relative milestone.at}}|{{list (lookup data "xs")}}|{{plural 1 "tip" "tips"}}|{{plural 3 "tip" "tips"}}|{{#ifEquals audience "ops"}}OPS{{/ifEquals}}',
    );
    const fresh = createTemplateEngine({ dir });
    const r = fresh.render({
      template: 'helpers',
      channel: 'slack',
      audience: 'ops',
      context: ctx(makeComm({ data: { xs: ['a', 'b', 'c'] } })),
      messageId: 'm',
    });
    // Raj is in London (en-GB): 18:00 Chicago is midnight in London, on the 16th
    expect(r.text.split('\n\n')[1]).toMatch(/^Saturday, 16 January 2027\|00:00 GMT\|18:00\|in 4 days\|a, b and c\|tip\|tips\|OPS$/);
  });

  it('compiles the shipped layout', () => {
    const shipped = createTemplateEngine({ dir: path.join(ROOT, 'templates') });
    expect(shipped.list()).toContain('adoption-tip');
  });
});
