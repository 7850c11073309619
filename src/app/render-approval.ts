import { DateTime } from 'luxon';
import { readableKey } from '../domain/plan/comm-title.ts';
import type { Plan } from '../domain/plan/model.ts';
import { escapeHtml } from '../templates/compile.ts';
import { escapeSlack } from '../templates/helpers.ts';
import type { RenderedMessage } from '../templates/rendered.ts';
import type { ApprovalVariant } from './ports.ts';
import { emailPage, TABLE, type NoticeReader } from './render-escalation.ts';

/** Slack buttons on approval requests carry this prefix (`approve`, `reject`) and the signed token of the decision. */
export const APPROVAL_ACTION_PREFIX = 'herald_approval_';
/** The request's actions block: it gives way to "You approved …" once the approver has decided. */
export const APPROVAL_ACTIONS_BLOCK = 'herald_approval_actions';

/** A variant with what a person reads instead of its keys: the audience's description, "E-mail" or "Slack", the language's name. */
export interface LabelledVariant extends ApprovalVariant {
  audienceLabel: string;
  channelLabel: string;
  localeLabel: string;
}

function languageName(locale: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(locale) ?? locale;
  } catch {
    return locale;
  }
}

export function labelVariant(plan: Pick<Plan, 'audiences'>, v: ApprovalVariant): LabelledVariant {
  const audience = plan.audiences.find((a) => a.key === v.audience);
  return {
    ...v,
    audienceLabel: audience?.description ?? readableKey(v.audience),
    channelLabel: v.channel === 'email' ? 'E-mail' : 'Slack',
    localeLabel: languageName(v.locale),
  };
}

/** "Operations · E-mail · English (as Ana Silva gets it)". */
export function variantHeading(v: LabelledVariant): string {
  return `${v.audienceLabel} · ${v.channelLabel} · ${v.localeLabel} (as ${v.sample} gets it)`;
}

/** What an approval message says, whoever it is for. */
export interface ApprovalNoticeInput {
  project: string;
  channel: 'slack' | 'email';
  reader: NoticeReader;
  /** The comm's title and which occurrence ("Go-live summary", 1 of 3). */
  title: string;
  /** When its first message is planned. */
  firstSendAt: Date;
  variants: readonly LabelledVariant[];
  /** How many people and messages wait on it. */
  recipients: number;
}

/** An instant in the reader's zone and locale, the zone named ("Tue, Dec 8, 2026, 9:00 AM CST"). */
export function approvalWhen(at: Date, reader: Pick<NoticeReader, 'timezone' | 'locale'>): string {
  return DateTime.fromJSDate(at, { zone: reader.timezone })
    .setLocale(reader.locale)
    .toLocaleString({ ...DateTime.DATETIME_MED_WITH_WEEKDAY, timeZoneName: 'short' });
}

/** Slack's limits: 50 blocks a message, 3,000 characters a section, 150 a header. */
const SLACK_MAX_BLOCKS = 50;
const SLACK_SECTION_MAX = 3000;
/** Variants shown in Slack (two blocks each); the rest are on the approval page. */
const SLACK_VARIANTS = 12;

/**
 * `prefix` then `raw` escaped for mrkdwn, within `max` characters: cut (on the raw text, so no
 * escape is split) and ended with `more` when it does not fit.
 */
export function fitSlack(prefix: string, raw: string, max: number, more: string): string {
  const whole = prefix + escapeSlack(raw);
  if (whole.length <= max) return whole;
  let cut = raw.slice(0, Math.max(0, max - prefix.length - more.length));
  for (;;) {
    const over = prefix.length + escapeSlack(cut).length + more.length - max;
    if (over <= 0) break;
    // An escape is at most 5 characters (&amp;): dropping over/5 raw characters a round ends near the limit, not far below it.
    cut = cut.slice(0, Math.max(0, cut.length - Math.max(1, Math.ceil(over / 5))));
  }
  return prefix + escapeSlack(cut.trimEnd()) + more;
}

