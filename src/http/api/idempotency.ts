import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Clock } from '../../app/ports.ts';
import { ApiError } from './api-errors.ts';

const TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Runs a POST once per Idempotency-Key (with the same token and route): the first response,
 * a success, is stored for 24 h and replayed with `idempotent-replayed: true`. Without the
 * header the handler just runs.
 */
export async function idempotent(
  prisma: PrismaClient,
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
    throw new ApiError(400, 'IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be one header of 1-200 characters');
  }
  const id = { tokenId: request.apiToken!.id, route: `${request.method} ${request.url.split('?')[0]}`, key };
  const now = clock.now();
  const seen = await prisma.idempotentResponse.findUnique({ where: { tokenId_route_key: id } });
  if (seen && now.getTime() - seen.createdAt.getTime() < TTL_MS) {
    return reply.status(seen.status).header('idempotent-replayed', 'true').send(seen.body);
  }
  // A failed request (an error thrown) is not stored: fixing the input and retrying with the same key works.
  const result = await run();
  await prisma.idempotentResponse.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - TTL_MS) } } });
  await prisma.idempotentResponse.upsert({
    where: { tokenId_route_key: id },
    create: { ...id, status: result.status, body: result.body as object, createdAt: now },
    update: { status: result.status, body: result.body as object, createdAt: now },
  });
  return reply.status(result.status).send(result.body);
}
