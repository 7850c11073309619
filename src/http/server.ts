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
import type { Queue } from 'bullmq';
import type { HttpReads } from '../db/repo/http-reads.ts';
import { createServerMetrics } from '../metrics/server-metrics.ts';
import { bearerOf, registerAdminQueues, type AdminTokenCheck } from './admin-queues.ts';
import type { CheckResult } from '../app/doctor/check.ts';
import type { PlanCache } from '../app/plan-cache.ts';
import { systemClock, type Clock } from '../app/ports.ts';
import type { StoreDeps } from '../app/ports.ts';
import type { HeraldError } from '../domain/errors.ts';
import { classifyError, errorBody, errorLines, type ErrorBody } from './error-status.ts';
import { registerRateLimits } from './rate-limits.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits } from '../config/rate-limits.ts';
import type { TrustProxy } from '../config/trust-proxy.ts';
import type { Logger } from '../logger.ts';
import type { TemplateEngine } from '../templates/engine.ts';
import { registerApi } from './api/api.ts';
import { registerAnswerLinks } from './answer-links.ts';
import { registerApprovalLinks } from './approval-links.ts';
import { registerEscalationLinks } from './escalation-links.ts';
import { registerInboundEmail, type InboundHttp } from './inbound-email.ts';
import { registerCalendarFeeds } from './calendar-feeds.ts';
import { trackConnections } from './close-gracefully.ts';
import { registerDashboard } from './dashboard/register.ts';
import type { DashboardPage } from './dashboard/pages/index.ts';
import { registerOptOut } from './opt-out.ts';
import { requestForLog } from './request-log.ts';
import { messagePage, PAGE_CSP } from './pages.ts';
import { registerSlackEvents, type SlackHttp } from './slack/slack-events.ts';

/** What the server needs of the delivery queues (built in src/main/queues.ts, closed there). */
export interface ServerQueues {
  /** For /metrics and bull-board. */
  readonly queues: readonly Queue[];
  /** For /readyz: answers (or fails) within a couple of seconds, also when Redis is down. */
  ping(): Promise<unknown>;
  /** Drops the jobs of messages a re-plan moved or cancelled (API and dashboard). */
  forget(messageIds: readonly string[]): Promise<void>;
}

