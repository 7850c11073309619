/**
 * Interaction payloads shaped as Slack sends them (block_actions, view_submission, view_closed),
 * and request signing with a signing secret, for tests, benchmarks and the demo to drive
 * `POST /slack/events` and Socket Mode exactly as Slack would.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const SANDBOX_TEAM = { id: 'T0SANDBOX', domain: 'herald-sandbox' };

export interface ClickedMessage {
  channel: string;
  ts: string;
  blocks?: unknown[];
  text?: string;
}

let counter = 0;
const uniq = () => `${Date.now()}${String(++counter).padStart(6, '0')}`;

export function blockActions(opts: {
  user: string;
  message: ClickedMessage;
  actionId: string;
  value: string;
  blockId?: string;
  actionTs?: string;
  triggerId?: string;
}): Record<string, unknown> {
  const actionTs = opts.actionTs ?? `${Math.floor(Date.now() / 1000)}.${String(++counter).padStart(6, '0')}`;
  return {
    type: 'block_actions',
    user: { id: opts.user, username: opts.user.toLowerCase(), name: opts.user.toLowerCase(), team_id: SANDBOX_TEAM.id },
    api_app_id: 'A0SANDBOX',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: opts.message.ts, channel_id: opts.message.channel, is_ephemeral: false },
    trigger_id: opts.triggerId ?? `${uniq()}.${randomBytes(6).toString('hex')}`,
    team: SANDBOX_TEAM,
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: opts.message.channel, name: 'directmessage' },
    message: { type: 'message', user: 'U0HERALD', bot_id: 'B0HERALD', ts: opts.message.ts, text: opts.message.text ?? '', blocks: opts.message.blocks ?? [] },
    state: { values: {} },
    response_url: 'https://hooks.slack.invalid/actions/T0SANDBOX/1/x',
    actions: [
      {
        type: 'button',
        action_id: opts.actionId,
        block_id: opts.blockId ?? 'herald_survey',
        value: opts.value,
        text: { type: 'plain_text', text: opts.actionId },
        action_ts: actionTs,
      },
    ],
  };
}

interface OpenedView {
  id: string;
  callback_id: string;
  private_metadata: string;
  blocks?: unknown[];
}

function viewBody(view: OpenedView, values: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return {
    id: view.id,
    team_id: SANDBOX_TEAM.id,
    type: 'modal',
    callback_id: view.callback_id,
    private_metadata: view.private_metadata,
    blocks: view.blocks ?? [],
    state: { values },
    hash: `${uniq()}.${randomBytes(4).toString('hex')}`,
    app_id: 'A0SANDBOX',
    bot_id: 'B0HERALD',
  };
}

/** A modal submitted with `comment` typed into its text input (block and action id `field`, default `comment`). */
export function viewSubmission(opts: { user: string; view: OpenedView; comment: string | null; field?: string }): Record<string, unknown> {
  const field = opts.field ?? 'comment';
  return {
    type: 'view_submission',
    team: SANDBOX_TEAM,
    user: { id: opts.user, username: opts.user.toLowerCase(), name: opts.user.toLowerCase(), team_id: SANDBOX_TEAM.id },
    api_app_id: 'A0SANDBOX',
    token: 'legacy-verification-token',
    trigger_id: `${uniq()}.${randomBytes(6).toString('hex')}`,
    view: viewBody(opts.view, { [field]: { [field]: { type: 'plain_text_input', value: opts.comment } } }),
    response_urls: [],
    is_enterprise_install: false,
  };
}

export function viewClosed(opts: { user: string; view: OpenedView }): Record<string, unknown> {
  return {
    type: 'view_closed',
    team: SANDBOX_TEAM,
    user: { id: opts.user, username: opts.user.toLowerCase(), name: opts.user.toLowerCase(), team_id: SANDBOX_TEAM.id },
    api_app_id: 'A0SANDBOX',
    token: 'legacy-verification-token',
    view: viewBody(opts.view, {}),
    is_cleared: false,
    is_enterprise_install: false,
  };
}

/** The form body Slack posts for interactivity: `payload=<json>`. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Slack's v0 request signature headers for a body, at `timestampS` (default now). */
export function slackSignatureHeaders(signingSecret: string, body: string, timestampS = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = createHmac('sha256', signingSecret).update(`v0:${timestampS}:${body}`).digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestampS),
    'x-slack-signature': `v0=${sig}`,
  };
}
