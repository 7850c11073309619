/**
 * `/api/v1`: the REST API. Request and response schemas are zod, checked by the zod type provider
 * and turned into the OpenAPI 3.1 document at /api/v1/openapi.json by @fastify/swagger, so the
 * document cannot drift from what the routes accept (test/integration/http/api.test.ts checks
 * every route is in it). Each route calls the same use case as its CLI command; the routes live in
 * ./routes/, one file per resource, each beside its schemas.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { bearerAuth } from './api-auth.ts';
import { apiErrorHandler } from './api-errors.ts';
import type { ApiDeps } from './routes/common.ts';
import { projectRoutes } from './routes/projects.ts';
import { planRoutes } from './routes/plans.ts';
import { versionRoutes } from './routes/versions.ts';
import { rollbackRoutes } from './routes/rollback.ts';
import { milestoneRoutes } from './routes/milestones.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { messageRoutes } from './routes/messages.ts';
import { auditRoutes } from './routes/audit.ts';
import { responseRoutes } from './routes/responses.ts';
import { escalationRoutes } from './routes/escalations.ts';
import { approvalRoutes } from './routes/approvals.ts';
import { digestRoutes } from './routes/digest.ts';

/** In this order in the OpenAPI document. */
const ROUTES = [
  projectRoutes,
  planRoutes,
  versionRoutes,
  rollbackRoutes,
  milestoneRoutes,
  calendarRoutes,
  messageRoutes,
  responseRoutes,
  escalationRoutes,
  approvalRoutes,
  digestRoutes,
  auditRoutes,
];

export async function registerApi(scope: FastifyInstance, deps: ApiDeps): Promise<void> {
  scope.setValidatorCompiler(validatorCompiler);
  scope.setSerializerCompiler(serializerCompiler);
  scope.setErrorHandler(apiErrorHandler(deps.log));
  scope.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ code: 'NOT_FOUND', message: `no route for ${request.method} ${request.url.split('?')[0]}`, details: { hint: 'see /api/v1/openapi.json' } }),
  );
  // POST /plans takes the plan file itself.
  scope.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
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
    r.addHook('onRequest', bearerAuth(deps.db, deps.clock));
    const app = r.withTypeProvider<ZodTypeProvider>();
    for (const routes of ROUTES) routes(app, deps);
  });
}
