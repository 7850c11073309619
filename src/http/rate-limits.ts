/**
 * Per-client-address request limits (@fastify/rate-limit, in-process memory: each `herald serve`
 * process counts its own). One root `onRequest` hook picks the limit of the route's class, so it
 * runs before any route's own hooks: an unauthenticated flood is cut before the API looks up its
 * bearer token in the database or the webhook compares its secret. The address is `request.ip`,
 * which is the peer address unless TRUST_PROXY says which proxies may set X-Forwarded-For.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimits } from '../config/rate-limits.ts';

type LimitedClass = Exclude<keyof RateLimits, 'pages'>;

/** The class of a route (its pattern, e.g. `/api/v1/projects/:project`), or undefined when it is not limited here. */
function limitClass(method: string, routeUrl: string | undefined): LimitedClass | undefined {
  if (!routeUrl) return undefined;
  if (routeUrl === '/signin') return method === 'POST' ? 'signin' : undefined;
  if (routeUrl === '/api/v1' || routeUrl.startsWith('/api/v1/') || routeUrl.startsWith('/calendar/')) return 'api';
  if (routeUrl === '/slack/events') return 'slack';
  if (routeUrl === '/inbound/email') return 'webhook';
  return undefined;
}

/** Registers the plugin and the root hook; call before any route is registered. */
export async function registerRateLimits(app: FastifyInstance, limits: RateLimits): Promise<void> {
  await app.register(rateLimit, { global: false });
  const handlers = {} as Record<LimitedClass, (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>>;
  for (const c of ['signin', 'api', 'slack', 'webhook'] as const) handlers[c] = app.rateLimit({ max: limits[c], timeWindow: 60_000 });
  app.addHook('onRequest', async (request, reply) => {
    // Link pages carry their own limit in their route config; the plugin applies it.
    if (request.routeOptions.config?.rateLimit) return;
    const c = limitClass(request.method, request.routeOptions.url);
    if (c) await handlers[c](request, reply);
  });
}
