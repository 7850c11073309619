/**
 * Slack interactivity's listeners, registered on the Bolt app the composition root builds
 * (src/main/slack.ts): survey buttons and modals (interactions.ts), escalation actions
 * (escalation-actions.ts), approval decisions (approval-actions.ts). They are the same over HTTP and over Socket Mode.
 */
import type { App } from '@slack/bolt';
import { registerApprovalActions } from './approval-actions.ts';
import { registerEscalationActions } from './escalation-actions.ts';
import { registerInteractions, type InteractionDeps } from './interactions.ts';

export function registerSlackListeners(app: App, deps: InteractionDeps): void {
  registerInteractions(app, deps);
  registerEscalationActions(app, deps);
  registerApprovalActions(app, deps);
}
