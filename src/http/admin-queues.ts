/**
 * bull-board at /admin/queues, for admins only. `requireAdminToken` is the one gate: it takes an
 * `Authorization: Bearer` token (or the `herald_admin` cookie it sets, so the dashboard's own
 * browser requests pass) and asks `isAdminToken`. Today that compares with ADMIN_TOKEN, a
 * stopgap; the REST API's admin tokens plug in by passing their lookup as `isAdminToken`.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const ADMIN_QUEUES_PATH = '/admin/queues';
const COOKIE = 'herald_admin';

export type AdminTokenCheck = (token: string) => Promise<boolean> | boolean;

/** ADMIN_TOKEN as the only admin token (constant-time: hashes make the lengths equal). */
export function staticAdminToken(expected: string): AdminTokenCheck {
  const want = createHash('sha256').update(expected).digest();
  return (token) => timingSafeEqual(createHash('sha256').update(token).digest(), want);
}

function presentedToken(request: FastifyRequest): { token: string; fromHeader: boolean } | undefined {
  const auth = request.headers.authorization;
  const bearer = auth ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
  if (bearer) return { token: bearer, fromHeader: true };
  const cookie = (request.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`));
  return cookie ? { token: decodeURIComponent(cookie.slice(COOKIE.length + 1)), fromHeader: false } : undefined;
}

/** Fastify onRequest hook: 401 without a token, 403 with one that is not an admin's. */
export function requireAdminToken(isAdminToken: AdminTokenCheck) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const presented = presentedToken(request);
    if (!presented) {
      await reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'bull-board needs an admin token: send Authorization: Bearer <token>' });
      return reply;
    }
    if (!(await isAdminToken(presented.token))) {
      await reply.status(403).send({ error: 'forbidden', message: 'this token is not an admin token' });
      return reply;
    }
    // The dashboard's page then fetches its API and assets itself: let those requests carry the token as a cookie.
    if (presented.fromHeader) {
      void reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(presented.token)}; Path=${ADMIN_QUEUES_PATH}; HttpOnly; SameSite=Strict`);
    }
    return undefined;
  };
}

export async function registerAdminQueues(app: FastifyInstance, queues: readonly Queue[], isAdminToken: AdminTokenCheck): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  await app.register(async (scope) => {
    scope.addHook('onRequest', requireAdminToken(isAdminToken));
    await scope.register(serverAdapter.registerPlugin(), { prefix: ADMIN_QUEUES_PATH });
  });
}
