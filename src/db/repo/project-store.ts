/**
 * A project's stored plan and the ids of its people and comms. Raw SQL because loadProject runs
 * inside apply's driver-level transaction (move-milestone, send-manual and trigger firings load
 * the plan in it; see plan-store.ts for the bench:plan figures), and planById is the worker's
 * PlanCache read on the delivery path, which never makes a Prisma client (bench:cli: an unused
 * client costs an idle worker ~4 MiB; bench:delivery: 1.16 ms of worker CPU per message).
 */
import type { Plan } from '../../domain/plan/model.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { StoredProject } from '../../app/ports.ts';
import { decodePlan } from './json-columns.ts';
import type { SqlClient } from './sql-client.ts';

/** Loads a project's last applied plan and the ids its rows were stored under. */
/** The id of a project, without its plan (a 10,000-person plan is megabytes of JSON to parse). */
export async function projectIdOf(db: SqlClient, projectKey: string): Promise<string> {
  const [row] = await db.$queryRawUnsafe<Array<{ id: string }>>(`SELECT "id" FROM "Project" WHERE "key"=$1`, projectKey);
  if (row) return row.id;
  return (await loadProject(db, projectKey)).projectId; // throws the NotFoundError naming the known projects
}

export async function loadProject(db: SqlClient, projectKey: string): Promise<StoredProject> {
  const [row] = await db.$queryRawUnsafe<Array<{ id: string; plan: unknown }>>(`SELECT "id","plan" FROM "Project" WHERE "key"=$1`, projectKey);
  if (!row) {
    const known = await db.$queryRawUnsafe<Array<{ key: string }>>(`SELECT "key" FROM "Project" ORDER BY "key" LIMIT 20`);
    throw new NotFoundError(
      `project "${projectKey}"`,
      known.length ? `known projects: ${known.map((k) => k.key).join(', ')}` : 'apply a plan first: herald apply PLAN',
    );
  }
  const plan = decodePlan(row.plan);
  const people = await db.$queryRawUnsafe<Array<{ id: string; key: string }>>(`SELECT "id","key" FROM "Person" WHERE "projectId"=$1::uuid`, row.id);
  const comms = await db.$queryRawUnsafe<Array<{ id: string; key: string }>>(`SELECT "id","key" FROM "Comm" WHERE "projectId"=$1::uuid`, row.id);
  return {
    projectId: row.id,
    plan,
    personIds: new Map(people.map((p) => [p.key, p.id])),
    commIds: new Map(comms.map((c) => [c.key, c.id])),
  };
}

export async function savePlanJson(db: SqlClient, projectId: string, plan: Plan): Promise<void> {
  await db.$executeRawUnsafe(`UPDATE "Project" SET "plan"=$2::jsonb, "updatedAt"=now() WHERE "id"=$1::uuid`, projectId, JSON.stringify(plan));
}

/** Read for PlanCache on the worker's hot path (bench:delivery): one indexed row, no Prisma client needed. */
export async function planById(db: SqlClient, projectId: string): Promise<{ plan: Plan; updatedAt: Date } | undefined> {
  const [row] = await db.$queryRawUnsafe<Array<{ plan: unknown; updatedAt: Date | string }>>(
    `SELECT "plan","updatedAt" FROM "Project" WHERE "id"=$1::uuid`,
    projectId,
  );
  return row && { plan: decodePlan(row.plan), updatedAt: new Date(row.updatedAt) };
}
