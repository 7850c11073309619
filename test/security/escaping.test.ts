/**
 * Issue 15 §2.2: HTML/script and Slack mention syntax in every field shown anywhere. Every text a
 * plan author, a CSV or an answering person controls is set to a payload, and every rendering is
 * checked: Slack mrkdwn shows `<!channel>`, `<@U123>` and `<http://evil|click>` literally (escaped
 * &, <, >), email HTML carries no markup of ours, escalation notices neither.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/app/api-tokens.ts';
import { buildHttpServer } from '../../src/main/http.ts';
import { createHttpReads } from '../../src/db/repo/http-reads.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_SECRET } from '../support/delivery.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';
import { loadPlanFile } from '../../src/app/load-plan.ts';
import { decidedSlackText, renderApprovalNotice, renderApprovalRequest, type ApprovalNoticeInput } from '../../src/app/render-approval.ts';
import { renderEscalationNotice } from '../../src/app/render-escalation.ts';
import { channelsOf } from '../../src/templates/engine.ts';
import { buildEngine } from '../../src/templates/builtin.ts';
import { sampleContext } from '../../src/templates/context.ts';
import type { Plan } from '../../src/domain/plan/model.ts';
import type { RenderedMessage } from '../../src/templates/rendered.ts';
import { signInCookie } from '../support/sign-in.ts';

const EVIL = `<script>alert(1)</script><img src=x onerror=alert(2)> <!channel> <!here> <@U123> <#C999> <http://evil.example|click> &amp; *bold* \`code\``;
/** What must never reach Slack's mrkdwn parser or an HTML page unescaped. */
const SLACK_RAW = ['<!channel>', '<!here>', '<@U123>', '<#C999>', '<http://evil.example|click>', '<script>'];
const HTML_RAW = ['<script', '<img', 'onerror=alert(2)>', '<!channel>', '<@U123>'];

const engine = buildEngine({ PUBLIC_URL: 'https://herald.example' });

/** Every free-text field of the plan set to the payload (ids, keys, zones and addresses stay valid). */
function poisoned(plan: Plan): Plan {
  const deep = (v: unknown): unknown =>
    typeof v === 'string'
      ? `${v} ${EVIL}`
      : Array.isArray(v)
        ? v.map(deep)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)]))
          : v;
  return {
    ...plan,
    project: { ...plan.project, name: `Project ${EVIL}` },
    milestones: plan.milestones.map((m) => ({ ...m, label: `${m.label} ${EVIL}` })),
    workstreams: plan.workstreams.map((w) => ({ ...w, name: `${w.name} ${EVIL}` })),
    audiences: plan.audiences.map((a) => ({ ...a, ...(a.description === undefined ? {} : { description: `${a.description} ${EVIL}` }) })),
    people: plan.people.map((p) => ({ ...p, name: `${p.name} ${EVIL}` })),
    comms: plan.comms.map((c) => ({
      ...c,
      data: deep(c.data) as Record<string, unknown>,
      ...(c.survey
        ? { survey: { ...c.survey, question: `${c.survey.question} ${EVIL}`, options: c.survey.options.map((o) => ({ ...o, label: `${o.label} ${EVIL}` })) } }
        : {}),
    })),
  };
}

/** The texts Slack parses as mrkdwn: the message's `text` and every mrkdwn text object in its blocks. */
function mrkdwnTexts(r: RenderedMessage): string[] {
  const out: string[] = [r.text];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(r.blocks);
  return out;
}

function expectSafeSlack(r: RenderedMessage, where: string): void {
  for (const text of mrkdwnTexts(r)) for (const raw of SLACK_RAW) expect(text, `${where}: ${raw}`).not.toContain(raw);
}

function expectSafeHtml(html: string | undefined, where: string): void {
  expect(html, where).toBeDefined();
  for (const raw of HTML_RAW) expect(html, `${where}: ${raw}`).not.toContain(raw);
}

