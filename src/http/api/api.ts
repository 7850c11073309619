/**
 * `/api/v1`: the REST API. Request and response schemas are zod, checked by the zod type provider
 * and turned into the OpenAPI 3.1 document at /api/v1/openapi.json by @fastify/swagger, so the
 * document cannot drift from what the routes accept (test/integration/http/api.test.ts checks
 * every route is in it). Each route calls the same use case as its CLI command.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applyPlan } from '../../app/apply-plan.ts';
import { queryCalendar } from '../../app/calendar-view.ts';
import { loadPlanText } from '../../app/load-plan.ts';
import { listMessages, retryMessages } from '../../app/message-log.ts';
import { markMilestoneDone, moveMilestone } from '../../app/move-milestone.ts';
import type { Clock } from '../../app/ports.ts';
import type { Database } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import type { TemplateEngine } from '../../templates/engine.ts';
import { authorize, bearerAuth } from './api-auth.ts';
import { apiErrorHandler, ApiErrorSchema } from './api-errors.ts';
import { decodeCursor, page, pageOf, PageQuery } from './api-pages.ts';
import { idempotent } from './idempotency.ts';

export interface ApiDeps {
  db: Database;
  clock: Clock;
  log?: Logger | undefined;
  templates?: TemplateEngine | undefined;
}

const errors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema };
const bearer = [{ bearer: [] as string[] }];
const ProjectParam = z.object({ project: z.string().min(1) });
const MilestoneParams = ProjectParam.extend({ milestone: z.string().min(1) });
const IdemHeader = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

const Project = z.object({ key: z.string(), name: z.string(), timezone: z.string(), updatedAt: z.string() }).meta({ id: 'Project' });
const Summary = z.record(z.string(), z.unknown());
const CalendarEntry = z
  .object({ key: z.string(), comm: z.string(), person: z.string(), channel: z.string(), at: z.string(), localAt: z.string(), timezone: z.string(), occurrence: z.number(), status: z.string(), seriesItem: z.string().optional() })
  .meta({ id: 'CalendarEntry' });
const Message = z
  .object({
    id: z.string(), key: z.string(), comm: z.string(), person: z.string(), channel: z.string(), dueAt: z.string(), status: z.string(), attempts: z.number(),
    sentAt: z.string().optional(), lastError: z.string().optional(),
    deliveries: z.array(z.object({ at: z.string(), outcome: z.string(), channel: z.string() }).loose()),
  })
  .meta({ id: 'Message' });
const MessageStatus = z.enum(['planned', 'queued', 'sending', 'sent', 'failed', 'cancelled', 'skipped']);

export async function registerApi(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db, clock } = deps;
  scope.setValidatorCompiler(validatorCompiler);
  scope.setSerializerCompiler(serializerCompiler);
  scope.setErrorHandler(apiErrorHandler(deps.log));
  scope.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ code: 'NOT_FOUND', message: `no route for ${request.method} ${request.url.split('?')[0]}`, details: { hint: 'see /api/v1/openapi.json' } }),
  );
  // POST /plans takes the plan file itself.
  scope.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  await scope.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Herald REST API', version: '1' },
      servers: [{ url: '/api/v1' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  const api = scope.withTypeProvider<ZodTypeProvider>();
  api.get('/openapi.json', { schema: { hide: true } }, async () => scope.swagger());

  api.register(async (r) => {
    r.addHook('onRequest', bearerAuth(db.prisma, clock));
    const app = r.withTypeProvider<ZodTypeProvider>();

    app.get('/projects', { schema: { summary: 'Projects the token can see', security: bearer, querystring: PageQuery, response: { 200: pageOf(Project), ...errors } } }, async (req) => {
      const t = authorize(req, 'viewer');
      const offset = decodeCursor(req.query.cursor);
      const rows = await db.prisma.project.findMany({
        where: t.projectKey ? { key: t.projectKey } : {},
        orderBy: { key: 'asc' },
        skip: offset,
        take: req.query.limit + 1,
        select: { key: true, name: true, timezone: true, updatedAt: true },
      });
      return page(rows.map((p) => ({ ...p, updatedAt: p.updatedAt.toISOString() })), offset, req.query.limit);
    });

    app.post(
      '/plans',
      {
        schema: {
          summary: 'Validate and apply a plan (the YAML file as the body)',
          description: 'The same validation as `herald validate`; an invalid plan answers 400 with details.issues (file, line, path, message). People CSVs cannot be referenced: list people inline.',
          security: bearer,
          headers: IdemHeader,
          querystring: z.object({ dryRun: z.coerce.boolean().default(false) }),
          body: z.string().min(1).describe('the plan YAML (Content-Type: application/yaml)'),
          response: { 200: z.object({ project: z.string(), dryRun: z.boolean(), calendar: Summary, milestonesMoved: z.array(z.object({ key: z.string(), from: z.string(), to: z.string() })), warnings: z.array(z.unknown()) }), ...errors },
        },
      },
      async (req, reply) => {
        authorize(req, 'editor');
        const engine = deps.templates;
        const loaded = loadPlanText(req.body, engine ? { checkTemplate: (comm, plan) => engine.check(comm, plan) } : {});
        authorize(req, 'editor', loaded.plan.project.key);
        return idempotent(db.prisma, clock, req, reply, async () => {
          const r = await applyPlan(db.sql, { plan: loaded.plan, hash: loaded.hash, now: clock.now(), dryRun: req.query.dryRun });
          return {
            status: 200,
            body: {
              project: r.project,
              dryRun: r.dryRun,
              calendar: r.calendar as unknown as Record<string, unknown>,
              milestonesMoved: r.milestonesMoved.map((m) => ({ key: m.key, from: m.from.toISOString(), to: m.to.toISOString() })),
              warnings: loaded.warnings,
            },
          };
        });
      },
    );

    app.post(
      '/projects/:project/milestones/:milestone/move',
      {
        schema: {
          summary: 'Move a milestone; every message tied to it moves too',
          security: bearer,
          headers: IdemHeader,
          params: MilestoneParams,
          body: z.object({ when: z.string().describe('YYYY-MM-DD (keeps the time of day) or YYYY-MM-DDTHH:mm, project time zone'), dryRun: z.boolean().default(false) }),
          response: { 200: z.object({ milestone: z.string(), from: z.string(), to: z.string(), dryRun: z.boolean(), calendar: Summary, triggered: z.number() }), ...errors },
        },
      },
      async (req, reply) => {
        authorize(req, 'editor', req.params.project);
        return idempotent(db.prisma, clock, req, reply, async () => {
          const r = await moveMilestone(db.sql, { project: req.params.project, milestone: req.params.milestone, when: req.body.when, now: clock.now(), source: 'api', dryRun: req.body.dryRun });
          return { status: 200, body: { milestone: r.milestone, from: r.from.toISOString(), to: r.to.toISOString(), dryRun: req.body.dryRun, calendar: r.calendar as unknown as Record<string, unknown>, triggered: r.triggered } };
        });
      },
    );

    app.post(
      '/projects/:project/milestones/:milestone/done',
      { schema: { summary: 'Mark a milestone done and send its milestone-done comms', security: bearer, headers: IdemHeader, params: MilestoneParams, response: { 200: z.object({ alreadyDone: z.boolean(), triggered: z.number() }), ...errors } } },
      async (req, reply) => {
        authorize(req, 'editor', req.params.project);
        return idempotent(db.prisma, clock, req, reply, async () => ({
          status: 200,
          body: await markMilestoneDone(db.sql, { project: req.params.project, milestone: req.params.milestone, now: clock.now() }),
        }));
      },
    );

    app.get(
      '/projects/:project/calendar',
      {
        schema: {
          summary: 'The comms calendar, with the filters of `herald calendar`',
          security: bearer,
          params: ProjectParam,
          querystring: PageQuery.extend({
            from: z.iso.date().optional().describe('first day, project zone'),
            to: z.iso.date().optional().describe('last day (inclusive), project zone'),
            person: z.string().optional(),
            comm: z.string().optional(),
            includeCancelled: z.coerce.boolean().default(false),
          }),
          response: { 200: pageOf(CalendarEntry), ...errors },
        },
      },
      async (req) => {
        authorize(req, 'viewer', req.params.project);
        const q = req.query;
        const offset = decodeCursor(q.cursor);
        const cal = await queryCalendar(db.sql, {
          project: req.params.project,
          ...(q.from ? { fromDay: q.from } : {}),
          ...(q.to ? { toDay: q.to } : {}),
          ...(q.person ? { person: q.person } : {}),
          ...(q.comm ? { comm: q.comm } : {}),
          includeCancelled: q.includeCancelled,
        });
        const entries = cal.entries.slice(offset, offset + q.limit + 1).map(({ explain: _explain, expectedAt: _expected, ...e }) => e);
        return page(entries, offset, q.limit);
      },
    );

    app.get(
      '/projects/:project/messages',
      {
        schema: {
          summary: 'The delivery log: messages with every attempt',
          security: bearer,
          params: ProjectParam,
          querystring: PageQuery.extend({ status: MessageStatus.optional(), person: z.string().optional(), comm: z.string().optional() }),
          response: { 200: pageOf(Message), ...errors },
        },
      },
      async (req) => {
        authorize(req, 'viewer', req.params.project);
        const q = req.query;
        const offset = decodeCursor(q.cursor);
        const rows = await listMessages(db.sql, {
          project: req.params.project,
          ...(q.status ? { status: q.status } : {}),
          ...(q.person ? { person: q.person } : {}),
          ...(q.comm ? { comm: q.comm } : {}),
          limit: offset + q.limit + 1,
        });
        return page(rows.slice(offset), offset, q.limit);
      },
    );

    app.post(
      '/projects/:project/messages/retry',
      {
        schema: {
          summary: 'Put failed messages (all, or the listed ids) back in the calendar, due now',
          security: bearer,
          headers: IdemHeader,
          params: ProjectParam,
          body: z.object({ ids: z.array(z.uuid()).optional() }).default({}),
          response: { 200: z.object({ retried: z.number() }), ...errors },
        },
      },
      async (req, reply) => {
        authorize(req, 'editor', req.params.project);
        return idempotent(db.prisma, clock, req, reply, async () => ({
          status: 200,
          body: { retried: await retryMessages(db.sql, { project: req.params.project, ...(req.body.ids ? { messageIds: req.body.ids } : {}), now: clock.now() }) },
        }));
      },
    );
  });
}
