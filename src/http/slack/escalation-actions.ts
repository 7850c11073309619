/**
 * Acknowledge / Resolve buttons on escalation notices (src/app/render-escalation.ts). Acked at
 * once; only the escalation's owner or the workstream's escalation person may press them (anyone
 * else gets an ephemeral note); the notice's buttons for that escalation are replaced in place.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/web-api';
import { actOnEscalation } from '../../app/act-on-escalation.ts';
import { ESCALATION_ACTION_PREFIX, type EscalationActionValue } from '../../app/render-escalation.ts';
import { HeraldError } from '../../domain/errors.ts';
import { escapeSlack } from '../../templates/helpers.ts';
import type { InteractionDeps } from './interactions.ts';

function actionValue(raw: string | undefined): EscalationActionValue | undefined {
  try {
    const v = JSON.parse(raw ?? '') as Partial<EscalationActionValue>;
    return typeof v.e === 'string' && (v.a === 'acknowledge' || v.a === 'resolve') ? { e: v.e, a: v.a } : undefined;
  } catch {
    return undefined;
  }
}

export const NOT_YOUR_ESCALATION = "Only the owner of this escalation (or the workstream's escalation contact) can change it.";

export function registerEscalationActions(app: App, deps: InteractionDeps): void {
  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ESCALATION_ACTION_PREFIX}`), async ({ ack, body, action, client }) => {
    await ack();
    const value = actionValue(action.value);
    if (!value) return;
    const channel = body.channel?.id ?? body.container?.channel_id;
    const actor = await deps.reads.escalationActor(value.e, body.user.id);
    if (!actor) {
      if (typeof channel === 'string') await client.chat.postEphemeral({ channel, user: body.user.id, text: NOT_YOUR_ESCALATION });
      return;
    }
    let done: string;
    try {
      const r = await actOnEscalation({ stores: deps.db.stores, clock: deps.clock }, { escalationId: value.e, action: value.a, by: actor.id });
      done = r.changed ? `${r.state === 'resolved' ? 'Resolved' : 'Acknowledged'} by ${actor.name}; they have been told.` : `Already ${r.state}.`;
    } catch (e) {
      if (!(e instanceof HeraldError)) throw e;
      done = e.message;
    }
    const ts = body.message?.ts ?? body.container?.message_ts;
    const blocks = (body.message?.blocks ?? []) as Array<{ type?: string; block_id?: string }>;
    if (typeof channel !== 'string' || typeof ts !== 'string' || blocks.length === 0) return;
    // The answered escalation's buttons give way to what happened; a resolved one keeps no buttons.
    const updated = blocks.map((b) =>
      b.block_id === `herald_escalation_${value.e}`
        ? { type: 'context', block_id: b.block_id, elements: [{ type: 'mrkdwn', text: `:white_check_mark: ${escapeSlack(done)}` }] }
        : b,
    );
    await client.chat.update({ channel, ts, blocks: updated as unknown as KnownBlock[], text: done });
  });
}
