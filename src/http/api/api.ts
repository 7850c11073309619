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
import { actOnEscalation, ESCALATION_NOTE_MAX } from '../../app/act-on-escalation.ts';
import { applyPlan } from '../../app/apply-plan.ts';
import { queryCalendar } from '../../app/calendar-view.ts';
import { occurrenceTitle, queryOccurrences } from '../../app/calendar-occurrences.ts';
import { listEscalations } from '../../app/list-escalations.ts';
import { listResponses } from '../../app/list-responses.ts';
import { loadPlanText } from '../../app/load-plan.ts';
import { listMessages, retryMessages } from '../../app/message-log.ts';
import { markMilestoneDone, moveMilestone } from '../../app/move-milestone.ts';
import type { Clock } from '../../app/ports.ts';
import { previewDigest } from '../../app/preview-digest.ts';
import type { Database } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import type { TemplateEngine } from '../../templates/engine.ts';
import { authorize, bearerAuth } from './api-auth.ts';
import { ApiError, apiErrorHandler, ApiErrorSchema } from './api-errors.ts';
import { decodeCursor, page, pageOf, PageQuery } from './api-pages.ts';
import { idempotent } from './idempotency.ts';
import { queryBool } from './query-bool.ts';

export interface ApiDeps {
  db: Database;
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
const CalendarOccurrence = z
  .object({
    comm: z.string(), title: z.string().describe('the comm title and occurrence as a person reads them, e.g. "Hypercare checkin 2 of 3"'),
    occurrence: z.number().describe('0-based'), occurrences: z.number().describe("the comm's occurrences so far"),
    kind: z.string().optional(), seriesItem: z.string().optional(),
    first: z.string().describe('first copy due, ISO-8601 UTC'), last: z.string(), localTime: z.string().nullable().describe('HH:mm when every copy is due at that time in its person\'s zone'),
    people: z.number(), copies: z.number(), channels: z.object({ slack: z.number(), email: z.number() }),
    audiences: z.record(z.string(), z.number()), statuses: z.record(z.string(), z.number()),
  })
  .meta({ id: 'CalendarOccurrence' });
const Message = z
  .object({
    id: z.string(), key: z.string(), comm: z.string(), person: z.string(), channel: z.string(), dueAt: z.string(), status: z.string(), attempts: z.number(),
    sentAt: z.string().optional(), lastError: z.string().optional(),
    deliveries: z.array(z.object({ at: z.string(), outcome: z.string(), channel: z.string() }).loose()),
  })
  .meta({ id: 'Message' });
const ResponseEntry = z
  .object({
    comm: z.string(), occurrence: z.number(), person: z.string(), channel: z.string(), option: z.string().nullable(), comment: z.string().nullable(), answeredAt: z.string(),
    history: z.array(z.object({ from: z.string().nullable(), to: z.string().nullable(), comment: z.string().nullable(), channel: z.string(), at: z.string() })),
    fromOtherAddress: z.boolean(),
  })
  .meta({ id: 'ResponseEntry' });
const ResponseSummary = z
  .object({
    comm: z.string(), question: z.string(),
    counts: z.array(z.object({ option: z.string(), label: z.string(), count: z.number() })),
    rates: z.array(z.object({ audience: z.string(), asked: z.number(), answered: z.number() })),
    comments: z.array(z.object({ person: z.string(), option: z.string().nullable(), comment: z.string() })),
  })
  .meta({ id: 'ResponseSummary' });
const Escalation = z
  .object({
    id: z.string(), comm: z.string(), occurrence: z.number(), person: z.string(), option: z.string(), comment: z.string().nullable(), urgency: z.enum(['urgent', 'normal']),
    owner: z.string(), level: z.number(), state: z.enum(['open', 'acknowledged', 'resolved']), openedAt: z.string(), ageSeconds: z.number(),
    escalateAt: z.string().nullable(), acknowledgedAt: z.string().nullable(), resolvedAt: z.string().nullable(),
    acknowledgementNote: z.string().nullable().describe('the note given with the acknowledgement'),
    resolutionNote: z.string().nullable().describe('the note given with the resolution'),
  })
  .meta({ id: 'Escalation' });
const EscalationParams = ProjectParam.extend({ id: z.uuid() });
const EscalationActed = z.object({ escalationId: z.string(), state: z.string(), changed: z.boolean(), updateMessageId: z.string().optional(), note: z.string().optional().describe('the note stored with this change') });
const Rendered = z.object({ subject: z.string(), text: z.string(), html: z.string().optional() });
const SlackRendered = z.object({ text: z.string().describe('the notification fallback'), blocks: z.array(z.unknown()).describe('Block Kit blocks, as chat.postMessage takes them') });
const MessageStatus = z.enum(['planned', 'queued', 'sending', 'sent', 'failed', 'cancelled', 'skipped']);

export async function registerApi(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { db, clock } = deps;
  const dropQueued = async (ids: readonly string[]): Promise<void> => {
    if (!ids.length || !deps.forgetQueued) return;
    try {
      await deps.forgetQueued(ids);
    } catch (err) {
      // The change is stored; a stale job that still fires finds its row moved and is not sent then.
      deps.log?.warn({ err, count: ids.length }, 'could not drop the queued jobs of moved messages; the worker will catch up');
    }
  };
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
          querystring: z.object({ dryRun: queryBool('validate and compute the calendar change without storing anything') }),
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
          const r = await applyPlan(db.sql, { plan: loaded.plan, hash: loaded.hash, warnings: loaded.warnings, now: clock.now(), dryRun: req.query.dryRun });
          if (!r.dryRun) await dropQueued(r.queuedChanged);
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
          body: z.object({ when: z.string().min(1).max(40).describe('YYYY-MM-DD (keeps the time of day) or YYYY-MM-DDTHH:mm, project time zone'), dryRun: z.boolean().default(false) }),
          response: { 200: z.object({ milestone: z.string(), from: z.string(), to: z.string(), dryRun: z.boolean(), calendar: Summary, triggered: z.number(), warnings: z.array(z.string()).describe('milestones whose order with this one the move changes, in words') }), ...errors },
        },
      },
      async (req, reply) => {
        authorize(req, 'editor', req.params.project);
        return idempotent(db.prisma, clock, req, reply, async () => {
          const r = await moveMilestone(db.sql, { project: req.params.project, milestone: req.params.milestone, when: req.body.when, now: clock.now(), source: 'api', dryRun: req.body.dryRun });
          if (!req.body.dryRun) await dropQueued(r.queuedChanged);
          return { status: 200, body: { milestone: r.milestone, from: r.from.toISOString(), to: r.to.toISOString(), dryRun: req.body.dryRun, calendar: r.calendar as unknown as Record<string, unknown>, triggered: r.triggered, warnings: r.warnings } };
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
            includeCancelled: queryBool('include cancelled messages'),
            group: z.enum(['copy', 'occurrence']).default('copy').describe('copy: one item per person and channel; occurrence: one per comm occurrence, with counts (person filter not allowed)'),
          }),
          response: { 200: z.union([pageOf(CalendarEntry), pageOf(CalendarOccurrence)]), ...errors },
        },
      },
      async (req) => {
        authorize(req, 'viewer', req.params.project);
        const q = req.query;
        const offset = decodeCursor(q.cursor);
        if (q.group === 'occurrence') {
          if (q.person) throw new ApiError('BAD_QUERY', 'group=occurrence counts everyone: it does not take person', { hint: 'drop person, or use group=copy for one person\'s messages' });
          const { plan, groups } = await queryOccurrences(db.sql, { project: req.params.project, fromDay: q.from, toDay: q.to, comm: q.comm, includeCancelled: q.includeCancelled });
          return page(groups.slice(offset, offset + q.limit + 1).map((g) => ({ ...g, title: occurrenceTitle(g, plan) })), offset, q.limit);
        }
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

    app.get(
      '/projects/:project/responses',
      {
        schema: {
          summary: 'Survey answers, as `herald responses --format json` gives them',
          security: bearer,
          params: ProjectParam,
          querystring: PageQuery.extend({ comm: z.string().optional().describe('a survey comm key') }),
          response: { 200: pageOf(ResponseEntry), ...errors },
        },
      },
      async (req) => {
        authorize(req, 'viewer', req.params.project);
        const offset = decodeCursor(req.query.cursor);
        const r = await listResponses(db.prisma, { project: req.params.project, ...(req.query.comm ? { comm: req.query.comm } : {}) });
        return page(r.entries.slice(offset, offset + req.query.limit + 1), offset, req.query.limit);
      },
    );

    app.get(
      '/projects/:project/responses/summary',
      {
        schema: {
          summary: 'Per survey comm: counts per option, response rate per audience, comments',
          security: bearer,
          params: ProjectParam,
          querystring: z.object({ comm: z.string().optional() }),
          response: { 200: z.object({ summaries: z.array(ResponseSummary) }), ...errors },
        },
      },
      async (req) => {
        authorize(req, 'viewer', req.params.project);
        const r = await listResponses(db.prisma, { project: req.params.project, ...(req.query.comm ? { comm: req.query.comm } : {}) });
        return { summaries: r.summaries };
      },
    );

    app.get(
      '/projects/:project/escalations',
      {
        schema: {
          summary: 'Escalations, oldest first, as `herald escalations --format json`',
          security: bearer,
          params: ProjectParam,
          querystring: PageQuery.extend({ open: queryBool('only those not resolved') }),
          response: { 200: pageOf(Escalation), ...errors },
        },
      },
      async (req) => {
        authorize(req, 'viewer', req.params.project);
        const offset = decodeCursor(req.query.cursor);
        const list = await listEscalations(db.prisma, { project: req.params.project, open: req.query.open, now: clock.now() });
        return page(list.slice(offset, offset + req.query.limit + 1), offset, req.query.limit);
      },
    );

    for (const action of ['acknowledge', 'resolve'] as const) {
      app.post(
        `/projects/:project/escalations/:id/${action}`,
        {
          schema: {
            summary: action === 'acknowledge' ? 'Acknowledge an escalation; the person who answered is told' : 'Resolve an escalation; the person who answered is told',
            description:
              'Acts as the project manager (as `herald escalation`). The note is stored (acknowledgementNote or resolutionNote on the escalation). A repeat changes nothing, its note included (changed: false).',
            security: bearer,
            headers: IdemHeader,
            params: EscalationParams,
            body: z.object({ note: z.string().max(ESCALATION_NOTE_MAX).optional() }).nullish().describe('optional; the body may be left out'),
            response: { 200: EscalationActed, ...errors },
          },
        },
        async (req, reply) => {
          authorize(req, 'editor', req.params.project);
          return idempotent(db.prisma, clock, req, reply, async () => {
            const r = await actOnEscalation({ prisma: db.prisma, clock }, { escalationId: req.params.id, action, project: req.params.project, note: req.body?.note });
            return { status: 200, body: r };
          });
        },
      );
    }

    app.get(
      '/projects/:project/digest',
      {
        schema: {
          summary: 'Preview the weekly digest as `herald digest --preview` (sends nothing)',
          security: bearer,
          params: ProjectParam,
          querystring: z.object({
            as: z.string().optional().describe('person id; default the digest\'s first recipient'),
            week: z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/).optional().describe('ISO week, e.g. 2027-W03; default the one that would go out now'),
            channel: z.enum(['email', 'slack']).default('email').describe('email (subject, text, html) or slack (Block Kit blocks and the notification text)'),
          }),
          response: { 200: z.object({ comm: z.string(), person: z.string(), at: z.string(), digest: Summary, email: Rendered.optional(), slack: SlackRendered.optional() }), ...errors },
        },
      },
      async (req) => {
        authorize(req, 'viewer', req.params.project);
        const engine = deps.templates;
        if (!engine) throw new ApiError('TEMPLATES_UNAVAILABLE', 'this server has no template engine, so it cannot render a digest', { hint: 'start it with herald serve' });
        const p = await previewDigest(db.prisma, engine, {
          project: req.params.project,
          now: clock.now(),
          publicUrl: deps.publicUrl ?? 'http://localhost',
          ...(req.query.as ? { as: req.query.as } : {}),
          ...(req.query.week ? { week: req.query.week } : {}),
        });
        const head = { comm: p.comm, person: p.person, at: p.at.toISOString(), digest: p.digest as unknown as Record<string, unknown> };
        if (req.query.channel === 'slack') return { ...head, slack: { text: p.slack.text, blocks: p.slack.blocks ?? [] } };
        const { subject, text, html } = p.email;
        return { ...head, email: { subject, text, ...(html === undefined ? {} : { html }) } };
      },
    );
  });
}
