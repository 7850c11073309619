import type { Config } from '../config/config.ts';
import { capacityLimits } from '../domain/capacity/limits.ts';
import { capacityWarnings } from '../domain/capacity/waves.ts';
import type { PlanIssue } from '../domain/errors.ts';
import type { Occurrence } from '../domain/schedule/occurrence.ts';
import type { LoadedPlan } from './load-plan.ts';

type CapacityConfig = Pick<Config, 'EMAIL_RATE_PER_MINUTE' | 'EMAIL_RECIPIENTS_PER_DAY' | 'SLACK_WORKSPACE_RATE_PER_MINUTE' | 'CAPACITY_WARN_MINUTES'>;

/**
 * Checks a plan's send waves against the configured provider limits. Each warning points at its
 * comm's line in the plan; warnings never fail validation.
 */
export function planCapacityIssues(
  loaded: Pick<LoadedPlan, 'plan' | 'commAt'>,
  occurrences: readonly Occurrence[],
  config: CapacityConfig,
  now: Date,
): PlanIssue[] {
  return capacityWarnings(loaded.plan, occurrences, capacityLimits(config), { now, warnAfterMs: config.CAPACITY_WARN_MINUTES * 60_000 }).map((w) => {
    const at = loaded.commAt.get(w.comm);
    return { file: at?.file ?? '', line: at?.line ?? 1, path: at ? `${at.path} (${w.comm})` : w.comm, message: w.message };
  });
}
