import { randomBytes } from 'node:crypto';

/**
 * A test run's id: 7 base-36 digits of the start second, then random hex. The time part lets a
 * later run recognise databases and Redis keys that a crashed run left behind.
 */
export function newRunId(now: number = Date.now()): string {
  return (
    Math.floor(now / 1000)
      .toString(36)
      .padStart(7, '0') + randomBytes(3).toString('hex')
  );
}

/** Start time of the run that made `runId`, or undefined if it is not one of ours. */
export function runStartedAt(runId: string): number | undefined {
  if (!/^[0-9a-z]{7}[0-9a-f]{6}$/.test(runId)) return undefined;
  return Number.parseInt(runId.slice(0, 7), 36) * 1000;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** PostgreSQL databases of a run: `herald_t_<runid>_tpl` and `herald_t_<runid>_<suffix>`. */
export const dbPrefix = (runId: string) => `herald_t_${runId}_`;
/** Redis key prefixes of a run: `herald-t-<runid>-<pid>-<n>`. */
export const redisPrefixOf = (runId: string) => `herald-t-${runId}-`;

export const PG_ADMIN_URL = process.env.HERALD_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.HERALD_TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
