/**
 * `herald serve`: one Fastify 5 server for health, metrics, Slack interactivity, answer links and
 * opt-out, the API and the dashboard. Fastify because it gives, well kept and
 * without hand-written code, what every route needs: body limits (413), per-route handler
 * timeouts (503), one error handler that never leaks a stack, content-type parsers per route
 * (Slack needs the raw body for its signature) and plugins for security headers and rate limits.
 */
import type { Server } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { isTransientDbError } from '../db/postgres-errors.ts';
import { DELIVERY_QUEUES } from '../../jobs/catalogue.ts';
import { forgetJobs } from '../../jobs/forget.ts';
import { createServerMetrics } from '../metrics/server-metrics.ts';
import { registerAdminQueues, type AdminTokenCheck } from './admin-queues.ts';
import { systemClock, type Clock } from '../app/ports.ts';
import type { Database } from '../db/database.ts';
import { HeraldError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import { registerApi } from './api/api.ts';
import { registerAnswerLinks } from './answer-links.ts';
import { registerEscalationLinks } from './escalation-links.ts';
import { registerInboundEmail, type InboundHttp } from './inbound-email.ts';
import { registerCalendarFeeds } from './calendar-feeds.ts';
import { trackConnections } from './close-gracefully.ts';
import { registerDashboard } from './dashboard/register.ts';
import type { DashboardPage } from './dashboard/pages/index.ts';
import { registerOptOut } from './opt-out.ts';
import { messagePage, PAGE_CSP } from './pages.ts';
import { registerSlackEvents, type SlackHttp } from './slack/slack-events.ts';

export interface HttpDeps {
  db: Database;
  redisUrl: string;
  /** REDIS_PREFIX of the delivery queues (for /metrics and bull-board; default `herald`). */
  redisPrefix?: string;
  /** Opens bull-board at /admin/queues to admin tokens; without it bull-board is not mounted. */
  isAdminToken?: AdminTokenCheck | undefined;
  /** HERALD_SECRET: verifies answer and opt-out tokens. Without it those routes answer 503. */
  secret?: string | undefined;
  clock?: Clock;
  /** Slack interactivity over HTTP (`POST /slack/events`); absent when Slack is not configured or runs in Socket Mode. */
  slack?: SlackHttp | undefined;
  /** `POST /inbound/email`, when INBOUND_WEBHOOK_SECRET is set. */
  inbound?: InboundHttp | undefined;
  log?: Logger;
  /** Checks plan templates on `POST /api/v1/plans`, as `herald validate` does; without it templates are not checked there. */
  templates?: TemplateEngine | undefined;
  /** PUBLIC_URL, for links in the digest previewed at `GET /api/v1/projects/:project/digest`. */
  publicUrl?: string | undefined;
  /** Request body limit in bytes (default 1 MiB; Slack payloads and forms are far smaller). */
  bodyLimit?: number;
  /** Default per-route handler timeout (default 10 s). */
  handlerTimeoutMs?: number;
  /** Requests per minute per client address on the public pages (default 600). */
  pageRateLimitPerMinute?: number;
  /** Dashboard pages beyond the built-in ones (tests use it for routes no page has yet). */
  dashboardPages?: readonly DashboardPage[] | undefined;
  /** More routes on the same server (only `herald demo` uses it, for its /demo views). */
  extraRoutes?: ((app: FastifyInstance) => Promise<void>) | undefined;
}

export interface RunningServer {
  server: Server;
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Error codes from the domain that are the caller's fault, with their HTTP status. */
const STATUS_OF_CODE: Record<string, number> = {
  TOKEN_INVALID: 400,
  TOKEN_EXPIRED: 410,
  RESPONSE_OPTION_UNKNOWN: 400,
  RESPONSE_EMPTY: 400,
  RESPONSE_NOT_A_SURVEY: 400,
  RESPONSE_MESSAGE_UNKNOWN: 404,
  NOT_FOUND: 404,
  FORM_INVALID: 400,
  OPT_OUT_MANDATORY: 409,
  ESCALATION_FORBIDDEN: 403,
  // A note past the text box's maxlength (a hand-made POST): the page says how long it may be.
  ESCALATION_NOTE_INVALID: 422,
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Errors on this route are human HTML pages, not JSON. */
    html?: boolean;
  }
}

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, hint?: string): FastifyReply {
  if (request.routeOptions.config?.html) {
    const lines = hint ? [message, hint] : [message];
    return reply.status(status).type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).send(messagePage(titleFor(status), lines, 'error'));
  }
  return reply.status(status).send({ error: code, message, ...(hint ? { hint } : {}) });
}

function titleFor(status: number): string {
  if (status === 410) return 'This link has expired';
  if (status === 400) return 'This link is not valid';
  if (status === 404) return 'Not found';
  if (status === 413) return 'Too much data';
  if (status === 429) return 'Too many requests';
  if (status >= 500) return 'Something went wrong';
  return 'Request not accepted';
}

