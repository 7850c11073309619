/**
 * Approve / Request changes buttons on approval requests (src/app/render-approval.ts). Each button
 * carries a signed approval token (the approval, the approver's person id, the decision and round),
 * so it is verified like the /a/ link, and only the approver it was sent to (their Slack user id)
 * may press it; anyone else gets an ephemeral note. Approve records at once; Request changes opens
 * a modal that asks for the reason, and its submission records the rejection. Either way the
 * request's buttons give way to "You approved …" / "You requested changes: …" in place.
 * Decisions are acked at once and recorded through decideApproval (as escalation buttons are): the
 * click queue holds survey answers only, and an approver whose click was lost still sees the buttons.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock, WebClient } from '@slack/web-api';
import { approvalForLink, type ApprovalLinkView } from '../../app/approval-link.ts';
import { parseApprovalOption } from '../../app/approval-outbound.ts';
import { APPROVAL_NOTE_MAX, decideApproval, type DecideApprovalResult } from '../../app/decide-approval.ts';
import { APPROVAL_ACTION_PREFIX, APPROVAL_ACTIONS_BLOCK, decidedSlackText } from '../../app/render-approval.ts';
import { HeraldError } from '../../domain/errors.ts';
import { verifyToken } from '../../domain/tokens.ts';
import { escapeSlack } from '../../templates/helpers.ts';
import type { InteractionDeps } from './interactions.ts';

export const NOT_YOUR_APPROVAL = 'This approval request was sent to someone else, so only they can decide with it.';
export const APPROVAL_CHANGES_CALLBACK = 'herald_approval_changes';
const STALE = 'This request is out of date: the content changed after it was sent, and a new request went out. Decide from the newer one.';

interface Link {
  token: string;
  approvalId: string;
  personId: string;
  decision: 'approve' | 'reject';
  round: number;
}

interface Where {
  channel: string;
  ts: string;
}

/** Where the modal's submission should update the request (and what to verify again). */
interface ModalMeta {
  t: string;
  c?: string;
  ts?: string;
}

function readLink(secret: string | undefined, token: string | undefined, nowMs: number): Link {
  if (!secret) {
    throw new HeraldError('SERVER_NOT_CONFIGURED', 'HERALD_SECRET is not set on this server', {
      retryable: true,
      hint: 'set HERALD_SECRET to the value the workers use',
    });
  }
  const p = verifyToken(secret, token ?? '', Math.floor(nowMs / 1000));
  const o = parseApprovalOption(p.o);
  if (p.k !== 'approval' || !o) throw new HeraldError('TOKEN_INVALID', 'the link or token is not valid (not an approval button)');
  return { token: token ?? '', approvalId: p.m, personId: p.p, ...o };
}

/** What happened, in the words the request shows after a decision. */
function outcomeText(r: Pick<DecideApprovalResult, 'changed' | 'state' | 'released' | 'skipped'>, view: ApprovalLinkView): string {
  if (!r.changed)
    return r.state === 'approved'
      ? 'It was already approved; nothing changed.'
      : r.state === 'rejected'
        ? 'Changes were already requested; nothing changed.'
        : '';
  if (r.state === 'rejected') return 'The project manager is told; its messages stay held until the content changes.';
  if (r.state === 'pending') return `It still waits for: ${view.waitingFor.filter((n) => n !== view.reader.name).join(', ') || 'the other approvers'}.`;
  const sent =
    r.released > 0 ? `${r.released} held ${r.released === 1 ? 'message goes' : 'messages go'} out now.` : 'Its messages go out at their planned time.';
  return r.skipped > 0 ? `${sent} ${r.skipped} held ${r.skipped === 1 ? 'message was' : 'messages were'} not sent: approved too late.` : sent;
}

/** The request's blocks with its buttons replaced by `text` (or `text` appended when the buttons are not found). */
function decidedBlocks(original: readonly Record<string, unknown>[], text: string): Record<string, unknown>[] {
  const done = { type: 'section', block_id: APPROVAL_ACTIONS_BLOCK, text: { type: 'mrkdwn', text: text.slice(0, 3000) } };
  const at = original.findIndex((b) => b.block_id === APPROVAL_ACTIONS_BLOCK);
  return at < 0 ? [...original, done] : original.map((b, i) => (i === at ? done : b));
}

function changesModal(view: ApprovalLinkView, meta: ModalMeta): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: APPROVAL_CHANGES_CALLBACK,
    notify_on_close: true,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Request changes' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${escapeSlack(view.title)}*\nThe project manager reads your reason; nothing is sent until the content changes and it is approved.`,
        },
      },
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'What should change?' },
        element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: APPROVAL_NOTE_MAX },
      },
    ],
  };
}

