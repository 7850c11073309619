import { DateTime } from 'luxon';
import type { EscalationAction } from '../domain/escalation/rules.ts';
import { escapeHtml } from '../templates/compile.ts';
import { escapeSlack } from '../templates/helpers.ts';
import { htmlToText } from '../templates/email-html.ts';
import type { RenderedMessage } from '../templates/rendered.ts';

/** One escalation as its owner reads it: who answered what, and their words. */
export interface EscalationItem {
  id: string;
  urgent: boolean;
  level: number;
  answeredBy: string;
  option: string;
  question: string;
  commKey: string;
  comment: string | null;
  openedAt: Date;
  /** Set when the answer came from an address other than the person's. */
  fromOtherAddress?: boolean;
}

export interface NoticeReader {
  name: string;
  timezone: string;
  locale: string;
}

/** Slack buttons on escalation notices carry this prefix and `{ e: escalationId, a: action }`. */
export const ESCALATION_ACTION_PREFIX = 'herald_escalation_';
export interface EscalationActionValue {
  e: string;
  a: EscalationAction;
}

const html = escapeHtml;
/** When it was opened, in the reader's zone and locale, the zone named ("Dec 7, 2026, 10:20 AM CST"). */
const when = (at: Date, reader: NoticeReader): string =>
  DateTime.fromJSDate(at, { zone: reader.timezone })
    .setLocale(reader.locale)
    .toLocaleString({ ...DateTime.DATETIME_MED, timeZoneName: 'short' });

/** A table that only lays things out (Outlook for Windows lays out tables, not <div>s). */
export const TABLE = '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">';

/** An e-mail page: its text in one padded, full-width table cell with the font set on the cell. */
export function emailPage(locale: string, title: string, inner: string, head = ''): string {
  return `<!DOCTYPE html><html lang="${html(locale)}"><head><meta charset="utf-8">${head}<title>${html(title)}</title></head>
<body style="margin:0;padding:0;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;font-size:15px;line-height:1.5">
${TABLE}<tr><td style="padding:16px;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328;font-size:15px;line-height:1.5">
${inner}
</td></tr></table>
</body></html>`;
}

function subjectOf(project: string, items: readonly EscalationItem[]): string {
  const urgent = items.some((i) => i.urgent);
  const lead = urgent ? 'Urgent' : 'Escalation';
  const first = items[0]!;
  const level = items.some((i) => i.level > 1) ? ' (not yet acknowledged)' : '';
  const what = items.length === 1 ? `${first.answeredBy} answered "${first.option}"` : `${items.length} answers need you`;
  return `${lead}: ${what}${level} · ${project}`;
}

/**
 * The notice an owner (level 1) or the workstream's escalation person (level 2) receives: each
 * escalation with who answered, what they chose and their words, and acknowledge/resolve controls
 * (Slack buttons; in email, links to a confirm page, because mail scanners open every link).
 */
