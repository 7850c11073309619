import path from 'node:path';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { labelVariant, renderApprovalNotice, renderApprovalRequest } from '../../../src/app/render-approval.ts';
import { renderEscalationNotice, renderEscalationUpdate, type EscalationItem } from '../../../src/app/render-escalation.ts';
import { asReminder } from '../../../src/app/reminder-delivery.ts';
import { computeDigest } from '../../../src/domain/digest/compute-digest.ts';
import type { CommSpec, Plan } from '../../../src/domain/plan/model.ts';
import { sampleContext } from '../../../src/templates/context.ts';
import { createTemplateEngine } from '../../../src/templates/engine.ts';
import type { RenderedMessage } from '../../../src/templates/rendered.ts';
import { NOW, d, hugeDigest, snapshot } from '../../unit/digest/fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface RenderedEmail {
  /** e.g. `milestone-moved/ops.email.hbs (cutover-moved, ops)`. */
  label: string;
  html: string;
  text: string;
}

/** `data` for the templates the example plan does not use (as the starters and manual sends fill it). */
const DATA: Record<string, Record<string, unknown>> = {
  announcement: { title: 'Mailbox move: what to do', body: 'Your mailbox moves this weekend.\n\nRestart your laptop on Friday & keep your phone with you.' },
  'starter-message': {
    title: 'We are moving to Microsoft Teams',
    what: 'What changes: chat, calls and meetings move to Microsoft Teams on the switch-over day.\nWhy: one place for conversations, files and meetings.',
    action: "Open Teams today and post a hello in your team's channel.",
    from: 'Maria Lopez, for the project team',
    help: 'Call the service desk on 555-0100 or email help@northwind.example.',
  },
};

/** A comm of `plan` that uses `template`, or the example comm `like` re-pointed at it with `data`. */
function commFor(plan: Plan, template: string, like: string, data?: Record<string, unknown>): CommSpec {
  const own = plan.comms.find((c) => c.template === template);
  if (own) return own;
  const base = plan.comms.find((c) => c.key === like);
  if (!base) throw new Error(`no comm ${like}`);
  return { ...base, template, ...(data ? { data } : {}) } as CommSpec;
}

/**
 * Every e-mail Herald sends, rendered with realistic context: each built-in template's e-mail
 * variant for each audience it is written for (first notice, reminder occurrence and survey
 * reminder), the weekly digest (before its model exists, a normal week, an oversized week and
 * an empty one), the hypercare desk briefing with its figures, escalation notices and updates,
 * approval requests and the project manager's held and changes-requested notices.
 */
