/** What POST /plans and POST /projects/:p/rollback answer: the apply's calendar change, as `herald apply` prints it. */
import { z } from 'zod';
import type { ApplyResult } from '../../../app/apply-plan.ts';
import { Summary } from './common.ts';

export const ApplyAnswer = z.object({
  project: z.string(),
  dryRun: z.boolean(),
  calendar: Summary,
  milestonesMoved: z.array(z.object({ key: z.string(), from: z.string(), to: z.string() })),
  warnings: z.array(z.unknown()),
});

export function applyAnswer(r: ApplyResult, warnings: readonly unknown[]): z.infer<typeof ApplyAnswer> {
  return {
    project: r.project,
    dryRun: r.dryRun,
    calendar: r.calendar as unknown as Record<string, unknown>,
    milestonesMoved: r.milestonesMoved.map((m) => ({ key: m.key, from: m.from.toISOString(), to: m.to.toISOString() })),
    warnings: [...warnings],
  };
}
