/**
 * bull-board at /admin/queues, for admins only. `requireAdmin` is the one gate: an
 * `Authorization: Bearer` admin token (checked by `isAdminToken`: an admin API token or
 * ADMIN_TOKEN) opens a server-side session (src/app/sessions.ts), and the `herald_admin` cookie
 * then holds only that session's random id, so the page's own requests pass without the token
 * ever being stored in the browser. The session ends after a working day, or when its token is revoked.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { liveApiTokenById } from '../app/api-tokens.ts';
import type { Clock } from '../app/ports.ts';
import { findSession, openSession } from '../app/sessions.ts';
import type { StoreDeps } from '../app/ports.ts';
import { errorBody } from './error-status.ts';

export const ADMIN_QUEUES_PATH = '/admin/queues';
const COOKIE = 'herald_admin';
const LIFETIME_S = 12 * 3600;

/** Who an admin token is: the API token's id, or null for ADMIN_TOKEN (which has no row to revoke). */
export interface AdminIdentity {
  tokenId: string | null;
}
export type AdminTokenCheck = (token: string) => Promise<AdminIdentity | null> | AdminIdentity | null;

/** ADMIN_TOKEN as the only admin token (constant-time: hashes make the lengths equal). */
export function staticAdminToken(expected: string): AdminTokenCheck {
  const want = createHash('sha256').update(expected).digest();
  return (token) => (timingSafeEqual(createHash('sha256').update(token).digest(), want) ? { tokenId: null } : null);
}

export function bearerOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  return auth ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
}

function sessionCookieOf(request: FastifyRequest): string | undefined {
  const cookie = (request.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`));
  return cookie?.slice(COOKIE.length + 1);
}

/** Whether the cookie names a live bull-board session whose token (if any) is still a live admin token. */
async function liveSession(deps: { db: StoreDeps; clock: Clock }, id: string): Promise<boolean> {
  const session = await findSession(deps.db, id, 'admin-queues', deps.clock.now());
  if (!session) return false;
  if (session.tokenId === null) return true;
  const token = await liveApiTokenById(deps.db, session.tokenId);
  return token?.role === 'admin' && token.projectKey === null;
}

/** Fastify onRequest hook: 401 without a token or session, 403 with a token that is not an admin's or a session that ended. */
export function requireAdmin(isAdminToken: AdminTokenCheck, deps: { db: StoreDeps; clock: Clock }) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const bearer = bearerOf(request);
    const cookie = sessionCookieOf(request);
    if (bearer === undefined && cookie === undefined) {
      await reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .send(errorBody('UNAUTHENTICATED', 'bull-board needs an admin token: send Authorization: Bearer <token>'));
      return reply;
    }
    if (bearer === undefined) {
      if (await liveSession(deps, cookie!)) return undefined;
      await reply
        .status(403)
        .send(errorBody('SESSION_ENDED', 'this bull-board session has ended; open /admin/queues again with Authorization: Bearer <admin token>'));
      return reply;
    }
    const admin = await isAdminToken(bearer);
    if (!admin) {
      await reply.status(403).send(errorBody('FORBIDDEN_ROLE', 'this token is not an admin token'));
      return reply;
    }
    // The dashboard's page then fetches its API and assets itself: those requests carry a session id, never the token.
    if (cookie === undefined || !(await liveSession(deps, cookie))) {
      const id = await openSession(deps.db, { kind: 'admin-queues', tokenId: admin.tokenId, now: deps.clock.now(), lifetimeS: LIFETIME_S });
      const secure = request.protocol === 'https' ? '; Secure' : '';
      void reply.header('set-cookie', `${COOKIE}=${id}; Path=${ADMIN_QUEUES_PATH}; Max-Age=${LIFETIME_S}; HttpOnly; SameSite=Strict${secure}`);
    }
    return undefined;
  };
}

export async function registerAdminQueues(
  app: FastifyInstance,
  queues: readonly Queue[],
  isAdminToken: AdminTokenCheck,
  deps: { db: StoreDeps; clock: Clock },
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  await app.register(async (scope) => {
    scope.addHook('onRequest', requireAdmin(isAdminToken, deps));
    await scope.register(serverAdapter.registerPlugin(), { prefix: ADMIN_QUEUES_PATH });
  });
}
