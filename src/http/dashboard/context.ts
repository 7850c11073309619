/**
 * What a dashboard page gets: its dependencies, the signed-in session, and the typed refusal a
 * page throws to show a readable error page (rendered in the layout by ./register.ts).
 */
import type { FastifyRequest } from 'fastify';
import type { ApiRole, ApiTokenInfo } from '../../app/api-tokens.ts';
import type { Clock } from '../../app/ports.ts';
import type { StoreDeps } from '../../app/ports.ts';
import type { DashboardReads } from '../../db/repo/dashboard-reads.ts';
import type { InboxReads } from '../../db/repo/inbox-reads.ts';
import type { Logger } from '../../logger.ts';
import type { TemplateEngine } from '../../templates/engine.ts';

export interface DashboardDeps {
  db: StoreDeps;
  /** The pages' own reads (src/db/repo/dashboard-reads.ts). */
  reads: DashboardReads;
  /** The inbox's reads for assigning a mail by hand (src/db/repo/inbox-reads.ts). */
  inboxReads: InboxReads;
  clock: Clock;
  /** HERALD_SECRET: signs the session cookie and the CSRF proofs. Without it the dashboard answers 503. */
  secret: string;
  /** PUBLIC_URL, when links must be absolute (ICS subscribe links). */
  publicUrl?: string | undefined;
  log?: Logger | undefined;
  /** Drops the queued delivery jobs of messages a milestone move changed, as the API does (ApiDeps.forgetQueued). Best effort. */
  forgetQueued?: ((messageIds: readonly string[]) => Promise<void>) | undefined;
  /** Renders messages for the preview and calendar pages; without it they say so instead. */
  templates?: TemplateEngine | undefined;
}

/** The signed-in person's session: the live API token it was opened with. */
export interface DashboardSession {
  token: ApiTokenInfo;
  /** Stable for the session's life; CSRF proofs are bound to it. */
  id: string;
  /** The CSRF proof for this page's forms (put in by csrfField()). */
  csrf: string;
}

/** Per-route options: `public` routes need no session; `role` is the least role (GET: viewer, POST: editor). */
export interface DashboardRouteConfig {
  public?: boolean;
  role?: ApiRole;
}

declare module 'fastify' {
  interface FastifyRequest {
    dashboard?: DashboardSession;
  }
  interface FastifyContextConfig {
    dashboard?: DashboardRouteConfig;
  }
}

/** A refusal shown as a page in the dashboard layout: what happened and what to do. */
export class DashboardError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly lines: string[],
  ) {
    super(`${title}: ${lines.join(' ')}`);
  }
}

/** The session of a request on a non-public route (always there: the auth hook ran first). */
export function sessionOf(request: FastifyRequest): DashboardSession {
  if (!request.dashboard) throw new DashboardError(401, 'Sign in first', ['This page needs a signed-in session.']);
  return request.dashboard;
}
