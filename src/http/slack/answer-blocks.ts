/**
 * The Slack message after an answer: the survey's buttons give way, in place, to "You answered:
 * Some issues · change"; "change" puts the buttons back. Pure block transformations.
 */
import type { SurveySpec } from '../../domain/plan/model.ts';
import { escapeSlack } from '../../templates/helpers.ts';
import { SURVEY_BLOCK_PREFIX, UNSUBSCRIBE_BLOCK, surveyBlocks, type SlackBlock } from '../../templates/slack-blocks.ts';

export const CHANGE_ACTION = 'herald_change';
export const ADD_COMMENT_ACTION = 'herald_add_comment';
export const ANSWER_BLOCK = 'herald_answer';
export const COMMENT_CALLBACK = 'herald_comment';
const COMMENT_PREVIEW_MAX = 500;

const blockId = (b: SlackBlock): string => (typeof b.block_id === 'string' ? b.block_id : '');

/** Replaces the blocks matching `isOld` by `replacement`, where the first of them was (or at the end). */
function replaceBlocks(blocks: readonly SlackBlock[], isOld: (b: SlackBlock) => boolean, replacement: SlackBlock[]): SlackBlock[] {
  const at = blocks.findIndex(isOld);
  const kept = blocks.filter((b) => !isOld(b));
  const pos = at < 0 ? kept.length : at;
  return [...kept.slice(0, pos), ...replacement, ...kept.slice(pos)];
}

const isSurveyOrAnswer = (b: SlackBlock): boolean => blockId(b).startsWith(SURVEY_BLOCK_PREFIX) || blockId(b).startsWith(ANSWER_BLOCK);

export function answerText(label: string, comment: string | null): string {
  const c = comment === null ? '' : ` — “${escapeSlack(comment.length > COMMENT_PREVIEW_MAX ? `${comment.slice(0, COMMENT_PREVIEW_MAX - 1)}…` : comment)}”`;
  return `You answered: *${escapeSlack(label)}*${c}`;
}

/** The message with its survey replaced by the answer and a "change" button. */
export function answeredBlocks(original: readonly SlackBlock[], survey: SurveySpec, messageId: string, label: string, comment: string | null): SlackBlock[] {
  const answer: SlackBlock[] = [
    { type: 'section', block_id: 'herald_survey_question', text: { type: 'mrkdwn', text: `*${escapeSlack(survey.question)}*` } },
    {
      type: 'section',
      block_id: ANSWER_BLOCK,
      text: { type: 'mrkdwn', text: answerText(label, comment) },
      accessory: { type: 'button', action_id: CHANGE_ACTION, text: { type: 'plain_text', text: 'change' }, value: JSON.stringify({ m: messageId }) },
    },
  ];
  if (survey.comment !== 'none') {
    answer.push({
      type: 'actions',
      block_id: `${ANSWER_BLOCK}_more`,
      elements: [
        {
          type: 'button',
          action_id: ADD_COMMENT_ACTION,
          text: { type: 'plain_text', text: comment === null ? 'Add a comment' : 'Edit comment' },
          value: JSON.stringify({ m: messageId }),
        },
      ],
    });
  }
  return replaceBlocks(original, isSurveyOrAnswer, answer);
}

/** The message with its buttons back, to answer again. */
export function reopenedBlocks(original: readonly SlackBlock[], survey: SurveySpec, messageId: string): SlackBlock[] {
  return replaceBlocks(original, isSurveyOrAnswer, surveyBlocks(survey, messageId));
}

/** The optional message with its unsubscribe control replaced by a confirmation. */
export function unsubscribedBlocks(original: readonly SlackBlock[]): SlackBlock[] {
  return replaceBlocks(original, (b) => blockId(b) === UNSUBSCRIBE_BLOCK, [
    {
      type: 'context',
      block_id: UNSUBSCRIBE_BLOCK,
      elements: [{ type: 'mrkdwn', text: 'You unsubscribed from these messages. Required notices still reach you.' }],
    },
  ]);
}

/** The modal asking for a comment after an option that wants one. */
export function commentModal(
  survey: SurveySpec,
  messageId: string,
  option: { value: string; label: string },
  required: boolean,
  previous: string | null,
): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: COMMENT_CALLBACK,
    notify_on_close: true,
    private_metadata: JSON.stringify({ m: messageId, o: option.value }),
    title: { type: 'plain_text', text: 'Your answer' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(survey.question)}*\nYou chose: *${escapeSlack(option.label)}*` } },
      {
        type: 'input',
        block_id: 'comment',
        optional: !required,
        label: { type: 'plain_text', text: required ? 'Please add a short comment' : 'Comment (optional)' },
        element: { type: 'plain_text_input', action_id: 'comment', multiline: true, max_length: 3000, ...(previous ? { initial_value: previous } : {}) },
      },
    ],
  };
}
