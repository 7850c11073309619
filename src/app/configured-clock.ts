import type { Config } from '../config/config.ts';
import { systemClock, type Clock } from './ports.ts';

/**
 * A clock that reads `startAt` when created and then runs at wall-clock speed, so workers and
 * sweepers still progress while fixture plans with absolute dates stay in the future.
 */
export function shiftedClock(startAt: Date, wallNow: () => number = Date.now): Clock {
  const offset = startAt.getTime() - wallNow();
  return { now: () => new Date(wallNow() + offset) };
}

/** The system clock, or HERALD_TEST_NOW's shifted clock when that test-only setting is given. */
export function configuredClock(config: Pick<Config, 'HERALD_TEST_NOW'>): Clock {
  return config.HERALD_TEST_NOW ? shiftedClock(new Date(config.HERALD_TEST_NOW)) : systemClock;
}

/** The warning printed whenever HERALD_TEST_NOW is set, so nobody runs production with it. */
export function testClockWarning(config: Pick<Config, 'HERALD_TEST_NOW'>): string | undefined {
  if (!config.HERALD_TEST_NOW) return undefined;
  return `HERALD_TEST_NOW is set: Herald's clock starts at ${config.HERALD_TEST_NOW}, not the real time. It is for tests only; unset it in production.`;
}
