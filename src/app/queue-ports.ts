/**
 * What the rest of Herald needs of the job queues, declared here and implemented in jobs/ (the
 * queues, their payload schemas and retry policies are in jobs/catalogue.ts), so that src/http
 * and src/app never import jobs/.
 */
import type { SlackClick } from './record-slack-click.ts';

/** One Slack answer held in the click queue: the click (checked against the message's recipient when recorded), and what is needed to show it. */
export interface ClickPayload extends SlackClick {
  /** The clicked message's blocks, to replace its survey by the answer (absent for a modal: the listener kept them in scratch). */
  blocks?: Array<Record<string, unknown>> | undefined;
  /** The clicked message's place, when the send did not store it. */
  where?: { channel: string; ts: string } | undefined;
}

/** A click written to the queue: the listener either records it and releases it, or hands it to the queue now. */
export interface HeldClick {
  /** Recorded on the fast path: the job is not needed. */
  release(): Promise<void>;
  /** Recording failed: let the queue retry it now rather than after the grace period. */
  retryNow(): Promise<void>;
}

/** The durable click queue as the Slack listeners see it (jobs/record-click.ts implements it). */
export interface ClickQueue {
  /** Resolves once the click is stored durably: only then may Slack be acked. */
  hold(click: ClickPayload): Promise<HeldClick>;
}