export function renderEscalationNotice(
  input: { project: string; channel: 'slack' | 'email'; reader: NoticeReader; items: readonly EscalationItem[] },
  link: (escalationId: string, action: EscalationAction) => string,
): RenderedMessage {
  const { reader, items } = input;
  const subject = subjectOf(input.project, items);
  if (input.channel === 'slack') {
    const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: subject.slice(0, 150), emoji: true } }];
    const lines: string[] = [];
    for (const i of items.slice(0, 15)) {
      const words = i.comment ? `\n>${escapeSlack(i.comment).replace(/\n/g, '\n>')}` : '';
      const other = i.fromOtherAddress ? ' _(replied from another address)_' : '';
      const text =
        `${i.urgent ? ':rotating_light: ' : ''}*${escapeSlack(i.answeredBy)}* answered *${escapeSlack(i.option)}*` +
        ` to “${escapeSlack(i.question)}” (${escapeSlack(i.commKey)}, ${escapeSlack(when(i.openedAt, reader))})${other}${words}`;
      lines.push(text);
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } });
      blocks.push({
        type: 'actions',
        block_id: `herald_escalation_${i.id}`,
        elements: (['acknowledge', 'resolve'] as const).map((a) => ({
          type: 'button',
          action_id: `${ESCALATION_ACTION_PREFIX}${a}`,
          text: { type: 'plain_text', text: a === 'acknowledge' ? 'Acknowledge' : 'Resolve' },
          value: JSON.stringify({ e: i.id, a } satisfies EscalationActionValue),
          ...(a === 'acknowledge' ? { style: 'primary' } : {}),
        })),
      });
    }
    if (items.length > 15)
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `…and ${items.length - 15} more: \`herald escalations ${escapeSlack(input.project)} --open\`` }],
      });
    return { channel: 'slack', subject, text: `${escapeSlack(subject)}\n\n${lines.join('\n\n')}`, blocks };
  }
  const rows = items
    .map((i) => {
      const words = i.comment
        ? `<blockquote style="margin:8px 0;padding:6px 12px;border-left:3px solid #d8dee4;color:#1f2328">${html(i.comment).replace(/\n/g, '<br>')}</blockquote>`
        : '';
      const other = i.fromOtherAddress ? ' <em>(replied from another address)</em>' : '';
      return (
        `<tr><td style="padding:0 0 18px 0">
<p style="margin:6px 0">${i.urgent ? '<strong style="color:#b42318">Urgent.</strong> ' : ''}` +
        `<strong>${html(i.answeredBy)}</strong> answered <strong>${html(i.option)}</strong>` +
        ` to “${html(i.question)}” (${html(i.commKey)}, ${html(when(i.openedAt, reader))})${other}</p>${words}
<p style="margin:6px 0"><a href="${html(link(i.id, 'acknowledge'))}" style="color:#0b5cad;font-weight:600">Acknowledge</a>` +
        ` · <a href="${html(link(i.id, 'resolve'))}" style="color:#0b5cad;font-weight:600">Resolve</a></p>
</td></tr>`
      );
    })
    .join('\n');
  const doc = emailPage(
    reader.locale,
    subject,
    `<p>Hi ${html(reader.name.split(/\s+/)[0] ?? reader.name)}, ${items.length === 1 ? 'an answer needs' : 'these answers need'} your attention.` +
      ` Acknowledge to tell ${items.length === 1 ? 'them' : 'each person'} your team is on it.</p>
${TABLE}
${rows}
</table>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
  );
  return { channel: 'email', subject, text: htmlToText(doc), html: doc };
}

/** What the person who answered is told when the owner acts: answering helps. */
export function renderEscalationUpdate(input: {
  project: string;
  channel: 'slack' | 'email';
  reader: NoticeReader;
  ownerName: string;
  state: 'acknowledged' | 'resolved';
  option: string;
  question: string;
}): RenderedMessage {
  const owner = input.ownerName.split(/\s+/)[0] ?? input.ownerName;
  const subject = input.state === 'acknowledged' ? `${owner}'s team is on it` : `${owner}'s team has resolved your issue`;
  const body =
    input.state === 'acknowledged'
      ? `You answered "${input.option}" to "${input.question}". ${input.ownerName}'s team has seen it and is working on it.`
      : `You answered "${input.option}" to "${input.question}". ${input.ownerName}'s team has marked it resolved. If it still gets in your way, answer again.`;
  if (input.channel === 'slack') {
    const text = `*${escapeSlack(subject)}*\n${escapeSlack(body)}`;
    return { channel: 'slack', subject, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const doc = emailPage(
    input.reader.locale,
    subject,
    `<p>Hi ${html(input.reader.name.split(/\s+/)[0] ?? input.reader.name)},</p><p>${html(body)}</p>` +
      `<p style="color:#57606a;font-size:13px">${html(input.project)}</p>`,
  );
  return { channel: 'email', subject: `${subject} · ${input.project}`, text: htmlToText(doc), html: doc };
}
