/**
 * Bolt listeners for Herald's Slack controls, the same over HTTP and Socket Mode. An answer is
 * made durable before Slack gets its ack, and recorded after it: the click is written to the
 * click queue in Redis (jobs/record-click.ts, one job per click, delayed), then acked (Slack
 * wants an ack within 3 s, and the trigger for a modal lives 3 s too), then recorded at once
 * through record-slack-click and the job removed. Recording after the ack because under load a
 * record can wait longer than 3 s for a pooled connection; queueing before it because a crash
 * between ack and record would otherwise lose the answer. When recording fails, or the process
 * dies, the queued job records it (and updates the message); a failed chat.update after
 * recording only leaves the message unchanged.
 */
import type { App, BlockAction, ButtonAction, SlackViewAction } from '@slack/bolt';
import type { KnownBlock, WebClient } from '@slack/web-api';
import { loadAnswerView, type AnswerView } from '../../app/answer-view.ts';
import { optOut } from '../../app/opt-out.ts';
import type { PlanCache } from '../../app/plan-cache.ts';
import type { Clock } from '../../app/ports.ts';
import { recordSlackClick, type SlackClickOutcome } from '../../app/record-slack-click.ts';
import type { StoreDeps } from '../../app/ports.ts';
import type { MessageProvider, SlackReads } from '../../db/repo/slack-reads.ts';
import type { SurveyOption } from '../../domain/plan/model.ts';
import { commentWanted, normaliseComment, surveyOption } from '../../domain/response.ts';
import { HeraldError } from '../../domain/errors.ts';
import type { Logger } from '../../logger.ts';
import type { ClickPayload, ClickQueue, HeldClick } from '../../app/queue-ports.ts';
import { SURVEY_ACTION_PREFIX, UNSUBSCRIBE_ACTION, type SlackBlock } from '../../templates/slack-blocks.ts';
import {
  ADD_COMMENT_ACTION,
  answeredBlocks,
  answerText,
  CHANGE_ACTION,
  COMMENT_CALLBACK,
  commentModal,
  reopenedBlocks,
  unsubscribedBlocks,
} from './answer-blocks.ts';

