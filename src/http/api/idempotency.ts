import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotencyStore } from '../../db/repo/idempotency-store.ts';
import type { Clock } from '../../app/ports.ts';
import { ApiError } from './api-errors.ts';

const TTL_MS = 24 * 60 * 60 * 1000;

/**
 * What makes two requests "the same" for a key: method, path, query and the body's sha256. A dry
 * run (`?dryRun=true`) and the real apply are different requests, so they never share an answer.
 */
function requestHash(request: FastifyRequest): string {
  const body =
    request.body === undefined ? '' : typeof request.body === 'string' || Buffer.isBuffer(request.body) ? request.body : JSON.stringify(request.body);
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHash('sha256').update(`${request.method}\n${request.url}\n${bodyHash}`).digest('hex');
}

/**
 * Runs a POST once per Idempotency-Key (with the same token and route): the first response,
 * a success, is stored for 24 h and replayed with `idempotent-replayed: true` to the same request
 * (method, path, query, body). The same key with a different request is refused with 422, never
 * answered with the other request's response. Without the header the handler just runs.
 */
export async function idempotent(
  store: IdempotencyStore,
  clock: Clock,
  request: FastifyRequest,
  reply: FastifyReply,
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) {
    const r = await run();
    return reply.status(r.status).send(r.body);
  }
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) {
    throw new ApiError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be one header of 1-200 characters');
  }
  const id = { tokenId: request.apiToken!.id, route: `${request.method} ${request.url.split('?')[0]}`, key };
  const now = clock.now();
  const hash = requestHash(request);
  const seen = await store.find(id);
  const live = seen && now.getTime() - seen.createdAt.getTime() < TTL_MS;
  // '' marks rows stored before requests were hashed (gone within 24 h of the upgrade).
  if (live && seen.request !== '' && seen.request !== hash) {
    throw new ApiError(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was used for a different request (another query, such as dryRun, or another body) in the last 24 hours',
      {
        hint: 'use a new Idempotency-Key for each distinct request, e.g. a fresh UUID',
      },
    );
  }
  if (live) {
    return reply.status(seen.status).header('idempotent-replayed', 'true').send(seen.body);
  }
  // A failed request (an error thrown) is not stored: fixing the input and retrying with the same key works.
  const result = await run();
  await store.save(id, { request: hash, status: result.status, body: result.body, createdAt: now }, new Date(now.getTime() - TTL_MS));
  return reply.status(result.status).send(result.body);
}
