import { NotFoundError, HeraldError } from '../domain/errors.ts';
import type { Plan } from '../domain/plan/model.ts';
import { ProjectCalendar } from '../domain/schedule/business-calendar.ts';
import type { ProjectStore } from './ports.ts';

/** Where the cache reads a plan it does not hold. */
export type PlanSource = Pick<ProjectStore, 'planById'>;

/**
 * Workers render thousands of messages from the same plan: keep each project's parsed plan
 * in memory and reload it only when the project's `updatedAt` says it changed.
 */
export class PlanCache {
  private readonly plans = new Map<string, { updatedAt: number; plan: Plan }>();
  /** Reads under way, so jobs that miss at once (a cold worker, a re-applied plan) share one read and decode. */
  private readonly loading = new Map<string, { updatedAt: number; plan: Promise<Plan> }>();
  private readonly calendars = new WeakMap<Plan, ProjectCalendar>();

  /** `source` reads a plan that is not cached; a caller inside a transaction passes its own to `get`. */
  constructor(private readonly source?: PlanSource) {}

  async get(projectId: string, updatedAt: Date, source: PlanSource | undefined = this.source): Promise<Plan> {
    const hit = this.plans.get(projectId);
    if (hit && hit.updatedAt === updatedAt.getTime()) return hit.plan;
    if (!source) throw new HeraldError('INTERNAL', 'PlanCache.get needs a database for a plan it has not cached');
    // A caller in a transaction reads through its own source (it may see a plan not yet committed).
    if (source !== this.source) return this.load(projectId, source);
    const pending = this.loading.get(projectId);
    if (pending && pending.updatedAt === updatedAt.getTime()) return pending.plan;
    const plan = this.load(projectId, source);
    const entry = { updatedAt: updatedAt.getTime(), plan };
    this.loading.set(projectId, entry);
    const forget = (): void => {
      if (this.loading.get(projectId) === entry) this.loading.delete(projectId);
    };
    plan.then(forget, forget);
    return plan;
  }

  private async load(projectId: string, source: PlanSource): Promise<Plan> {
    const row = await source.planById(projectId);
    if (!row) throw new NotFoundError(`project ${projectId}`);
    this.plans.set(projectId, { updatedAt: row.updatedAt.getTime(), plan: row.plan });
    return row.plan;
  }

  /** The plan's business calendar, built once per plan (computing its public holidays takes milliseconds). */
  calendar(plan: Plan): ProjectCalendar {
    let c = this.calendars.get(plan);
    if (!c) this.calendars.set(plan, (c = new ProjectCalendar(plan.project)));
    return c;
  }
}