function leadOf(input: ApprovalNoticeInput): string {
  const people = `${input.recipients} ${input.recipients === 1 ? 'person' : 'people'}`;
  return `${input.title} goes to ${people} from ${approvalWhen(input.firstSendAt, input.reader)}. It waits for your approval: nothing is sent until an approver approves it.`;
}

const firstName = (name: string): string => name.split(/\s+/)[0] || name;

/**
 * To an approver: the content of every variant, and Approve / Request changes. Slack has buttons
 * and a link to the approval page (where a long message is shown whole); e-mail has links to the
 * approval page only, which asks before it records (mail scanners open every link).
 */
export function renderApprovalRequest(
  input: ApprovalNoticeInput,
  links: { approve: string; reject: string; page: string; slackValue?: (d: 'approve' | 'reject') => string },
  reminder: boolean,
): RenderedMessage {
  const subject = `${reminder ? 'Reminder: a' : 'A'}pproval needed: ${input.title} · ${input.project}`;
  const lead = leadOf(input);
  if (input.channel === 'slack') return slackRequest(input, subject, lead, links);
  const variantsText = input.variants.map((v) => `— ${variantHeading(v)}\nSubject: ${v.subject}\n\n${v.text}`).join('\n\n');
  const text = [
    `Hi ${firstName(input.reader.name)},`,
    '',
    lead,
    '',
    `Approve: ${links.approve}`,
    `Request changes: ${links.reject}`,
    '',
    'Each link opens a page that asks before anything is recorded.',
    '',
    variantsText,
    '',
    input.project,
  ].join('\n');
  const html = escapeHtml;
  const button = (href: string, label: string, primary: boolean) =>
    `<td style="padding:0 8px 8px 0"><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td bgcolor="${primary ? '#1a7f37' : '#ffffff'}"` +
    ` style="border:1px solid ${primary ? '#1a7f37' : '#8c959f'};border-radius:6px;padding:10px 18px">` +
    `<a href="${html(href)}" style="color:${primary ? '#ffffff' : '#1f2328'};font-weight:600;text-decoration:none;font-family:Segoe UI,Helvetica,Arial,sans-serif">${html(label)}</a>` +
    '</td></tr></table></td>';
  const variants = input.variants
    .map(
      (v) =>
        `<tr><td style="padding:12px 0 4px 0"><h2 style="margin:0;font-size:16px;line-height:1.4">${html(variantHeading(v))}</h2></td></tr>
<tr><td style="padding:8px 12px;border-left:3px solid #d8dee4;background-color:#f6f8fa">` +
        `<p style="margin:0 0 8px 0"><strong>Subject:</strong> ${html(v.subject)}</p>` +
        `<p style="margin:0">${html(v.text).replace(/\r?\n/g, '<br>')}</p></td></tr>`,
    )
    .join('\n');
  const doc = emailPage(
    input.reader.locale,
    subject,
    `<p style="margin:0 0 12px 0">Hi ${html(firstName(input.reader.name))},</p>
<p style="margin:0 0 12px 0">${html(lead)}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>${button(links.approve, 'Approve', true)}${button(links.reject, 'Request changes', false)}</tr></table>
<p style="margin:4px 0 16px 0;color:#57606a;font-size:13px">Each button opens a page that asks before anything is recorded.</p>
${TABLE}
${variants}
</table>
<p style="margin:16px 0 0 0;color:#57606a;font-size:13px">${html(input.project)}</p>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
  );
  return { channel: 'email', subject, text, html: doc };
}

function slackRequest(
  input: ApprovalNoticeInput,
  subject: string,
  lead: string,
  links: { page: string; slackValue?: (d: 'approve' | 'reject') => string },
): RenderedMessage {
  const more = ` … <${links.page}|see the approval page>`;
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: subject.length > 150 ? `${subject.slice(0, 149)}…` : subject, emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: fitSlack('', lead, SLACK_SECTION_MAX, more) } },
  ];
  const shown = input.variants.slice(0, SLACK_VARIANTS);
  for (const v of shown) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: fitSlack('', variantHeading(v), SLACK_SECTION_MAX, '…') }] });
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fitSlack(`*${escapeSlack(v.subject.slice(0, 500))}*\n`, v.text, SLACK_SECTION_MAX, more) } });
  }
  const rest = input.variants.length - shown.length;
  const pageLine =
    rest > 0 ? `…and ${rest} more ${rest === 1 ? 'version' : 'versions'}: <${links.page}|see the approval page>` : `<${links.page}|Open the approval page>`;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: pageLine }] });
  blocks.push({
    type: 'actions',
    block_id: APPROVAL_ACTIONS_BLOCK,
    elements: [
      {
        type: 'button',
        style: 'primary',
        text: { type: 'plain_text', text: 'Approve' },
        action_id: `${APPROVAL_ACTION_PREFIX}approve`,
        value: links.slackValue?.('approve') ?? '',
      },
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Request changes' },
        action_id: `${APPROVAL_ACTION_PREFIX}reject`,
        value: links.slackValue?.('reject') ?? '',
      },
    ],
  });
  if (blocks.length > SLACK_MAX_BLOCKS) throw new RangeError(`approval request has ${blocks.length} Slack blocks`);
  return { channel: 'slack', subject, text: escapeSlack(`${subject}\n${lead}`), blocks };
}

/** The request after its approver decided in Slack (mrkdwn, escaped): the buttons give way to what they did. */
export function decidedSlackText(d: { decision: 'approve' | 'reject'; note: string | null; title: string; outcome: string }): string {
  const note = d.note ? `: “${escapeSlack(d.note.length > 500 ? `${d.note.slice(0, 499)}…` : d.note)}”` : '';
  const title = escapeSlack(d.title);
  return d.decision === 'approve'
    ? `:white_check_mark: You approved ${title}${note}. ${escapeSlack(d.outcome)}`
    : `:memo: You requested changes to ${title}${note}. ${escapeSlack(d.outcome)}`;
}

/** To the project manager: messages are held for approval, or an approver requested changes (with the reason). */
export function renderApprovalNotice(
  input: ApprovalNoticeInput & { kind: 'held' | 'rejected'; waitingFor: readonly string[]; reason?: string; rejectedBy?: string },
  dashboardUrl: string,
): RenderedMessage {
  const subject = input.kind === 'held' ? `Held for approval: ${input.title} · ${input.project}` : `Changes requested: ${input.title} · ${input.project}`;
  const lines =
    input.kind === 'held'
      ? [
          `${input.title} was due ${approvalWhen(input.firstSendAt, input.reader)} and is held: it is not approved yet.`,
          input.waitingFor.length > 0 ? `Waiting for: ${input.waitingFor.join(', ')}.` : '',
          'It goes out as soon as it is approved.',
        ]
      : [
          `${input.rejectedBy ?? 'An approver'} requested changes to ${input.title} (first send ${approvalWhen(input.firstSendAt, input.reader)}):`,
          `"${input.reason ?? ''}"`,
          'Its messages stay held until the content changes: edit the plan or template and apply it; the approvers are asked again.',
        ];
  const text = [...lines.filter(Boolean), '', `Approvals: ${dashboardUrl}`].join('\n');
  if (input.channel === 'slack') {
    return {
      channel: 'slack',
      subject,
      text: escapeSlack(text),
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: fitSlack(`*${escapeSlack(subject)}*\n`, text, SLACK_SECTION_MAX, '…') } }],
    };
  }
  const html = escapeHtml;
  const doc = emailPage(
    input.reader.locale,
    subject,
    `${lines
      .filter(Boolean)
      .map((l) => `<p style="margin:0 0 12px 0">${html(l)}</p>`)
      .join('\n')}
<p style="margin:0"><a href="${html(dashboardUrl)}" style="color:#0b5cad;font-weight:600">Open the approvals</a></p>
<p style="margin:16px 0 0 0;color:#57606a;font-size:13px">${html(input.project)}</p>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
  );
  return { channel: 'email', subject, text, html: doc };
}