export async function buildHttpServer(deps: HttpDeps): Promise<{ app: FastifyInstance; closeExtras(): Promise<void> }> {
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    handlerTimeout: deps.handlerTimeoutMs ?? 10_000,
    requestTimeout: 30_000,
    logger: false,
    // The request id is ours (never taken from a header), so it can be quoted safely in error pages.
    requestIdHeader: false,
    forceCloseConnections: 'idle',
  });

  app.setErrorHandler((err: FastifyError | HeraldError | Error, request, reply) => {
    if (err instanceof HeraldError) {
      const status = STATUS_OF_CODE[err.code] ?? (err.retryable ? 503 : 500);
      if (status >= 500) deps.log?.error({ err, url: request.url }, 'request failed');
      return sendError(request, reply, status, err.code, status >= 500 ? 'Herald could not finish this request; try again shortly.' : err.message, err.hint);
    }
    // The chaos soak found answer-link POSTs answering 500 on an overloaded server: the pool had no
    // connection free within its timeout. That is "busy, come back", not a bug: 503 with Retry-After.
    if (isTransientDbError(err)) {
      deps.log?.error({ err, url: request.url, reqId: request.id }, 'request failed: database busy or unreachable');
      reply.header('retry-after', '5');
      return sendError(request, reply, 503, 'database_busy', 'Herald is busy and could not reach its database in time; try again in a few seconds.');
    }
    const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 500) {
      deps.log?.error({ err, url: request.url, reqId: request.id }, 'request failed');
      const timedOut = 'code' in err && err.code === 'FST_ERR_HANDLER_TIMEOUT';
      return sendError(request, reply, status, timedOut ? 'timeout' : 'internal', timedOut ? 'The request took too long; try again.' : `Herald could not finish this request (reference ${request.id}); try again shortly.`);
    }
    // Fastify's own 4xx (body too large, bad JSON, unsupported type): its message is safe and says what was wrong.
    const code = 'code' in err && typeof err.code === 'string' ? err.code : 'bad_request';
    return sendError(request, reply, status, status === 413 ? 'payload_too_large' : code, err.message);
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` }));

  // Pages set their own strict CSP (see pages.ts); helmet adds the other security headers everywhere.
  await app.register(helmet, { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  await app.register(formbody, { bodyLimit: deps.bodyLimit ?? 64 * 1024 });
  await app.register(rateLimit, { global: false });

  const redis = new Redis(deps.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  redis.on('error', () => {});
  const prefix = deps.redisPrefix ?? 'herald';
  const queues = Object.values(DELIVERY_QUEUES).map((name) => new Queue(name, { connection: redis, prefix }));
  // An unreachable Redis shows in /readyz; without listeners each reconnect error would be "unhandled".
  for (const q of queues) q.on('error', () => {});
  const registry = createServerMetrics(deps.db, queues);

  // Liveness: the process answers. No dependency is checked, so a database outage does not get it restarted.
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Readiness: can it do its work? 503 names what failed, so a load balancer holds traffic and a person knows where to look.
  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    await deps.db.prisma.$queryRawUnsafe('SELECT 1').then(() => (checks.database = 'ok'), (e: unknown) => (checks.database = `unreachable: ${e instanceof Error ? e.message : String(e)}`));
    await redis.ping().then(() => (checks.redis = 'ok'), (e: unknown) => (checks.redis = `unreachable: ${e instanceof Error ? e.message : String(e)}`));
    const failed = Object.keys(checks).filter((k) => checks[k] !== 'ok');
    return reply.status(failed.length ? 503 : 200).send({ status: failed.length ? 'unavailable' : 'ok', ...(failed.length ? { failed } : {}), ...checks });
  });
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  const pageLimit = { max: deps.pageRateLimitPerMinute ?? 600, timeWindow: 60_000 };
  const pages = { db: deps.db, secret: deps.secret, clock, rateLimit: pageLimit };
  await app.register(async (scope) => registerAnswerLinks(scope, pages));
  await app.register(async (scope) => registerOptOut(scope, pages));
  await app.register(async (scope) => registerEscalationLinks(scope, pages));
  await app.register(async (scope) => registerCalendarFeeds(scope, { db: deps.db, clock }));
  await app.register(async (scope) => registerApi(scope, { db: deps.db, clock, log: deps.log, templates: deps.templates, publicUrl: deps.publicUrl, forgetQueued: (ids) => forgetJobs(queues, ids) }), { prefix: '/api/v1' });
  await app.register(async (scope) => registerDashboard(scope, { db: deps.db, clock, secret: deps.secret, publicUrl: deps.publicUrl, log: deps.log, templates: deps.templates, extraPages: deps.dashboardPages, forgetQueued: (ids) => forgetJobs(queues, ids) }));
  if (deps.slack) {
    const slack = deps.slack;
    await app.register(async (scope) => registerSlackEvents(scope, slack));
  }
  if (deps.inbound) {
    const inbound = deps.inbound;
    await app.register(async (scope) => registerInboundEmail(scope, inbound));
  }
  if (deps.isAdminToken) await registerAdminQueues(app, queues, deps.isAdminToken);
  if (deps.extraRoutes) {
    const extra = deps.extraRoutes;
    await app.register(async (scope) => extra(scope));
  }
  return {
    app,
    closeExtras: async () => {
      await Promise.all(queues.map((q) => q.close().catch(() => {})));
      redis.disconnect();
    },
  };
}

export async function startHttpServer(deps: HttpDeps, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const { app, closeExtras } = await buildHttpServer(deps);
  // Requests in flight get up to 5 s after close() (the handler timeout is 10 s); then they are cut.
  const connections = trackConnections(app.server, 5_000);
  await app.listen({ port, host });
  const addr = app.server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return {
    server: app.server,
    app,
    url: `http://127.0.0.1:${actual}`,
    async close() {
      await connections.close(() => app.close());
      await closeExtras();
    },
  };
}
