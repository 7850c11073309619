/**
 * Bolt listeners for Herald's Slack controls, the same over HTTP and Socket Mode. Each acks first
 * (Slack wants it within 3 s; the trigger for a modal lives 3 s too), then records through the
 * record-response use case and updates the message in place. Acking first, not after recording:
 * under load a record can wait longer than 3 s for a pooled connection, and Slack then shows the
 * person an error and retries. So an acknowledged answer whose immediate record fails (after its
 * own retries) goes to the durable click queue (jobs/record-click.ts), which retries until it is
 * recorded; a failed chat.update after recording only leaves the message unchanged.
 */
import type { App, BlockAction, ButtonAction, SlackViewAction } from '@slack/bolt';
import type { KnownBlock, WebClient } from '@slack/web-api';
import { loadAnswerView, type AnswerView } from '../../app/answer-view.ts';
import { optOut } from '../../app/opt-out.ts';
import type { Clock } from '../../app/ports.ts';
import { recordResponse } from '../../app/record-response.ts';
import type { Database } from '../../db/database.ts';
import { retryTransient } from '../../db/postgres-errors.ts';
import type { SurveyOption, SurveySpec } from '../../domain/plan/model.ts';
import { commentWanted, normaliseComment, surveyOption } from '../../domain/response.ts';
import { HeraldError } from '../../domain/errors.ts';
import type { Logger } from '../../logger.ts';
import type { ClickPayload } from '../../../jobs/record-click.ts';
import { SURVEY_ACTION_PREFIX, UNSUBSCRIBE_ACTION, type SlackBlock } from '../../templates/slack-blocks.ts';
import { ADD_COMMENT_ACTION, answeredBlocks, answerText, CHANGE_ACTION, COMMENT_CALLBACK, commentModal, reopenedBlocks, unsubscribedBlocks } from './answer-blocks.ts';

/** Short-lived shared storage (Redis in `herald serve`): the message blocks while a comment modal is open, which another process may receive. */
export interface Scratch {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}

export interface InteractionDeps {
  db: Database;
  clock: Clock;
  scratch: Scratch;
  log?: Logger | undefined;
  /** Where an acknowledged answer goes when recording it now fails (the BullMQ click queue in `herald serve`). */
  clicks?: { add(click: ClickPayload): Promise<void> } | undefined;
}

export const NOT_YOURS = 'This message was sent to someone else, so only they can answer it.';
const BLOCKS_TTL_S = 24 * 3600;
/** Herald builds blocks as plain objects (src/templates/slack-blocks.ts); the WebClient wants its own types. */
const asBlocks = (blocks: SlackBlock[]): KnownBlock[] => blocks as unknown as KnownBlock[];

interface Where {
  channel: string;
  ts: string;
}

function valueOf(raw: string | undefined): { m: string; o?: string } | undefined {
  try {
    const v = JSON.parse(raw ?? '') as { m?: unknown; o?: unknown };
    if (typeof v.m !== 'string') return undefined;
    return typeof v.o === 'string' ? { m: v.m, o: v.o } : { m: v.m };
  } catch {
    return undefined;
  }
}

/** Where the message is: the channel and ts stored when it was sent, else the click's container. */
function whereOf(view: { providerChannel: string | null; providerId: string | null } | undefined, body: BlockAction | undefined): Where | undefined {
  if (view?.providerChannel && view.providerId) return { channel: view.providerChannel, ts: view.providerId };
  const channel = body?.channel?.id ?? body?.container?.channel_id;
  const ts = body?.message?.ts ?? body?.container?.message_ts;
  return typeof channel === 'string' && typeof ts === 'string' ? { channel, ts } : undefined;
}

async function providerOf(db: Database, messageId: string): Promise<{ providerChannel: string | null; providerId: string | null } | undefined> {
  return (await db.prisma.message.findUnique({ where: { id: messageId }, select: { providerChannel: true, providerId: true } })) ?? undefined;
}

