/**
 * Reading the audit trail (`herald audit`, GET /api/v1/projects/:p/audit, the dashboard's Audit
 * page). Entries are written by the use cases of the actions they record, in their unit of work,
 * through `stores.audit.append`; nothing changes or removes one.
 */
import type { AuditEntry } from '../domain/audit/actions.ts';
import type { StoreDeps } from './ports.ts';

/** A project's entries in the order they were written, from `since` on, after the entry `afterSeq`. */
export async function listAudit({ stores }: StoreDeps, q: { project: string; since?: Date; afterSeq?: string; limit: number }): Promise<AuditEntry[]> {
  await stores.projects.idOf(q.project); // a NotFoundError naming the known projects
  return stores.audit.list({ projectKey: q.project, since: q.since, afterSeq: q.afterSeq, limit: q.limit });
}

/** The project's time zone, in which the audit trail shows times and reads a `since` date. */
export async function projectZone({ stores }: StoreDeps, project: string): Promise<string> {
  await stores.projects.idOf(project); // a NotFoundError naming the known projects
  return (await stores.projects.findWithPlan(project))?.plan.project.timezone ?? 'UTC';
}
