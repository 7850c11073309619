import type { MessageContext } from './context-schema.ts';
import { escapeSlack } from './helpers.ts';

/** Slack's limits: section text 3000 chars, header 150, button label 75, 50 blocks, 25 buttons. */
const SECTION_MAX = 3000;
const HEADER_MAX = 150;
const BUTTON_MAX = 75;
const BLOCKS_MAX = 50;
const BUTTONS_MAX = 25;

export type SlackBlock = Record<string, unknown>;

/** What a survey button carries back in `value`: the message and the option. */
export interface SurveyActionValue {
  m: string;
  o: string;
}
export const SURVEY_ACTION_PREFIX = 'herald_survey_';
/** Every survey block's block_id starts with this, so an answer can replace them in place. */
export const SURVEY_BLOCK_PREFIX = 'herald_survey';
/** The "unsubscribe from tips" control on optional messages. */
export const UNSUBSCRIBE_ACTION = 'herald_unsubscribe';
export const UNSUBSCRIBE_BLOCK = 'herald_unsubscribe';

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Splits text into chunks ≤ max, preferring line then word boundaries, never inside `&amp;`. */
function chunks(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let at = rest.lastIndexOf('\n', max);
    if (at < max / 2) at = rest.lastIndexOf(' ', max);
    if (at < max / 2) {
      at = max;
      const amp = rest.lastIndexOf('&', at);
      if (amp > at - 6) at = amp;
    }
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.trim() !== '') out.push(rest);
  return out;
}

/** Body mrkdwn → sections: blank lines pack into sections up to the limit; a `---` line is a divider. */
function bodyBlocks(mrkdwn: string): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  for (const part of mrkdwn.split(/^\s*---\s*$/m)) {
    if (blocks.length > 0) blocks.push({ type: 'divider' });
    let current = '';
    const flush = (): void => {
      if (current.trim() !== '') blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current.trim() } });
      current = '';
    };
    for (const para of part
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p !== '')) {
      for (const piece of chunks(para, SECTION_MAX)) {
        if (current !== '' && current.length + piece.length + 2 > SECTION_MAX) flush();
        current = current === '' ? piece : `${current}\n\n${piece}`;
      }
    }
    flush();
  }
  return blocks.filter((b, i, all) => !(b.type === 'divider' && (i === 0 || i === all.length - 1)));
}

/** The survey question, one button per option and the comment note; also rebuilt when an answer is changed. */
export function surveyBlocks(
  survey: Pick<NonNullable<MessageContext['survey']>, 'question' | 'comment'> & {
    options: ReadonlyArray<{ value: string; label: string; escalate?: true | 'urgent' }>;
  },
  messageId: string,
): SlackBlock[] {
  const blocks: SlackBlock[] = [
    { type: 'section', block_id: 'herald_survey_question', text: { type: 'mrkdwn', text: `*${escapeSlack(survey.question)}*` } },
    {
      type: 'actions',
      block_id: 'herald_survey',
      elements: survey.options.slice(0, BUTTONS_MAX).map((o, i) => ({
        type: 'button',
        action_id: `${SURVEY_ACTION_PREFIX}${o.value}`,
        text: { type: 'plain_text', text: cut(o.label, BUTTON_MAX), emoji: true },
        value: JSON.stringify({ m: messageId, o: o.value } satisfies SurveyActionValue),
        ...(o.escalate === 'urgent' ? { style: 'danger' } : i === 0 ? { style: 'primary' } : {}),
      })),
    },
  ];
  if (survey.comment !== 'none') {
    const note =
      survey.comment === 'required' ? 'After you choose, you will be asked for a short comment.' : 'After you choose, you can add a comment if you like.';
    blocks.push({ type: 'context', block_id: 'herald_survey_note', elements: [{ type: 'mrkdwn', text: note }] });
  }
  return blocks;
}

/** The foot of an optional message: a link to the unsubscribe page and a one-click "unsubscribe from tips" button. */
export function unsubscribeBlocks(projectName: string, commKind: string, url: string, messageId: string): SlackBlock[] {
  return [
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Optional messages from ${escapeSlack(projectName)}. <${escapeSlack(url)}|Stop these>` }] },
    {
      type: 'actions',
      block_id: UNSUBSCRIBE_BLOCK,
      elements: [
        {
          type: 'button',
          action_id: UNSUBSCRIBE_ACTION,
          text: { type: 'plain_text', text: commKind === 'adoption-tip' ? 'Unsubscribe from tips' : 'Unsubscribe from these' },
          value: JSON.stringify({ m: messageId }),
        },
      ],
    },
  ];
}

/**
 * Builds the Block Kit message. The header is plain_text (Slack shows it literally, so the raw
 * subject is right there); everything mrkdwn arrives already escaped by the slack-mode templates.
 */
export function slackBlocks(subject: string, mrkdwn: string, ctx: MessageContext, messageId: string): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  if (subject !== '') blocks.push({ type: 'header', text: { type: 'plain_text', text: cut(subject, HEADER_MAX), emoji: true } });
  blocks.push(...bodyBlocks(mrkdwn));
  const tail: SlackBlock[] = ctx.survey ? surveyBlocks(ctx.survey, messageId) : [];
  if (ctx.links.unsubscribe) tail.push(...unsubscribeBlocks(ctx.project.name, ctx.comm.kind, ctx.links.unsubscribe, messageId));
  const room = BLOCKS_MAX - tail.length;
  if (blocks.length > room) {
    blocks.length = room - 1;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: '_Message shortened to fit Slack._' }] });
  }
  return [...blocks, ...tail];
}

/** The notification fallback: the subject and the body, escaped like the blocks. */
export function slackFallback(subject: string, mrkdwn: string): string {
  const body = mrkdwn
    .replace(/^\s*---\s*$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return subject === '' ? body : `${escapeSlack(subject)}\n\n${body}`;
}
