/** Rate-limit figures from the instants a provider saw sends at (sorted, ms), for tests and `bench:delivery`. */

/**
 * How close a backlog came to the allowed rate: the earliest the last send could have started
 * (one window after the send `max` places before it), over when it did, both from the first.
 */
export function backlogFidelity(started: readonly number[], max: number, windowMs: number): number {
  if (started.length <= max) return NaN;
  const first = started[0]!;
  const earliestLast = started[started.length - 1 - max]! + windowMs;
  return (earliestLast - first) / (started.at(-1)! - first);
}

/** Pairs of sends `max` places apart that are closer than the window (each is one send too many in some window). */
export function windowOverruns(started: readonly number[], max: number, windowMs: number, toleranceMs = 0): number {
  let n = 0;
  for (let i = 0; i + max < started.length; i++) if (started[i + max]! - started[i]! < windowMs - toleranceMs) n++;
  return n;
}
