import type { FastifyRequest } from 'fastify';

/**
 * What a log line says about a request: the route pattern (`/r/:token`), never the URL, whose path
 * or query may carry a token. The logger scrubs token shapes too (src/logger.ts); this keeps them
 * out in the first place.
 */
export function requestForLog(request: FastifyRequest): { method: string; route: string; reqId: string } {
  return { method: request.method, route: request.routeOptions.url ?? '(no route)', reqId: request.id };
}