async function notYours(client: WebClient, body: BlockAction): Promise<void> {
  const channel = body.channel?.id ?? body.container?.channel_id;
  if (typeof channel === 'string') await client.chat.postEphemeral({ channel, user: body.user.id, text: NOT_YOURS });
}

export function registerInteractions(app: App, deps: InteractionDeps): void {
  const blocksKey = (messageId: string) => `slack:blocks:${messageId}`;
  const surveyClick = (body: BlockAction<ButtonAction>, action: ButtonAction, messageId: string, option: string): ClickPayload => ({
    messageId,
    option,
    comment: null,
    userId: body.user.id,
    receivedAt: deps.clock.now().toISOString(),
    sourceRef: `slack:${body.user.id}:${action.action_ts}`,
  });

  /**
   * Records an acknowledged answer now, or spools it to the click queue when that fails for any
   * reason but bad input, so nothing acknowledged is lost. Returns what to show, or undefined when spooled.
   */
  async function recordOrSpool(click: ClickPayload, view: AnswerView): Promise<Awaited<ReturnType<typeof recordResponse>> | undefined> {
    try {
      return await recordResponse(deps.db, {
        messageId: click.messageId,
        option: click.option,
        comment: click.comment,
        channel: 'slack',
        receivedAt: new Date(click.receivedAt),
        sourceRef: click.sourceRef,
      }, { loaded: view.loaded });
    } catch (err) {
      if ((err instanceof HeraldError && !err.retryable) || !deps.clicks) throw err;
      deps.log?.warn({ err, sourceRef: click.sourceRef }, 'recording a slack answer failed; queued to retry');
      await deps.clicks.add(click);
      return undefined;
    }
  }

  /** After recording: a failed update leaves the old message, the answer is stored either way. */
  async function showSafely(show: () => Promise<void>): Promise<void> {
    try {
      await show();
    } catch (err) {
      deps.log?.warn({ err }, 'answer recorded; updating the slack message failed');
    }
  }

  async function showAnswer(client: WebClient, view: AnswerView, where: Where | undefined, original: SlackBlock[] | undefined, label: string, comment: string | null): Promise<void> {
    if (!where || !view.survey) return;
    const base = original ?? [];
    const blocks = answeredBlocks(base, view.survey, view.messageId, label, comment);
    await client.chat.update({ channel: where.channel, ts: where.ts, blocks: asBlocks(blocks), text: answerText(label, comment).replace(/\*/g, '') });
  }

  interface Clicked {
    body: BlockAction<ButtonAction>;
    action: ButtonAction;
    client: WebClient;
    value: { m: string; o?: string };
    view: AnswerView;
    original: SlackBlock[];
  }

  /** A Herald button: acked at once; only the message's recipient may use it, anyone else is told so. */
  function onButton(actionId: string | RegExp, handle: (c: Clicked) => Promise<void>): void {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const value = valueOf(action.value);
      if (!value) return;
      // Acked already: a busy database must not lose the click, so a transient failure is retried,
      // and a survey click that still cannot be looked up is spooled to be recorded later.
      let view: AnswerView;
      try {
        view = await retryTransient(() => loadAnswerView(deps.db.prisma, value.m));
      } catch (err) {
        if (typeof actionId === 'string' || value.o === undefined || (err instanceof HeraldError && !err.retryable) || !deps.clicks) throw err;
        deps.log?.warn({ err }, 'loading a clicked slack message failed; queued to retry');
        return deps.clicks.add(surveyClick(body, action, value.m, value.o));
      }
      if (view.person.slackId !== body.user.id) return notYours(client, body);
      await handle({ body, action, client, value, view, original: (body.message?.blocks as SlackBlock[] | undefined) ?? [] });
    });
  }

  async function openComment(c: Clicked, survey: SurveySpec, option: SurveyOption): Promise<void> {
    // Keep the message's blocks for the submission, which may reach another process.
    await Promise.all([
      deps.scratch.set(blocksKey(c.view.messageId), JSON.stringify(c.original), BLOCKS_TTL_S),
      c.client.views.open({ trigger_id: c.body.trigger_id, view: commentModal(survey, c.view.messageId, option, commentWanted(survey, option), c.view.current?.comment ?? null) as never }),
    ]);
  }

  onButton(new RegExp(`^${SURVEY_ACTION_PREFIX}`), async (c) => {
    const { view, value } = c;
    const chosen = value.o;
    if (chosen === undefined) return;
    const option = surveyOption(view.survey, view.comm.key, chosen);
    const survey = view.survey!;
    if (option && commentWanted(survey, option)) return openComment(c, survey, option);
    const result = await recordOrSpool(surveyClick(c.body, c.action, view.messageId, chosen), view);
    if (!result) return;
    await showSafely(() => showAnswer(c.client, view, whereOf(result.context.message, c.body), c.original, result.option?.label ?? chosen, result.response.comment));
  });

  app.view({ callback_id: COMMENT_CALLBACK, type: 'view_submission' }, async ({ ack, body, view: modal, client }) => {
    const meta = valueOf(modal.private_metadata);
    const chosen = meta?.o;
    if (!meta || !chosen) return ack();
    const view = await retryTransient(() => loadAnswerView(deps.db.prisma, meta.m));
    if (view.person.slackId !== body.user.id) return ack({ response_action: 'errors', errors: { comment: NOT_YOURS } });
    const option = surveyOption(view.survey, view.comm.key, chosen);
    const comment = normaliseComment(modal.state.values.comment?.comment?.value ?? null);
    if (commentWanted(view.survey!, option) && comment === null) {
      return ack({ response_action: 'errors', errors: { comment: 'Please add a short comment.' } });
    }
    await ack();
    const result = await recordOrSpool({
      messageId: view.messageId,
      option: chosen,
      comment,
      userId: body.user.id,
      receivedAt: deps.clock.now().toISOString(),
      sourceRef: `slack:view:${modal.id}:${(body as SlackViewAction & { view: { hash?: string } }).view.hash ?? ''}`,
    }, view);
    if (!result) return;
    await showSafely(async () => {
      const stored = await deps.scratch.get(blocksKey(view.messageId));
      const original = stored ? (JSON.parse(stored) as SlackBlock[]) : [];
      await showAnswer(client, view, whereOf(result.context.message, undefined), original, result.option?.label ?? chosen, result.response.comment);
    });
  });

  // A closed modal records nothing; it is acknowledged so Slack does not retry.
  app.view({ callback_id: COMMENT_CALLBACK, type: 'view_closed' }, async ({ ack }) => {
    await ack();
  });

  onButton(CHANGE_ACTION, async ({ body, client, view, original }) => {
    const where = whereOf(await providerOf(deps.db, view.messageId), body);
    if (!where || !view.survey) return;
    const blocks = reopenedBlocks(original, view.survey, view.messageId);
    await client.chat.update({ channel: where.channel, ts: where.ts, blocks: asBlocks(blocks), text: view.survey.question });
  });

  onButton(ADD_COMMENT_ACTION, async (c) => {
    const option = c.view.survey?.options.find((o) => o.value === c.view.current?.option);
    if (c.view.survey && option) await openComment(c, c.view.survey, option);
  });

  onButton(UNSUBSCRIBE_ACTION, async ({ body, client, view, original }) => {
    await optOut(deps.db.prisma, { personId: view.person.id, commKey: view.comm.key, commOptional: view.comm.optional, scope: 'comm' });
    const where = whereOf(await providerOf(deps.db, view.messageId), body);
    if (!where) return;
    await client.chat.update({ channel: where.channel, ts: where.ts, blocks: asBlocks(unsubscribedBlocks(original)), text: 'You unsubscribed from these messages.' });
  });
}
