import { explainKey } from '../schedule/explain.ts';
import type { Occurrence } from '../schedule/occurrence.ts';

export type MessageStatus = 'planned' | 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'skipped' | 'held';

/** Statuses a re-plan may still change: nothing has been handed to a channel yet. */
export const PENDING: ReadonlySet<MessageStatus> = new Set(['planned', 'queued']);

export interface ExistingMessage {
  id: string;
  key: string;
  dueAt: Date;
  status: MessageStatus;
  seriesItem: string | null;
  /** The stored explanation's key; null on rows stored before explanations were. */
  explainHash?: string | null;
}

export interface PlannedAdd {
  occurrence: Occurrence;
  status: 'planned' | 'skipped';
  /** Set when a cancelled row comes back instead of a new row being inserted. */
  reinstateId?: string;
}

export interface PlannedMove {
  id: string;
  occurrence: Occurrence;
  from: Date;
  /** The status before the move: a `queued` one has a job in Redis to drop. */
  previous: MessageStatus;
  status: 'planned' | 'skipped';
}

export interface CalendarDiff {
  add: PlannedAdd[];
  move: PlannedMove[];
  cancel: ExistingMessage[];
  unchanged: number;
  /** Unchanged pending messages whose explanation changed (a rule changed, the time did not): counted as unchanged. */
  reexplain: { id: string; occurrence: Occurrence }[];
}

/**
 * Compares the calendar a plan wants with the messages already stored.
 * Sent, sending and failed messages are history: never moved, re-sent or cancelled.
 * A message whose (new) time has already passed follows the plan's catch-up policy:
 * `skip` marks it skipped, `send` keeps it planned so the queue sends it at once.
 */
export function diffCalendar(
  desired: readonly Occurrence[],
  existing: readonly ExistingMessage[],
  opts: { now: Date; catchUp: 'skip' | 'send' },
): CalendarDiff {
  const nowMs = opts.now.getTime();
  const statusFor = (o: Occurrence): 'planned' | 'skipped' => (o.dueAt.getTime() < nowMs && opts.catchUp === 'skip' ? 'skipped' : 'planned');

  const byKey = new Map<string, ExistingMessage>();
  for (const m of existing) byKey.set(m.key, m);

  const diff: CalendarDiff = { add: [], move: [], cancel: [], unchanged: 0, reexplain: [] };
  const wanted = new Set<string>();
  for (const o of desired) {
    wanted.add(o.key);
    const m = byKey.get(o.key);
    if (!m) {
      diff.add.push({ occurrence: o, status: statusFor(o) });
      continue;
    }
    const sameTime = m.dueAt.getTime() === o.dueAt.getTime() && (m.seriesItem ?? undefined) === o.seriesItem;
    if (m.status === 'cancelled') {
      diff.add.push({ occurrence: o, status: statusFor(o), reinstateId: m.id });
    } else if (replannable(m.status)) {
      if (sameTime) {
        diff.unchanged++;
        if (m.explainHash !== undefined && m.explainHash !== explainKey(o.explain).hash) diff.reexplain.push({ id: m.id, occurrence: o });
      } else diff.move.push({ id: m.id, occurrence: o, from: m.dueAt, previous: m.status, status: statusFor(o) });
    } else {
      diff.unchanged++;
    }
  }
  for (const m of existing) {
    if (!wanted.has(m.key) && replannable(m.status)) diff.cancel.push(m);
  }
  return diff;
}

/** Not sent and not being sent: a re-plan may move or cancel it (a held one goes back to the calendar at its new time). */
function replannable(status: MessageStatus): boolean {
  return PENDING.has(status) || status === 'skipped' || status === 'held';
}

/** Ids of moved or cancelled messages that already had a queue job: the queue should drop those jobs. */
export function queuedChanges(diff: CalendarDiff): string[] {
  return [...diff.move.filter((m) => m.previous === 'queued').map((m) => m.id), ...diff.cancel.filter((c) => c.status === 'queued').map((c) => c.id)];
}