describe('every built-in template, every field poisoned', async () => {
  const loaded = await loadPlanFile('examples/m365-migration.plan.yaml');
  const plan = poisoned(loaded.plan);

  const cases = plan.comms.flatMap((comm) => comm.audiences.flatMap((audience) => channelsOf(comm).map((channel) => ({ comm, audience, channel }))));
  it.each(cases.map((c) => [`${c.comm.key} / ${c.audience} / ${c.channel}`, c]))('%s', (_name, { comm, audience, channel }) => {
    const item = comm.series?.[0] === undefined ? undefined : engine.item(comm.template, comm.series[0]);
    const context = sampleContext(plan, comm, {
      audience,
      ...(item ? { item: { ...item, title: `${item.title} ${EVIL}`, body: `${item.body} ${EVIL}` } } : {}),
    });
    const r = engine.render({ template: comm.template, channel, audience, context, messageId: 'm1' });
    if (channel === 'slack') expectSafeSlack(r, comm.key);
    else expectSafeHtml(r.html, comm.key);
    // The payload is shown, not dropped: the reader sees what the author wrote.
    const shown = channel === 'slack' ? r.text + JSON.stringify(r.blocks) : (r.html ?? '');
    if (shown.includes('alert(1)')) expect(shown).toMatch(/&lt;!channel&gt;|&amp;lt;!channel&amp;gt;/);
  });
});

describe('escalation notices: answers and comments come from the answering person', () => {
  const items = [
    {
      id: 'e1',
      urgent: true,
      level: 2,
      answeredBy: `Eve ${EVIL}`,
      option: `Blocked ${EVIL}`,
      question: `Working? ${EVIL}`,
      commKey: 'checkin',
      comment: `my comment ${EVIL}`,
      openedAt: new Date('2030-01-01T10:00:00Z'),
    },
    {
      id: 'e2',
      urgent: false,
      level: 1,
      answeredBy: 'Bo',
      option: 'Slow',
      question: 'Working?',
      commKey: 'checkin',
      comment: EVIL,
      openedAt: new Date('2030-01-01T11:00:00Z'),
      fromOtherAddress: true,
    },
  ];
  const reader = { name: `Owner ${EVIL}`, timezone: 'UTC', locale: 'en-US' };

  it('Slack: mentions and links shown literally', () => {
    const r = renderEscalationNotice({ project: `Project ${EVIL}`, channel: 'slack', reader, items }, (id, a) => `https://herald.example/e/${id}/${a}`);
    expectSafeSlack(r, 'escalation slack');
  });

  it('email: no markup from the answer', () => {
    const r = renderEscalationNotice({ project: `Project ${EVIL}`, channel: 'email', reader, items }, (id, a) => `https://herald.example/e/${id}/${a}`);
    expectSafeHtml(r.html, 'escalation email');
  });
});

describe('approval requests and notices: the content, names and reasons come from the plan and approvers', () => {
  const input = (channel: 'slack' | 'email'): ApprovalNoticeInput => ({
    project: `Project ${EVIL}`,
    channel,
    reader: { name: `Maria ${EVIL}`, timezone: 'UTC', locale: 'en-US' },
    title: `Summary ${EVIL}`,
    firstSendAt: new Date('2030-01-01T10:00:00Z'),
    recipients: 3,
    variants: [
      {
        audience: 'ops',
        channel: 'email',
        locale: 'en-US',
        sample: `Bo ${EVIL}`,
        subject: `Subject ${EVIL}`,
        text: `Body ${EVIL}\n${EVIL}`,
        audienceLabel: `Ops ${EVIL}`,
        channelLabel: 'E-mail',
        localeLabel: 'English',
      },
    ],
  });
  const links = { approve: 'https://herald.example/a/t1', reject: 'https://herald.example/a/t2', page: 'https://herald.example/a/t1', slackValue: () => 't' };

  it('Slack: mentions and links shown literally, in the request, the decision shown in its place and the notices', () => {
    expectSafeSlack(renderApprovalRequest(input('slack'), links, false), 'approval request slack');
    const decided = decidedSlackText({ decision: 'reject', note: `No ${EVIL}`, title: `Summary ${EVIL}`, outcome: `Told ${EVIL}` });
    for (const raw of SLACK_RAW) expect(decided, `decided: ${raw}`).not.toContain(raw);
    for (const kind of ['held', 'rejected'] as const) {
      const r = renderApprovalNotice(
        { ...input('slack'), kind, waitingFor: [`Raj ${EVIL}`], reason: `Wrong ${EVIL}`, rejectedBy: `Raj ${EVIL}` },
        'https://herald.example/x',
      );
      expectSafeSlack(r, `approval ${kind} slack`);
    }
  });

  it('email: no markup from the content or the reason', () => {
    expectSafeHtml(renderApprovalRequest(input('email'), links, true).html, 'approval request email');
    for (const kind of ['held', 'rejected'] as const) {
      const r = renderApprovalNotice(
        { ...input('email'), kind, waitingFor: [`Raj ${EVIL}`], reason: `Wrong ${EVIL}`, rejectedBy: `Raj ${EVIL}` },
        'https://herald.example/x',
      );
      expectSafeHtml(r.html, `approval ${kind} email`);
    }
  });
});

