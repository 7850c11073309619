/** What every /api/v1 route file shares: its dependencies, the typed Fastify scope and common schemas. */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../../app/ports.ts';
import type { StoreDeps } from '../../../app/ports.ts';
import type { ProjectsPage } from '../../../db/repo/http-reads.ts';
import type { IdempotencyStore } from '../../../db/repo/idempotency-store.ts';
import type { Logger } from '../../../logger.ts';
import type { TemplateEngine } from '../../../templates/engine.ts';
import { ApiErrorSchema } from '../api-errors.ts';

export interface ApiDeps {
  db: StoreDeps;
  /** Stored answers to POSTs with an Idempotency-Key. */
  idempotency: IdempotencyStore;
  /** A page of the projects a token sees (`GET /projects`). */
  listProjects: ProjectsPage;
  clock: Clock;
  log?: Logger | undefined;
  templates?: TemplateEngine | undefined;
  /** Links in a previewed digest point here (PUBLIC_URL). */
  publicUrl?: string | undefined;
  /**
   * Drops the queued delivery jobs of messages a plan apply or milestone move changed, as the CLI
   * does (src/cli/drop-jobs.ts), so a moved message is not sent at its old time. Best effort.
   */
  forgetQueued?: ((messageIds: readonly string[]) => Promise<void>) | undefined;
}

/** The authenticated /api/v1 scope, with zod schemas typing each route's request and reply. */
export type ApiScope = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema };
export const bearer = [{ bearer: [] as string[] }];
export const ProjectParam = z.object({ project: z.string().min(1) });
export const IdemHeader = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });
export const Summary = z.record(z.string(), z.unknown());

/** Drops the queued jobs of changed messages (deps.forgetQueued); a failure is logged, not thrown. */
export async function dropQueued(deps: ApiDeps, ids: readonly string[]): Promise<void> {
  if (!ids.length || !deps.forgetQueued) return;
  try {
    await deps.forgetQueued(ids);
  } catch (err) {
    // The change is stored; a stale job that still fires finds its row moved and is not sent then.
    deps.log?.warn({ err, count: ids.length }, 'could not drop the queued jobs of moved messages; the worker will catch up');
  }
}
