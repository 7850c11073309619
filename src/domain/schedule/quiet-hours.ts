import type { ProjectSpec } from '../plan/model.ts';
import { instantToWall, parseWallTime, wallToInstant } from './zone-time.ts';

/** A recipient-local window, as milliseconds since local midnight; start > end wraps midnight. */
export interface QuietWindow {
  start: number;
  end: number;
}

export function quietWindowOf(project: ProjectSpec): QuietWindow | undefined {
  if (!project.quietHours) return undefined;
  const start = parseWallTime(project.quietHours.start);
  const end = parseWallTime(project.quietHours.end);
  return start === end ? undefined : { start, end };
}

/**
 * Moves an instant that falls inside the quiet window (in `zone`) to the window's end.
 * The start is inside the window and the end is not. Never moves a message earlier: when the end's
 * wall time repeats (DST overlap) and its first instant is already past, the second one is used.
 * When the end's wall time is skipped by a clock change, the moved time can land inside a window
 * that covers nearly the whole day; it is then pushed again, to the next day's end.
 */
export function pushOutOfQuietHours(zone: string, instant: number, window: QuietWindow | undefined): number {
  if (!window) return instant;
  let at = instant;
  for (let guard = 0; guard < 3; guard++) {
    const next = pushOnce(zone, at, window);
    if (next === at) return at;
    at = next;
  }
  return at;
}

function pushOnce(zone: string, instant: number, window: QuietWindow): number {
  const { epochDay, msOfDay } = instantToWall(zone, instant);
  let endDay: number;
  if (window.start < window.end) {
    if (msOfDay < window.start || msOfDay >= window.end) return instant;
    endDay = epochDay;
  } else if (msOfDay >= window.start) {
    endDay = epochDay + 1;
  } else if (msOfDay < window.end) {
    endDay = epochDay;
  } else {
    return instant;
  }
  const pushed = wallToInstant(zone, endDay, window.end);
  return pushed >= instant ? pushed : wallToInstant(zone, endDay, window.end, 'later');
}