describe('the dashboard, with a plan whose every text is the payload', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let closeExtras: () => Promise<void>;
  let cookie = '';
  const NOW = new Date('2030-01-10T15:00:00Z');
  const q = (s: string) => JSON.stringify(`${s} ${EVIL}`);
  const PLAN = readFileSync('test/fixtures/plans/delivery.plan.yaml', 'utf8')
    .replace('name: Delivery test project', `name: ${q('Delivery')}`)
    .replace('label: Mailbox cutover', `label: ${q('Cutover')}`)
    .replace('name: Exchange Online migration', `name: ${q('Exchange')}`)
    .replace('description: Everyone', `description: ${q('Everyone')}`)
    .replaceAll(/name: (Ana Silva|Ben Okoro|Cy Tan)/g, (_m, n: string) => `name: ${q(n)}`)
    .replaceAll(/(title|body|window|impact): "([^"]*)"/g, (_m, k: string, v: string) => `${k}: ${q(v)}`)
    .replace('question: "How is the new setup working for you?"', `question: ${q('How is it?')}`)
    .replace('label: "Working well"', `label: ${q('Working well')}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, closeExtras } = await buildHttpServer({
      db,
      reads: createHttpReads(db),
      redisUrl: TEST_REDIS_URL,
      secret: TEST_SECRET,
      clock: { now: () => new Date(NOW) },
      templates: engine,
    }));
    await app.ready();
    const editor = (await createApiToken(db, { role: 'editor', name: 'editor', now: NOW })).token;
    const applied = await app.inject({
      method: 'POST',
      url: '/api/v1/plans',
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/yaml' },
      payload: PLAN,
    });
    expect(applied.statusCode, applied.body).toBe(200);
    cookie = await signInCookie(
      {
        origin: 'http://localhost:80',
        send: async (req) => {
          const r = await app.inject({ method: req.method, url: req.path, headers: req.headers, ...(req.body === undefined ? {} : { payload: req.body }) });
          return { status: r.statusCode, body: r.body, setCookie: [r.headers['set-cookie'] ?? []].flat().map(String) };
        },
      },
      editor,
    );
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await closeExtras?.();
    await db?.drop();
  });

  it('every page shows the payload as text, never as markup', async () => {
    const key = 'delivery-test';
    const messages = await db.prisma.message.findMany({ where: { project: { key } }, select: { key: true, channel: true }, orderBy: { key: 'asc' } });
    const urls = [
      '/',
      `/projects/${key}`,
      `/projects/${key}/plan`,
      `/projects/${key}/calendar`,
      `/projects/${key}/calendar?view=month&at=2030-01-15`,
      `/projects/${key}/messages`,
      `/projects/${key}/responses`,
      `/projects/${key}/escalations`,
      `/projects/${key}/approvals`,
      `/projects/${key}/inbox`,
    ];
    // One preview per channel: the rendered message inside the page.
    for (const channel of ['slack', 'email']) {
      const m = messages.find((x) => x.channel === channel);
      if (m) urls.push(`/projects/${key}/calendar/messages/${encodeURIComponent(m.key)}`);
    }
    expect(urls.length).toBeGreaterThan(9);
    let sawPayload = 0;
    for (const url of urls) {
      const r = await app.inject({ method: 'GET', url, headers: { cookie } });
      expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBeLessThan(400);
      for (const raw of HTML_RAW) expect(r.body, `${url}: ${raw}`).not.toContain(raw);
      if (r.body.includes('alert(1)')) sawPayload++;
    }
    // The pages do show the poisoned names (escaped), so the check above means something.
    expect(sawPayload).toBeGreaterThan(3);
  });
});
