/**
 * What a milestone move does to the project's story: moving the cutover after go-live sends the
 * hypercare check-ins (anchored on go-live) before anyone's mailbox moved. The move is allowed; the
 * PM is told, in the CLI, the API and the dashboard's dry run.
 */
import type { Plan } from '../plan/model.ts';
import { commTitle } from '../plan/comm-title.ts';
import { commMilestones } from './calendar.ts';
import { milestoneInstant } from './milestones.ts';

const label = (plan: Plan, key: string): string => plan.milestones.find((m) => m.key === key)?.label ?? key;
const when = (plan: Plan, key: string): string => milestoneInstant(plan, key).toFormat('ccc d LLL yyyy HH:mm ZZZZ');

/** One sentence per milestone whose order with `moved` changes between `before` and `after`. */
export function milestoneOrderWarnings(before: Plan, after: Plan, moved: string): string[] {
  const out: string[] = [];
  const b0 = milestoneInstant(before, moved).toMillis();
  const a0 = milestoneInstant(after, moved).toMillis();
  for (const m of after.milestones) {
    if (m.key === moved) continue;
    const b = Math.sign(b0 - milestoneInstant(before, m.key).toMillis());
    const a = Math.sign(a0 - milestoneInstant(after, m.key).toMillis());
    if (a === b || a === 0) continue;
    const first = a > 0 ? m.key : moved;
    const second = a > 0 ? moved : m.key;
    // Comms that follow the milestone now first in time (positive offsets) go out before the other one happens.
    const following = after.comms.filter((c) => c.schedule && commMilestones(c).includes(first)).map((c) => commTitle(c, c.key));
    out.push(
      `${label(after, moved)} (${when(after, moved)}) now comes ${a > 0 ? 'after' : 'before'} ${label(after, m.key)} (${when(after, m.key)})` +
        `; it was ${b > 0 ? 'after' : 'before'} it.` +
        (following.length
          ? ` Comms anchored on ${label(after, first)} (${following.slice(0, 4).join(', ')}${following.length > 4 ? ', …' : ''})` +
            ` may now go out before ${label(after, second)}: check the plan reads in the right order.`
          : ''),
    );
  }
  return out;
}