export function registerApprovalActions(app: App, deps: InteractionDeps): void {
  const tell = async (client: WebClient, where: Partial<Where>, user: string, text: string) => {
    if (typeof where.channel === 'string') await client.chat.postEphemeral({ channel: where.channel, user, text });
  };

  /** The approval behind a button for the Slack user who pressed it; a note to them (and undefined) when it is not theirs to decide. */
  async function checked(
    client: WebClient,
    token: string | undefined,
    user: string,
    where: Partial<Where>,
  ): Promise<{ link: Link; view: ApprovalLinkView } | undefined> {
    try {
      const link = readLink(deps.secret, token, deps.clock.now().getTime());
      const view = await deps.db.stores.retrying(() => approvalForLink(deps.db, { approvalId: link.approvalId, personId: link.personId }));
      if (view.reader.slackId !== user) {
        await tell(client, where, user, NOT_YOUR_APPROVAL);
        return undefined;
      }
      return { link, view };
    } catch (err) {
      if (!(err instanceof HeraldError) || err.retryable) throw err;
      await tell(
        client,
        where,
        user,
        err.code === 'TOKEN_EXPIRED' ? 'This approval request has expired; decide from a newer one or the approval page.' : err.message,
      );
      return undefined;
    }
  }

  /** The request with `mrkdwn` in place of its buttons; a failed update leaves the message as it was (the decision is stored either way). */
  async function show(client: WebClient, where: Partial<Where>, blocks: Record<string, unknown>[], mrkdwn: string): Promise<void> {
    if (typeof where.channel !== 'string' || typeof where.ts !== 'string') return;
    try {
      await client.chat.update({ channel: where.channel, ts: where.ts, blocks: decidedBlocks(blocks, mrkdwn) as unknown as KnownBlock[], text: mrkdwn });
    } catch (err) {
      deps.log?.warn({ err }, 'approval recorded; updating the slack message failed');
    }
  }

  /** Records the decision and shows it in place of the buttons; a refusal (stale, forbidden) is shown there too. */
  async function decide(
    client: WebClient,
    c: { link: Link; view: ApprovalLinkView },
    note: string | undefined,
    where: Partial<Where>,
    blocks: Record<string, unknown>[],
  ) {
    let mrkdwn: string;
    try {
      const r = await decideApproval(
        { stores: deps.db.stores, clock: deps.clock },
        {
          approvalId: c.link.approvalId,
          decision: c.link.decision,
          note,
          approver: c.view.reader.key,
          actor: c.view.reader.key,
          via: 'slack',
          round: c.link.round,
        },
      );
      const outcome = outcomeText(r, c.view);
      mrkdwn = r.changed ? decidedSlackText({ decision: c.link.decision, note: note ?? null, title: c.view.title, outcome }) : escapeSlack(outcome);
    } catch (err) {
      if (!(err instanceof HeraldError) || err.retryable) throw err;
      mrkdwn = escapeSlack(err.code === 'APPROVAL_STALE' ? STALE : err.message);
    }
    await show(client, where, blocks, mrkdwn);
  }

  app.action<BlockAction<ButtonAction>>(new RegExp(`^${APPROVAL_ACTION_PREFIX}`), async ({ ack, body, action, client }) => {
    await ack();
    const where: Partial<Where> = { channel: body.channel?.id ?? body.container?.channel_id, ts: body.message?.ts ?? body.container?.message_ts };
    const c = await checked(client, action.value, body.user.id, where);
    if (!c) return;
    const blocks = (body.message?.blocks as Record<string, unknown>[] | undefined) ?? [];
    if (c.link.round !== c.view.round) return show(client, where, blocks, escapeSlack(STALE));
    if (c.view.state !== 'pending')
      return show(client, where, blocks, escapeSlack(outcomeText({ changed: false, state: c.view.state, released: 0, skipped: 0 }, c.view)));
    if (c.link.decision === 'approve') return decide(client, c, undefined, where, blocks);
    const meta: ModalMeta = { t: c.link.token, ...(where.channel ? { c: where.channel } : {}), ...(where.ts ? { ts: where.ts } : {}) };
    await Promise.all([
      where.ts ? deps.scratch.set(blocksKey(where.ts), JSON.stringify(blocks), 24 * 3600) : Promise.resolve(),
      client.views.open({ trigger_id: body.trigger_id, view: changesModal(c.view, meta) as never }),
    ]);
  });

  app.view({ callback_id: APPROVAL_CHANGES_CALLBACK, type: 'view_submission' }, async ({ ack, body, view: modal, client }) => {
    let meta: ModalMeta;
    try {
      meta = JSON.parse(modal.private_metadata) as ModalMeta;
    } catch {
      return ack();
    }
    const where: Partial<Where> = { channel: meta.c, ts: meta.ts };
    const reason = modal.state.values.reason?.reason?.value?.trim() ?? '';
    if (reason === '') return ack({ response_action: 'errors', errors: { reason: 'Say what should change: the project manager needs a reason to act on.' } });
    if (reason.length > APPROVAL_NOTE_MAX) return ack({ response_action: 'errors', errors: { reason: `At most ${APPROVAL_NOTE_MAX} characters are kept.` } });
    // Checked again: the modal's metadata comes back from the client.
    let link: Link;
    try {
      link = readLink(deps.secret, meta.t, deps.clock.now().getTime());
    } catch (err) {
      if (!(err instanceof HeraldError)) throw err;
      return ack({ response_action: 'errors', errors: { reason: err.message } });
    }
    const view = await deps.db.stores.retrying(() => approvalForLink(deps.db, { approvalId: link.approvalId, personId: link.personId }));
    if (view.reader.slackId !== body.user.id) return ack({ response_action: 'errors', errors: { reason: NOT_YOUR_APPROVAL } });
    await ack();
    const stored = where.ts ? await deps.scratch.get(blocksKey(where.ts)) : null;
    await decide(client, { link: { ...link, decision: 'reject' }, view }, reason, where, stored ? (JSON.parse(stored) as Record<string, unknown>[]) : []);
  });

  // A closed modal records nothing; it is acknowledged so Slack does not retry.
  app.view({ callback_id: APPROVAL_CHANGES_CALLBACK, type: 'view_closed' }, async ({ ack }) => {
    await ack();
  });
}

/** The request's blocks while its "Request changes" modal is open (the submission may reach another process). */
const blocksKey = (ts: string) => `slack:approval-blocks:${ts}`;