export async function everyEmail(): Promise<RenderedEmail[]> {
  const { plan } = await loadPlanFile('examples/m365-migration.plan.yaml', { cwd: ROOT });
  const engine = createTemplateEngine({ dir: path.join(ROOT, 'templates'), publicUrl: 'https://herald.example.com' });
  const out: RenderedEmail[] = [];
  const add = (label: string, r: RenderedMessage): void => {
    out.push({ label, html: r.html ?? '', text: r.text });
  };
  const render = (p: Plan, c: CommSpec, audience: string, opts: { occurrence?: number; digest?: unknown; personId?: string } = {}): RenderedMessage => {
    const item = c.series ? engine.item(c.template, c.series[(opts.occurrence ?? 0) % c.series.length] as string) : undefined;
    const context = sampleContext(p, c, {
      audience,
      ...(item ? { item } : {}),
      ...(opts.occurrence === undefined ? {} : { occurrence: opts.occurrence }),
      ...(opts.digest === undefined ? {} : { digest: opts.digest, now: NOW.toISOString() }),
      ...(opts.personId === undefined ? {} : { personId: opts.personId }),
    });
    return engine.render({ template: c.template, channel: 'email', audience, context, messageId: 'msg-1' });
  };

  for (const template of engine.list()) {
    const p = plan;
    const c = commFor(p, template, 'cutover-user-prep', DATA[template]);
    // Each audience-specific e-mail variant, and the default one through an audience that has none.
    const audiences = new Set([...c.audiences, 'ops', 'service-desk', 'end-users', 'executives']);
    for (const audience of audiences) {
      const r = render(p, c, audience);
      add(`${template} (${c.key}, ${audience})`, r);
      add(`${template} (${c.key}, ${audience}, second occurrence)`, render(p, c, audience, { occurrence: 1 }));
      if (c.survey) add(`${template} (${c.key}, ${audience}, reminder)`, asReminder(r));
    }
  }

  const digestComm = commFor(plan, 'exec-digest', 'exec-weekly');
  const withNote = snapshot();
  withNote.escalations.find((e) => e.id === 'e2')!.acknowledgementNote = 'Vendor ticket raised';
  const empty = { ...snapshot(), workstreams: [], statusReports: [], milestones: [], bounces: [], surveyMessages: [], escalations: [] };
  add(
    'exec-digest (a normal week, with milestones and comments)',
    render(plan, digestComm, 'executives', { digest: computeDigest(withNote, NOW), personId: 'maria' }),
  );
  add('exec-digest (an oversized week)', render(plan, digestComm, 'executives', { digest: hugeDigest(), personId: 'maria' }));
  add('exec-digest (an empty week)', render(plan, digestComm, 'executives', { digest: computeDigest(empty, NOW), personId: 'maria' }));
  const desk = commFor(plan, 'hypercare-desk-summary', 'hypercare-service-desk');
  add(
    'hypercare-desk-summary (with figures)',
    render(plan, desk, 'service-desk', {
      digest: {
        checkins: { good: 31, minor: 6, blocked: 2, pending: 9 },
        escalations: [{ person: 'Dev Kim', option: "I can't work", comment: 'Outlook keeps asking for my password' }],
        knownIssues: ['Shared calendars are slow to open for the first hour'],
      },
    }),
  );

  const reader = { name: 'Raj Patel', timezone: 'Asia/Kolkata', locale: 'en-US' };
  const items: EscalationItem[] = [
    {
      id: 'e1',
      urgent: true,
      level: 1,
      answeredBy: 'Dev Kim',
      option: "I can't work",
      question: 'How is the new Outlook and Teams setup working for you?',
      commKey: 'hypercare-checkin',
      comment: 'Outlook keeps asking for my password.\nSince Monday <again>.',
      openedAt: d(-1),
    },
    {
      id: 'e2',
      urgent: false,
      level: 2,
      answeredBy: 'Cai Wu',
      option: 'Some issues',
      question: 'How is the new Outlook and Teams setup working for you?',
      commKey: 'hypercare-checkin',
      comment: null,
      openedAt: d(-2),
      fromOtherAddress: true,
    },
  ];
  const link = (id: string, action: string): string => `https://herald.example.com/e/${id}/${action}?t=abc&x=1`;
  add('escalation notice (one answer)', renderEscalationNotice({ project: plan.project.name, channel: 'email', reader, items: items.slice(0, 1) }, link));
  add('escalation notice (two answers, level 2)', renderEscalationNotice({ project: plan.project.name, channel: 'email', reader, items }, link));
  for (const state of ['acknowledged', 'resolved'] as const) {
    add(
      `escalation update (${state})`,
      renderEscalationUpdate({
        project: plan.project.name,
        channel: 'email',
        reader: { name: 'Dev Kim', timezone: 'Europe/London', locale: 'en-GB' },
        ownerName: 'Raj Patel',
        state,
        option: "I can't work",
        question: 'How is it working?',
      }),
    );
  }
  const approval = {
    project: plan.project.name,
    channel: 'email' as const,
    reader,
    title: 'Go-live executive summary',
    firstSendAt: d(2),
    recipients: 42,
    variants: [
      {
        audience: 'executives',
        channel: 'email' as const,
        locale: 'en-US',
        sample: 'Maria Lopez',
        subject: 'Go-live: where we are',
        text: DATA.announcement!.body as string,
      },
      {
        audience: 'executives',
        channel: 'slack' as const,
        locale: 'en-GB',
        sample: 'Dev Kim',
        subject: 'Go-live: where we are',
        text: 'Short & sweet <b>not bold</b>.',
      },
    ].map((v) => labelVariant(plan, v)),
  };
  const approvalLinks = {
    approve: 'https://herald.example.com/a/abc?x=1&y=2',
    reject: 'https://herald.example.com/a/def',
    page: 'https://herald.example.com/a/abc',
  };
  add('approval request', renderApprovalRequest(approval, approvalLinks, false));
  add('approval reminder', renderApprovalRequest(approval, approvalLinks, true));
  add(
    'approval held notice',
    renderApprovalNotice({ ...approval, kind: 'held', waitingFor: ['Raj Patel'] }, 'https://herald.example.com/projects/x/approvals'),
  );
  add(
    'approval changes requested',
    renderApprovalNotice(
      { ...approval, kind: 'rejected', waitingFor: [], reason: 'The date in the subject is wrong.', rejectedBy: 'Raj Patel' },
      'https://herald.example.com/projects/x/approvals',
    ),
  );
  return out;
}