/** Short-lived shared storage (Redis in `herald serve`): the message blocks while a comment modal is open, which another process may receive. */
export interface Scratch {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

export interface InteractionDeps {
  db: StoreDeps;
  /** Where a sent message is, who may act on an escalation (src/db/repo/slack-reads.ts). */
  reads: SlackReads;
  clock: Clock;
  scratch: Scratch;
  log?: Logger | undefined;
  /** Where an answer is written before it is acked (the BullMQ click queue in `herald serve`); without it an answer lost between ack and record stays lost. */
  clicks?: ClickQueue | undefined;
  /** The process's plan cache, for the follow-ups of an escalating answer. */
  plans?: PlanCache | undefined;
  /** HERALD_SECRET: verifies the signed tokens on approval buttons; without it they are refused. */
  secret?: string | undefined;
}

export const NOT_YOURS = 'This message was sent to someone else, so only they can answer it.';
const BLOCKS_TTL_S = 24 * 3600;
/** Herald builds blocks as plain objects (src/templates/slack-blocks.ts); the WebClient wants its own types. */
const asBlocks = (blocks: SlackBlock[]): KnownBlock[] => blocks as unknown as KnownBlock[];

interface Where {
  channel: string;
  ts: string;
}

function actionValue(raw: string | undefined): { m: string; o?: string } | undefined {
  try {
    const v = JSON.parse(raw ?? '') as { m?: unknown; o?: unknown };
    if (typeof v.m !== 'string') return undefined;
    return typeof v.o === 'string' ? { m: v.m, o: v.o } : { m: v.m };
  } catch {
    return undefined;
  }
}

/** Where the click came from (the message's channel and ts in the payload). */
function clickedAt(body: BlockAction | undefined): Where | undefined {
  const channel = body?.channel?.id ?? body?.container?.channel_id;
  const ts = body?.message?.ts ?? body?.container?.message_ts;
  return typeof channel === 'string' && typeof ts === 'string' ? { channel, ts } : undefined;
}

/** Where the message is: the channel and ts stored when it was sent, else where the click came from. */
function whereOf(view: MessageProvider | undefined, fallback: Where | undefined): Where | undefined {
  if (view?.providerChannel && view.providerId) return { channel: view.providerChannel, ts: view.providerId };
  return fallback;
}

async function notYours(client: WebClient, body: BlockAction): Promise<void> {
  const channel = body.channel?.id ?? body.container?.channel_id;
  if (typeof channel === 'string') await client.chat.postEphemeral({ channel, user: body.user.id, text: NOT_YOURS });
}

/** The message's blocks while its comment modal is open (the submission may reach another process). */
const blocksKey = (messageId: string) => `slack:blocks:${messageId}`;

export type RecordedClick = Extract<SlackClickOutcome, { kind: 'recorded' }>;

/**
 * Replaces the answered message in place ("You answered: Some issues · change"), from the
 * listener and from the click queue alike: the blocks come with a button click, or from scratch
 * for a modal's submission.
 */
export function answerShower(client: WebClient, scratch: Scratch): (click: ClickPayload, outcome: RecordedClick) => Promise<void> {
  return async (click, { view, result }) => {
    const where = whereOf(result.context.message, click.where);
    if (!where || !view.survey) return;
    const stored = click.blocks ? null : await scratch.get(blocksKey(click.messageId));
    const original = (click.blocks as SlackBlock[] | undefined) ?? (stored ? (JSON.parse(stored) as SlackBlock[]) : []);
    const label = result.option?.label ?? click.option ?? '';
    const blocks = answeredBlocks(original, view.survey, view.messageId, label, result.response.comment);
    await client.chat.update({
      channel: where.channel,
      ts: where.ts,
      blocks: asBlocks(blocks),
      text: answerText(label, result.response.comment).replace(/\*/g, ''),
    });
  };
}

export function registerInteractions(app: App, deps: InteractionDeps): void {
  /**
   * After the ack: records a held click now and removes its queued copy, or, when recording
   * fails for any reason but bad input, hands it to the queue (returning undefined).
   */
  async function recordHeld(click: ClickPayload, held: HeldClick | undefined, view?: AnswerView): Promise<SlackClickOutcome | undefined> {
    let outcome: SlackClickOutcome;
    try {
      outcome = await recordSlackClick(deps, click, view);
    } catch (err) {
      if ((err instanceof HeraldError && !err.retryable) || !held) {
        await held?.release().catch(() => {});
        throw err;
      }
      deps.log?.warn({ err, sourceRef: click.sourceRef }, 'recording a slack answer failed; the click queue retries it');
      // Should this fail too, the job still runs when its grace period ends.
      await held.retryNow().catch((e: unknown) => deps.log?.warn({ err: e }, 'could not hurry a queued click'));
      return undefined;
    }
    // Should removing the job fail, it runs later and records nothing twice.
    await held?.release().catch((err: unknown) => deps.log?.warn({ err }, 'could not remove a recorded click from the queue'));
    return outcome;
  }

  /** After recording: a failed update leaves the old message, the answer is stored either way. */
  async function showSafely(show: () => Promise<void>): Promise<void> {
    try {
      await show();
    } catch (err) {
      deps.log?.warn({ err }, 'answer recorded; updating the slack message failed');
    }
  }

  async function openComment(client: WebClient, triggerId: string, view: AnswerView, original: SlackBlock[], option: SurveyOption): Promise<void> {
    const survey = view.survey!;
    await Promise.all([
      deps.scratch.set(blocksKey(view.messageId), JSON.stringify(original), BLOCKS_TTL_S),
      client.views.open({
        trigger_id: triggerId,
        view: commentModal(survey, view.messageId, option, commentWanted(survey, option), view.current?.comment ?? null) as never,
      }),
    ]);
  }

  // A survey button: held in the click queue, acked, recorded (or a modal opened when the option wants a comment).
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${SURVEY_ACTION_PREFIX}`), async ({ ack, body, action, client }) => {
    const value = actionValue(action.value);
    if (!value?.o) return ack();
    const original = (body.message?.blocks as SlackBlock[] | undefined) ?? [];
    const where = clickedAt(body);
    const click: ClickPayload = {
      messageId: value.m,
      option: value.o,
      comment: null,
      userId: body.user.id,
      receivedAt: deps.clock.now().toISOString(),
      sourceRef: `slack:${body.user.id}:${action.action_ts}`,
      fromButton: true,
      blocks: original,
      where,
    };
    const held = await deps.clicks?.hold(click);
    await ack();
    const outcome = await recordHeld(click, held);
    if (outcome?.kind === 'not-yours') return notYours(client, body);
    if (outcome?.kind === 'needs-comment') return openComment(client, body.trigger_id, outcome.view, original, outcome.option);
    if (outcome?.kind === 'recorded') await showSafely(() => answerShower(client, deps.scratch)(click, outcome));
  });

  app.view({ callback_id: COMMENT_CALLBACK, type: 'view_submission' }, async ({ ack, body, view: modal, client }) => {
    const meta = actionValue(modal.private_metadata);
    const chosen = meta?.o;
    if (!meta || !chosen) return ack();
    // Checked before the ack, so the modal can show what is wrong; not yet acked, a failure here loses nothing.
    const view = await deps.db.stores.retrying(() => loadAnswerView(deps.db, meta.m));
    if (view.person.slackId !== body.user.id) return ack({ response_action: 'errors', errors: { comment: NOT_YOURS } });
    const option = surveyOption(view.survey, view.comm.key, chosen);
    const comment = normaliseComment(modal.state.values.comment?.comment?.value ?? null);
    if (commentWanted(view.survey!, option) && comment === null) {
      return ack({ response_action: 'errors', errors: { comment: 'Please add a short comment.' } });
    }
    const click: ClickPayload = {
      messageId: view.messageId,
      option: chosen,
      comment,
      userId: body.user.id,
      receivedAt: deps.clock.now().toISOString(),
      sourceRef: `slack:view:${modal.id}:${(body as SlackViewAction & { view: { hash?: string } }).view.hash ?? ''}`,
    };
    const held = await deps.clicks?.hold(click);
    await ack();
    const outcome = await recordHeld(click, held, view);
    if (outcome?.kind === 'recorded') await showSafely(() => answerShower(client, deps.scratch)(click, outcome));
  });

  // A closed modal records nothing; it is acknowledged so Slack does not retry.
  app.view({ callback_id: COMMENT_CALLBACK, type: 'view_closed' }, async ({ ack }) => {
    await ack();
  });

  interface Clicked {
    body: BlockAction<ButtonAction>;
    client: WebClient;
    view: AnswerView;
    original: SlackBlock[];
  }

  /** A Herald control that is not an answer: acked at once; only the message's recipient may use it, anyone else is told so. */
  function onButton(actionId: string, handle: (c: Clicked) => Promise<void>): void {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const value = actionValue(action.value);
      if (!value) return;
      const view = await deps.db.stores.retrying(() => loadAnswerView(deps.db, value.m));
      if (view.person.slackId !== body.user.id) return notYours(client, body);
      await handle({ body, client, view, original: (body.message?.blocks as SlackBlock[] | undefined) ?? [] });
    });
  }

  onButton(CHANGE_ACTION, async ({ body, client, view, original }) => {
    const where = whereOf(await deps.reads.messageProvider(view.messageId), clickedAt(body));
    if (!where || !view.survey) return;
    const blocks = reopenedBlocks(original, view.survey, view.messageId);
    await client.chat.update({ channel: where.channel, ts: where.ts, blocks: asBlocks(blocks), text: view.survey.question });
  });

  onButton(ADD_COMMENT_ACTION, async ({ body, client, view, original }) => {
    const option = view.survey?.options.find((o) => o.value === view.current?.option);
    if (view.survey && option) await openComment(client, body.trigger_id, view, original, option);
  });

  onButton(UNSUBSCRIBE_ACTION, async ({ body, client, view, original }) => {
    await optOut(deps.db, {
      personId: view.person.id,
      commKey: view.comm.key,
      commOptional: view.comm.optional,
      scope: 'comm',
      audit: { projectKey: view.loaded.projectKey, personKey: view.person.key, at: deps.clock.now(), via: 'slack' },
    });
    const where = whereOf(await deps.reads.messageProvider(view.messageId), clickedAt(body));
    if (!where) return;
    await client.chat.update({
      channel: where.channel,
      ts: where.ts,
      blocks: asBlocks(unsubscribedBlocks(original)),
      text: 'You unsubscribed from these messages.',
    });
  });
}
