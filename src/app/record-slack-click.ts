/**
 * Record a Slack answer: the part the Slack listener (src/http/slack/interactions.ts) and the
 * durable click queue (jobs/record-click.ts) share. It checks that the clicking user is the
 * message's recipient, skips an option that wants a comment (only the modal may answer it), and
 * records through record-response, which is idempotent by the click's source reference, so the
 * listener and the queue may both run for one click and it is recorded once.
 */
import type { SurveyOption } from '../domain/plan/model.ts';
import { commentWanted, surveyOption } from '../domain/response.ts';
import { loadAnswerView, type AnswerView } from './answer-view.ts';
import type { PlanCache } from './plan-cache.ts';
import type { Clock, StoreDeps } from './ports.ts';
import { recordResponse, type RecordResponseInput, type RecordResponseResult } from './record-response.ts';

/** One Slack answer as received: a button click, or a comment modal's submission (`comment` set). */
export interface SlackClick {
  messageId: string;
  option: string | null;
  comment: string | null;
  /** The Slack user who clicked; only the message's recipient may answer. */
  userId: string;
  receivedAt: string;
  /** `slack:<user>:<action_ts>` for a button, `slack:view:<view id>:<hash>` for a modal: the same for Slack's retries. */
  sourceRef: string;
  /** A button click, not a modal submission: an option that wants a comment opens a modal instead of recording. */
  fromButton?: boolean | undefined;
}

export type SlackClickOutcome =
  | { kind: 'not-yours'; view: AnswerView }
  | { kind: 'needs-comment'; view: AnswerView; option: SurveyOption }
  | { kind: 'recorded'; view: AnswerView; result: RecordResponseResult };

export function slackResponseInput(click: SlackClick): RecordResponseInput {
  return {
    messageId: click.messageId,
    option: click.option,
    comment: click.comment,
    channel: 'slack',
    receivedAt: new Date(click.receivedAt),
    sourceRef: click.sourceRef,
  };
}

/** Records the click (see the file comment); `view` when the caller has loaded the message already. */
export async function recordSlackClick(
  deps: { db: StoreDeps; clock: Clock; plans?: PlanCache | undefined },
  click: SlackClick,
  view?: AnswerView,
): Promise<SlackClickOutcome> {
  const v = view ?? (await deps.db.stores.retrying(() => loadAnswerView(deps.db, click.messageId)));
  if (v.person.slackId !== click.userId) return { kind: 'not-yours', view: v };
  if (click.fromButton && click.option !== null) {
    // surveyOption throws (not retryable) for a message without a survey or an unknown option.
    const option = surveyOption(v.survey, v.comm.key, click.option);
    if (option && commentWanted(v.survey!, option)) return { kind: 'needs-comment', view: v, option };
  }
  const result = await recordResponse({ stores: deps.db.stores, clock: deps.clock, plans: deps.plans }, slackResponseInput(click), { loaded: v.loaded });
  return { kind: 'recorded', view: v, result };
}
