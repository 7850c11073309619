import { NotFoundError } from '../domain/errors.ts';
import type { Plan } from '../domain/plan/model.ts';
import { ProjectCalendar } from '../domain/schedule/business-calendar.ts';
import type { SqlClient } from '../db/repo/sql-client.ts';

/**
 * Workers render thousands of messages from the same plan: keep each project's parsed plan
 * in memory and reload it only when the project's `updatedAt` says it changed.
 */
export class PlanCache {
  private readonly plans = new Map<string, { updatedAt: number; plan: Plan }>();
  private readonly calendars = new WeakMap<Plan, ProjectCalendar>();

  /** `db` reads a plan that is not cached; a caller inside a transaction passes its own to `get`. */
  constructor(private readonly db?: SqlClient) {}

  async get(projectId: string, updatedAt: Date, db: SqlClient | undefined = this.db): Promise<Plan> {
    const hit = this.plans.get(projectId);
    if (hit && hit.updatedAt === updatedAt.getTime()) return hit.plan;
    if (!db) throw new Error('PlanCache.get needs a database for a plan it has not cached');
    const [row] = await db.$queryRawUnsafe<Array<{ plan: Plan | string; updatedAt: Date | string }>>(
      `SELECT "plan","updatedAt" FROM "Project" WHERE "id"=$1::uuid`,
      projectId,
    );
    if (!row) throw new NotFoundError(`project ${projectId}`);
    const plan = typeof row.plan === 'string' ? (JSON.parse(row.plan) as Plan) : row.plan;
    this.plans.set(projectId, { updatedAt: new Date(row.updatedAt).getTime(), plan });
    return plan;
  }

  /** The plan's business calendar, built once per plan (computing its public holidays takes milliseconds). */
  calendar(plan: Plan): ProjectCalendar {
    let c = this.calendars.get(plan);
    if (!c) this.calendars.set(plan, (c = new ProjectCalendar(plan.project)));
    return c;
  }
}
