import type { Plan } from '../domain/plan/model.ts';
import type { SqlClient } from '../db/repo/sql-client.ts';

/**
 * Workers render thousands of messages from the same plan: keep each project's parsed plan
 * in memory and reload it only when the project's `updatedAt` says it changed.
 */
export class PlanCache {
  private readonly plans = new Map<string, { updatedAt: number; plan: Plan }>();

  constructor(private readonly db: SqlClient) {}

  async get(projectId: string, updatedAt: Date): Promise<Plan> {
    const hit = this.plans.get(projectId);
    if (hit && hit.updatedAt === updatedAt.getTime()) return hit.plan;
    const [row] = await this.db.$queryRawUnsafe<Array<{ plan: Plan | string; updatedAt: Date | string }>>(
      `SELECT "plan","updatedAt" FROM "Project" WHERE "id"=$1::uuid`,
      projectId,
    );
    if (!row) throw new Error(`project ${projectId} vanished`);
    const plan = typeof row.plan === 'string' ? (JSON.parse(row.plan) as Plan) : row.plan;
    this.plans.set(projectId, { updatedAt: new Date(row.updatedAt).getTime(), plan });
    return plan;
  }
}
