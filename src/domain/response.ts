/**
 * Answers to surveys, whatever channel they come through: the pure rules (which option is valid,
 * what an answer changes). src/app/record-response.ts applies them in one transaction.
 */
import { HeraldError } from './errors.ts';
import type { SurveyOption, SurveySpec } from './plan/model.ts';

export const RESPONSE_CHANNELS = ['slack', 'email-link', 'email-reply', 'api', 'dashboard'] as const;
export type ResponseChannel = (typeof RESPONSE_CHANNELS)[number];

/** Comm kind whose answers (green / amber / red) also set the workstream's current status. */
export const WORKSTREAM_STATUS_KIND = 'workstream-status';

/** An answer that can never be recorded as given (wrong option, no survey, empty): not retryable. */
export class ResponseRejectedError extends HeraldError {
  constructor(code: 'RESPONSE_NOT_A_SURVEY' | 'RESPONSE_OPTION_UNKNOWN' | 'RESPONSE_EMPTY' | 'RESPONSE_MESSAGE_UNKNOWN', message: string, hint?: string) {
    super(code, message, { hint });
  }
}

/** The survey option chosen, or a clear error naming the valid values. `null` is a comment-only answer. */
export function surveyOption(survey: SurveySpec | undefined, commKey: string, value: string | null): SurveyOption | null {
  if (survey === undefined) {
    throw new ResponseRejectedError('RESPONSE_NOT_A_SURVEY', `comm "${commKey}" has no survey, so it cannot be answered`);
  }
  if (value === null) return null;
  const option = survey.options.find((o) => o.value === value);
  if (option === undefined) {
    throw new ResponseRejectedError(
      'RESPONSE_OPTION_UNKNOWN',
      `"${value}" is not an option of comm "${commKey}" (options: ${survey.options.map((o) => o.value).join(', ')})`,
      'answer with one of the listed option values',
    );
  }
  return option;
}

/** Whether answering with this option asks for a comment (survey `comment: required`, or the option's `comment: true`). */
export function commentWanted(survey: SurveySpec, option: SurveyOption | null): boolean {
  return survey.comment === 'required' || option?.comment === true;
}

/** An empty or whitespace-only comment is no comment. */
export function normaliseComment(comment: string | null | undefined): string | null {
  if (comment === null || comment === undefined) return null;
  const t = comment.trim();
  return t.length === 0 ? null : t;
}

export interface AnswerState {
  option: string | null;
  comment: string | null;
}

export interface IncomingAnswer extends AnswerState {
  sourceRef: string;
}

export type AnswerDecision = { kind: 'unchanged'; reason: 'redelivered' | 'same-answer' } | { kind: 'changed'; next: AnswerState };

/**
 * What an answer does to the stored one. A source reference seen before (a Slack retry, the same
 * mail fetched twice) changes nothing, even when the answer changed since. An option answer
 * replaces option and comment together (the answer is the whole thing); a comment-only answer
 * (option null) keeps the option and sets the comment.
 */
export function decideAnswer(existing: AnswerState & { sourceRefs: readonly string[] }, incoming: IncomingAnswer): AnswerDecision {
  if (existing.sourceRefs.includes(incoming.sourceRef)) return { kind: 'unchanged', reason: 'redelivered' };
  const next: AnswerState =
    incoming.option === null ? { option: existing.option, comment: incoming.comment } : { option: incoming.option, comment: incoming.comment };
  if (next.option === existing.option && next.comment === existing.comment) return { kind: 'unchanged', reason: 'same-answer' };
  return { kind: 'changed', next };
}
