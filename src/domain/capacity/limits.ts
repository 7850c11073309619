import type { Channel } from '../plan/model.ts';

/** At most `max` sends in any `ms` milliseconds (a sliding window), named by the setting it comes from. */
export interface RateWindow {
  max: number;
  ms: number;
  /** The environment variable that sets it, for warnings: "EMAIL_RATE_PER_MINUTE". */
  setting: string;
}

export interface ChannelCapacity {
  /** Every window applies at once; a send waits until all of them have room. */
  windows: RateWindow[];
  /** Least time between two sends to the same person (Slack: one message a second per conversation). */
  perConversationMs?: number;
}

export type CapacityLimits = Record<Channel, ChannelCapacity>;

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/**
 * The provider limits Herald plans against (README "Capacity"): Exchange Online accepts 30
 * messages a minute and 10,000 recipients in a rolling 24 hours per mailbox; Slack's
 * chat.postMessage allows about one message a second per conversation and "several hundred" a
 * minute per workspace.
 */
export function capacityLimits(cfg: {
  EMAIL_RATE_PER_MINUTE: number;
  EMAIL_RECIPIENTS_PER_DAY: number;
  SLACK_WORKSPACE_RATE_PER_MINUTE: number;
}): CapacityLimits {
  return {
    email: {
      windows: [
        { max: cfg.EMAIL_RATE_PER_MINUTE, ms: MINUTE_MS, setting: 'EMAIL_RATE_PER_MINUTE' },
        // Herald sends one message per recipient, so recipients a day are messages a day.
        { max: cfg.EMAIL_RECIPIENTS_PER_DAY, ms: DAY_MS, setting: 'EMAIL_RECIPIENTS_PER_DAY' },
      ],
    },
    slack: {
      windows: [{ max: cfg.SLACK_WORKSPACE_RATE_PER_MINUTE, ms: MINUTE_MS, setting: 'SLACK_WORKSPACE_RATE_PER_MINUTE' }],
      perConversationMs: 1000,
    },
  };
}