export interface HttpDeps {
  db: StoreDeps;
  /**
   * Whether an error is the database being busy or unreachable for a moment (no connection free in time,
   * a dropped connection): answered 503 with Retry-After, not 500. The composition root passes the
   * driver's classifier (isTransientDbError, src/db/postgres-errors.ts).
   */
  isDatabaseBusy(err: unknown): boolean;
  queues: ServerQueues;
  /** The read stores of the routes, pages, /metrics and /readyz (createHttpReads in src/db/repo/http-reads.ts). */
  reads: HttpReads;
  /** `herald doctor`'s checks (src/main/doctor.ts), given in `/readyz` to an admin token; without it /readyz has no detail. */
  diagnose?: (() => Promise<CheckResult[]>) | undefined;
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
  /** The process's plan cache, for the follow-ups of an answer given on an answer page. */
  plans?: PlanCache | undefined;
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
  /** Per-address limits of the other route classes (sign-in, API, Slack, webhook); see rate-limits.ts for the defaults. */
  rateLimits?: Partial<Omit<RateLimits, 'pages'>> | undefined;
  /** Fastify's trustProxy (TRUST_PROXY): which proxies' X-Forwarded-For gives the client address. Default false: the peer address. */
  trustProxy?: TrustProxy | undefined;
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

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Errors on this route are human HTML pages, not JSON. */
    html?: boolean;
  }
}

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, body: ErrorBody, hint?: string): FastifyReply {
  if (request.routeOptions.config?.html) {
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', PAGE_CSP)
      .send(messagePage(titleFor(status), errorLines(body.message, hint), 'error'));
  }
  return reply.status(status).send(body);
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

function trustHops(n: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < n;
}

export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    handlerTimeout: deps.handlerTimeoutMs ?? 10_000,
    requestTimeout: 30_000,
    logger: false,
    // The request id is ours (never taken from a header), so it can be quoted safely in error pages.
    requestIdHeader: false,
    forceCloseConnections: 'idle',
    // Only then is X-Forwarded-For believed: without a proxy in front, a client could name any address and escape its rate limit.
    // (A hop count is given as Fastify does it internally: trust the n nearest hops.)
    trustProxy: typeof deps.trustProxy === 'number' ? trustHops(deps.trustProxy) : (deps.trustProxy ?? false),
  });

  app.setErrorHandler((err: FastifyError | HeraldError | Error, request, reply) => {
    // The chaos soak found answer-link POSTs answering 500 on an overloaded server: the pool had no
    // connection free within its timeout. That is "busy, come back", not a bug: 503 with Retry-After.
    if (deps.isDatabaseBusy(err)) {
      deps.log?.error({ err, ...requestForLog(request) }, 'request failed: database busy or unreachable');
      reply.header('retry-after', '5');
      return sendError(request, reply, 503, errorBody('DATABASE_BUSY', 'Herald is busy and could not reach its database in time; try again in a few seconds.'));
    }
    const { status, code, message, details, hint } = classifyError(err, request.id);
    if (status >= 500) deps.log?.error({ err, ...requestForLog(request) }, 'request failed');
    return sendError(request, reply, status, { code, message, details }, hint);
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`)));

  // Pages set their own strict CSP (see pages.ts); helmet adds the other security headers everywhere.
  await app.register(helmet, { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  await app.register(formbody, { bodyLimit: deps.bodyLimit ?? 64 * 1024 });
  const pageLimitPerMinute = deps.pageRateLimitPerMinute ?? DEFAULT_RATE_LIMITS.pages;
  await registerRateLimits(app, { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits, pages: pageLimitPerMinute });

  const queues = deps.queues.queues;
  const registry = createServerMetrics(deps.reads.metrics, queues);

  const isAdminRequest = async (request: FastifyRequest): Promise<boolean> => {
    const bearer = bearerOf(request);
    if (bearer === undefined || !deps.isAdminToken) return false;
    return (await deps.isAdminToken(bearer)) !== null;
  };
  // Liveness: the process answers. No dependency is checked, so a database outage does not get it restarted.
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Readiness: can it do its work? 503 names what failed, so a load balancer holds traffic and a person knows where to look.
  // The answer is public: it says only which component failed; the error text (hosts, users, paths) goes to the log.
  app.get('/readyz', async (request, reply) => {
    const checks: Record<string, string> = {};
    const check = (name: string, probe: Promise<unknown>) =>
      probe.then(
        () => (checks[name] = 'ok'),
        (err: unknown) => {
          checks[name] = 'unreachable';
          deps.log?.warn({ err, component: name }, `readiness: ${name} unreachable`);
        },
      );
    await check('database', deps.reads.probe());
    await check('redis', deps.queues.ping());
    const failed = Object.keys(checks).filter((k) => checks[k] !== 'ok');
    // An admin token (Authorization: Bearer) also gets `herald doctor`'s checks, with what to fix; the public answer stays as it is.
    const detail = deps.diagnose && (await isAdminRequest(request)) ? await deps.diagnose() : undefined;
    return reply
      .status(failed.length ? 503 : 200)
      .send({ status: failed.length ? 'unavailable' : 'ok', failed: failed.length ? failed : undefined, ...checks, ...(detail ? { checks: detail } : {}) });
  });
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  const pageLimit = { max: pageLimitPerMinute, timeWindow: 60_000 };
  const pages = { db: deps.db, escalations: deps.reads.escalations, secret: deps.secret, clock, rateLimit: pageLimit, plans: deps.plans };
  await app.register(async (scope) => registerAnswerLinks(scope, pages));
  await app.register(async (scope) => registerOptOut(scope, pages));
  await app.register(async (scope) => registerEscalationLinks(scope, pages));
  await app.register(async (scope) => registerApprovalLinks(scope, pages));
  await app.register(async (scope) => registerCalendarFeeds(scope, { db: deps.db, clock }));
  await app.register(
    async (scope) =>
      registerApi(scope, {
        db: deps.db,
        idempotency: deps.reads.idempotency,
        listProjects: deps.reads.apiProjects,
        clock,
        log: deps.log,
        templates: deps.templates,
        publicUrl: deps.publicUrl,
        forgetQueued: (ids) => deps.queues.forget(ids),
      }),
    { prefix: '/api/v1' },
  );
  await app.register(async (scope) =>
    registerDashboard(scope, {
      db: deps.db,
      reads: deps.reads.dashboard,
      inboxReads: deps.reads.inbox,
      clock,
      secret: deps.secret,
      publicUrl: deps.publicUrl,
      log: deps.log,
      templates: deps.templates,
      extraPages: deps.dashboardPages,
      forgetQueued: (ids) => deps.queues.forget(ids),
    }),
  );
  if (deps.slack) {
    const slack = deps.slack;
    await app.register(async (scope) => registerSlackEvents(scope, slack));
  }
  if (deps.inbound) {
    const inbound = deps.inbound;
    await app.register(async (scope) => registerInboundEmail(scope, inbound));
  }
  if (deps.isAdminToken) await registerAdminQueues(app, queues, deps.isAdminToken, { db: deps.db, clock });
  if (deps.extraRoutes) {
    const extra = deps.extraRoutes;
    await app.register(async (scope) => extra(scope));
  }
  return app;
}

export async function startHttpServer(deps: HttpDeps, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const app = await buildHttpServer(deps);
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
    },
  };
}
