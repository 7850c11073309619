import type { Clock } from '../app/ports.ts';

/**
 * The demo's clock: starts at `startAt` and runs `speed` times faster than the wall clock.
 * Every part of the demo (scheduler, sweepers, answer pages, Slack clicks, inbound mail) gets
 * this one instance, so the story plays in minutes while the core still just takes `now`.
 */
export interface DemoClock extends Clock {
  readonly speed: number;
  readonly startAt: Date;
}

export function demoClock(startAt: Date, speed: number, wall: () => number = Date.now): DemoClock {
  const wallStart = wall();
  return {
    speed,
    startAt,
    now: () => new Date(startAt.getTime() + (wall() - wallStart) * speed),
  };
}
