import type { Channel } from '../plan/model.ts';
import type { CapacityLimits } from './limits.ts';

export interface QueuedSend {
  channel: Channel;
  /** Whose conversation it is (per-conversation pacing). */
  personId: string;
  /** Due instant, epoch ms. */
  dueAt: number;
  /** Whose allowance it uses within its channel: e-mail's sender mailbox (each has its own limits). Absent: the channel's one. */
  pool?: string;
}

export interface SendEstimate {
  /** Expected send instant, epoch ms: never before the due instant. */
  at: number;
  /** The setting whose window last held this send back, if one did ("EMAIL_RATE_PER_MINUTE"). */
  heldBy?: string;
}

/**
 * When each message is expected to leave, given the channel limits. Sends go out in due order
 * (the order the sweeper queues them): a send waits until every window of its channel has room,
 * and never overtakes an earlier one, so a wave that falls due while an earlier wave is still
 * draining queues behind it. Within the allowance a burst leaves at once (10 emails at 30 a minute
 * all leave at their due instant; the 31st a minute later), as a sliding-window limiter allows.
 *
 * The windows hold per pool: two e-mail sender mailboxes each get the whole allowance.
 *
 * `sends` must be sorted by due instant; `now` (epoch ms) is the earliest anything can leave.
 */
export function expectedSendTimes(sends: readonly QueuedSend[], limits: CapacityLimits, now = Number.NEGATIVE_INFINITY): SendEstimate[] {
  const state = new Map<string, { slots: number[]; conversations: Map<string, number> }>();
  return sends.map((s) => {
    // Each channel, and within it each pool (an e-mail sender mailbox), has its own windows and its own queue.
    const key = s.pool ? `${s.channel}\u0000${s.pool}` : s.channel;
    let st = state.get(key);
    if (!st) state.set(key, (st = { slots: [], conversations: new Map() }));
    const cap = limits[s.channel];
    const { slots } = st;
    let at = Math.max(s.dueAt, now);
    let heldBy: string | undefined;
    for (const w of cap.windows) {
      // Slots are in order, so the max-th most recent one decides whether the window has room.
      const oldest = slots.length >= w.max ? slots[slots.length - w.max]! + w.ms : Number.NEGATIVE_INFINITY;
      if (oldest > at) {
        at = oldest;
        heldBy = w.setting;
      }
    }
    // First in, first out: never before the send queued ahead of it.
    at = Math.max(at, slots[slots.length - 1] ?? Number.NEGATIVE_INFINITY);
    slots.push(at);
    // Per-conversation pacing delays only that person's message; the queue moves on to others.
    if (cap.perConversationMs !== undefined) {
      const last = st.conversations.get(s.personId);
      if (last !== undefined && last + cap.perConversationMs > at) at = last + cap.perConversationMs;
      st.conversations.set(s.personId, at);
    }
    return heldBy === undefined ? { at } : { at, heldBy };
  });
}
