/**
 * Every read store the HTTP server hands its routes and pages, built in one call by whoever wires
 * the server (the composition root, tests, benchmarks): src/http names only their types.
 */
import type { Database } from '../database.ts';
import { listProjectsPage, type ProjectListing } from './api-reads.ts';
import { createDashboardReads, type DashboardReads } from './dashboard-reads.ts';
import { probeDatabase } from './database-probe.ts';
import { createEscalationReads, type EscalationReads } from './escalation-reads.ts';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency-store.ts';
import { createInboxReads, type InboxReads } from './inbox-reads.ts';
import { createMetricsReads, type MetricsReads } from './metrics-reads.ts';

/** A page of projects by key (`GET /api/v1/projects`): every project, or only `onlyKey`'s. */
export type ProjectsPage = (opts: { onlyKey: string | null; skip: number; take: number }) => Promise<ProjectListing[]>;

export interface HttpReads {
  apiProjects: ProjectsPage;
  dashboard: DashboardReads;
  inbox: InboxReads;
  escalations: EscalationReads;
  idempotency: IdempotencyStore;
  metrics: MetricsReads;
  /** Resolves when the database answers (readiness). */
  probe(): Promise<void>;
}

/** The Prisma client is still made on first use: no store touches `db.prisma` until a method runs. */
export function createHttpReads(db: Pick<Database, 'prisma'>): HttpReads {
  return {
    apiProjects: (opts) => listProjectsPage(db.prisma, opts),
    dashboard: createDashboardReads(db),
    inbox: createInboxReads(db),
    escalations: createEscalationReads(db),
    idempotency: createIdempotencyStore(db),
    metrics: createMetricsReads(db),
    probe: () => probeDatabase(db),
  };
}
