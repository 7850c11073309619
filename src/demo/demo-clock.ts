import type { Clock } from '../app/ports.ts';

/**
 * The demo's clock: shows `startAt` until start() is called, then runs `speed` times faster than
 * the wall clock. Every part of the demo (scheduler, sweepers, answer pages, Slack clicks,
 * inbound mail) gets this one instance, so the story plays in minutes while the core still just
 * takes `now`. Held until everything listens, so seconds of start-up (migrations, connections)
 * do not become minutes of story that would then be skipped as missed.
 */
export interface DemoClock extends Clock {
  readonly speed: number;
  readonly startAt: Date;
  start(): void;
  /** The demo time at wall-clock instant `wallMs` (the sandboxes stamp what they record by the wall clock). */
  at(wallMs: number): Date;
}

export function demoClock(startAt: Date, speed: number, wall: () => number = Date.now): DemoClock {
  let wallStart: number | undefined;
  // Before start(), and for instants before it, the story has not moved: demo time is startAt.
  const at = (wallMs: number): Date => new Date(startAt.getTime() + (wallStart === undefined ? 0 : Math.max(0, wallMs - wallStart) * speed));
  return {
    speed,
    startAt,
    start: () => void (wallStart ??= wall()),
    now: () => at(wall()),
    at,
  };
}
