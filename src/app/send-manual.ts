import { HeraldError, NotFoundError } from '../domain/errors.ts';
import type { StoreDeps } from './ports.ts';
import { fireTrigger } from './fire-trigger.ts';

/**
 * Fires a `manual` comm: one new occurrence for every recipient, due now (pushed out of
 * each person's quiet hours unless `ignoreQuietHours`). The worker's sweeper sends it.
 */
export async function sendManual(
  { stores }: StoreDeps,
  input: { project: string; comm: string; now: Date; ignoreQuietHours: boolean; actor?: string },
): Promise<{ count: number; occurrence: number }> {
  return stores.transaction(
    async (tx) => {
      const stored = await tx.projects.load(input.project);
      const comm = stored.plan.comms.find((c) => c.key === input.comm);
      if (!comm) throw new NotFoundError(`comm "${input.comm}" in project ${input.project}`, `comms: ${stored.plan.comms.map((c) => c.key).join(', ')}`);
      if (comm.trigger?.type !== 'manual') {
        throw new HeraldError('NOT_MANUAL', `comm "${input.comm}" is not a manual comm`, {
          hint: `give it "trigger: manual" in the plan; manual comms here: ${
            stored.plan.comms
              .filter((c) => c.trigger?.type === 'manual')
              .map((c) => c.key)
              .join(', ') || 'none'
          }`,
        });
      }
      const plan = input.ignoreQuietHours ? { ...stored.plan, project: { ...stored.plan.project, quietHours: undefined } } : stored.plan;
      const ids = { projectId: stored.projectId, person: stored.personIds, comm: stored.commIds };
      const fired = await fireTrigger(tx, plan, ids, { type: 'manual', comm: comm.key }, input.now);
      const occurrence = await tx.calendar.lastOccurrence(stored.commIds.get(comm.key)!);
      const count = fired?.added ?? 0;
      await tx.audit.append({
        at: input.now,
        actor: input.actor ?? 'herald',
        action: 'message.sent-manually',
        projectKey: input.project,
        ref: `${comm.key}#${occurrence}`,
        detail: { messages: count, ignoreQuietHours: input.ignoreQuietHours },
      });
      return { count, occurrence };
    },
    { bulk: true },
  );
}
