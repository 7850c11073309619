import type { MilestoneLine, MovedMilestone } from './model.ts';
import type { DigestMilestone } from './snapshot.ts';
import { inWindow, type DigestWindow } from './week.ts';

const DAY_MS = 86_400_000;
/** How far ahead "due" looks. */
export const DUE_AHEAD_DAYS = 14;

const byAt = (a: { at: Date }, b: { at: Date }): number => a.at.getTime() - b.at.getTime();

function line(m: DigestMilestone): MilestoneLine {
  return { key: m.key, label: m.label, at: m.at.toISOString(), doneAt: m.doneAt?.toISOString() };
}

/** The first planned instant: where the earliest recorded move started from, else where it is now. */
export function baselineOf(m: DigestMilestone): Date {
  const first = [...m.moves].sort((a, b) => a.movedAt.getTime() - b.movedAt.getTime())[0];
  return first ? first.fromAt : m.at;
}

export function milestoneSections(
  milestones: readonly DigestMilestone[],
  window: DigestWindow,
): {
  done: MilestoneLine[];
  due: MilestoneLine[];
  moved: MovedMilestone[];
} {
  const { from, to } = window;
  const horizon = new Date(to.getTime() + DUE_AHEAD_DAYS * DAY_MS);
  const done = milestones
    .filter((m) => inWindow(m.doneAt, from, to))
    .sort(byAt)
    .map(line);
  const due = milestones
    .filter((m) => !m.doneAt && inWindow(m.at, to, horizon))
    .sort(byAt)
    .map(line);
  // Moved milestones stay listed until done (done this week still shows how far it slipped).
  const moved = milestones
    .filter((m) => m.moves.length > 0 && (!m.doneAt || m.doneAt.getTime() >= from.getTime()))
    .map((m): MovedMilestone & { sort: number } => {
      const baseline = baselineOf(m);
      const movedThisWeek = m.moves.some((mv) => inWindow(mv.movedAt, from, to));
      return {
        key: m.key,
        label: m.label,
        baseline: baseline.toISOString(),
        current: m.at.toISOString(),
        moves: m.moves.length,
        movedThisWeek,
        slipDays: Math.round((m.at.getTime() - baseline.getTime()) / DAY_MS),
        done: m.doneAt !== undefined,
        sort: m.at.getTime(),
      };
    })
    .sort((a, b) => Number(b.movedThisWeek) - Number(a.movedThisWeek) || a.sort - b.sort)
    .map(({ sort: _sort, ...rest }) => rest);
  return { done, due, moved };
}
