import { DateTime } from 'luxon';
import { escapeHtml } from '../templates/compile.ts';
import { escapeSlack } from '../templates/helpers.ts';
import type { RenderedMessage } from '../templates/rendered.ts';
import type { ApprovalVariant } from './ports.ts';
import type { NoticeReader } from './render-escalation.ts';

/** Slack buttons on approval requests carry this prefix (`approve`, `reject`) and the signed token of the decision. */
export const APPROVAL_ACTION_PREFIX = 'herald_approval_';

/** What an approval message says, whoever it is for. */
export interface ApprovalNoticeInput {
  project: string;
  channel: 'slack' | 'email';
  reader: NoticeReader;
  /** The comm's title and which occurrence ("Go-live summary", 1 of 3). */
  title: string;
  /** When its first message is planned. */
  firstSendAt: Date;
  variants: readonly ApprovalVariant[];
  /** How many people and messages wait on it. */
  recipients: number;
}

const when = (at: Date, reader: NoticeReader): string =>
  DateTime.fromJSDate(at, { zone: reader.timezone })
    .setLocale(reader.locale)
    .toLocaleString({ ...DateTime.DATETIME_MED_WITH_WEEKDAY, timeZoneName: 'short' });

function variantLabel(v: ApprovalVariant): string {
  return `${v.audience} · ${v.channel === 'email' ? 'e-mail' : 'Slack'} · ${v.locale} (as ${v.sample} gets it)`;
}

/** To an approver: the content of every variant, and Approve / Request changes (Slack buttons; e-mail: links to the approval page). */
export function renderApprovalRequest(
  input: ApprovalNoticeInput,
  links: { approve: string; reject: string; slackValue?: (d: 'approve' | 'reject') => string },
  reminder: boolean,
): RenderedMessage {
  const subject = `${reminder ? 'Reminder: a' : 'A'}pproval needed: ${input.title} · ${input.project}`;
  const lead = `${input.title} goes to ${input.recipients} ${input.recipients === 1 ? 'person' : 'people'} from ${when(input.firstSendAt, input.reader)}. It waits for your approval.`;
  const body = input.variants.map((v) => `— ${variantLabel(v)}\nSubject: ${v.subject}\n\n${v.text}`).join('\n\n');
  if (input.channel === 'slack') {
    const blocks: unknown[] = [
      { type: 'header', text: { type: 'plain_text', text: subject.slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(lead) } },
    ];
    for (const v of input.variants.slice(0, 10)) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(variantLabel(v)) }] });
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(v.subject)}*\n${escapeSlack(v.text).slice(0, 2800)}` } });
    }
    blocks.push({
      type: 'actions',
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
    return { channel: 'slack', subject, text: `${subject}\n${lead}`, blocks };
  }
  const text = `${lead}\n\nApprove: ${links.approve}\nRequest changes: ${links.reject}\n\n${body}`;
  const html = `<!DOCTYPE html><html lang="${escapeHtml(input.reader.locale)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>
<p>${escapeHtml(lead)}</p>
<p><a href="${escapeHtml(links.approve)}">Approve</a> · <a href="${escapeHtml(links.reject)}">Request changes</a></p>
${input.variants.map((v) => `<h2>${escapeHtml(variantLabel(v))}</h2><p><strong>${escapeHtml(v.subject)}</strong></p><pre style="white-space:pre-wrap;font-family:inherit">${escapeHtml(v.text)}</pre>`).join('\n')}
</body></html>`;
  return { channel: 'email', subject, text, html };
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
          `${input.title} was due ${when(input.firstSendAt, input.reader)} and is held: it is not approved yet.`,
          input.waitingFor.length > 0 ? `Waiting for: ${input.waitingFor.join(', ')}.` : '',
          'It goes out as soon as it is approved.',
        ]
      : [
          `${input.rejectedBy ?? 'An approver'} requested changes to ${input.title} (first send ${when(input.firstSendAt, input.reader)}):`,
          `"${input.reason ?? ''}"`,
          'Its messages stay held until the content changes: edit the plan or template and apply it; the approvers are asked again.',
        ];
  const text = [...lines.filter(Boolean), '', `Approvals: ${dashboardUrl}`].join('\n');
  if (input.channel === 'slack') {
    return {
      channel: 'slack',
      subject,
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(subject)}*\n${escapeSlack(text)}` } }],
    };
  }
  const html = `<!DOCTYPE html><html lang="${escapeHtml(input.reader.locale)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>
${lines
  .filter(Boolean)
  .map((l) => `<p>${escapeHtml(l)}</p>`)
  .join('\n')}
<p><a href="${escapeHtml(dashboardUrl)}">Open the approvals</a></p>
</body></html>`;
  return { channel: 'email', subject, text, html };
}
