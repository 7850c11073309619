/**
 * The dashboard session: a stateless cookie, signed by @fastify/cookie with HERALD_SECRET, that
 * holds the API token's id and the sign-in time (never the token itself). Every request looks the
 * token up again, so revoking it ends its sessions at once. CSRF proofs (../form-proof.ts, purpose
 * "dashboard") are bound to the session id, so a form from one session is refused in another.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { liveApiTokenById } from '../../app/api-tokens.ts';
import { issueProof, proofProblem } from '../form-proof.ts';
import type { DashboardDeps, DashboardSession } from './context.ts';

export const SESSION_COOKIE = 'herald_session';
/** A session lasts a working day; then the person signs in again. */
export const SESSION_LIFETIME_S = 12 * 3600;
/** The hidden form field that carries the CSRF proof. */
export const CSRF_FIELD = '_csrf';

function isHttps(request: FastifyRequest, deps: DashboardDeps): boolean {
  return request.protocol === 'https' || (deps.publicUrl?.startsWith('https:') ?? false);
}

export function startSession(request: FastifyRequest, reply: FastifyReply, deps: DashboardDeps, tokenId: string): void {
  const issued = Math.floor(deps.clock.now().getTime() / 1000);
  // Lax, not Strict: a dashboard link pasted in mail or chat opens signed in; POSTs carry a CSRF proof anyway.
  reply.setCookie(SESSION_COOKIE, `${tokenId}.${issued}`, { signed: true, httpOnly: true, sameSite: 'lax', secure: isHttps(request, deps), path: '/', maxAge: SESSION_LIFETIME_S });
}

export function endSession(request: FastifyRequest, reply: FastifyReply, deps: DashboardDeps): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: isHttps(request, deps), path: '/' });
}

/** The request's live session, or null (no cookie, tampered, expired, or the token revoked). */
export async function readSession(request: FastifyRequest, deps: DashboardDeps): Promise<DashboardSession | null> {
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const unsigned = request.unsignCookie(cookie);
  if (!unsigned.valid || !unsigned.value) return null;
  const m = /^([0-9a-f-]{36})\.(\d{1,12})$/.exec(unsigned.value);
  if (!m) return null;
  const nowS = Math.floor(deps.clock.now().getTime() / 1000);
  const issued = Number(m[2]);
  if (issued > nowS + 300 || nowS - issued > SESSION_LIFETIME_S) return null;
  const token = await liveApiTokenById(deps.db.prisma, m[1]!);
  if (!token || token.role === 'feed') return null;
  const id = unsigned.value;
  return { token, id, csrf: issueProof(deps.secret, 'dashboard', id, nowS) };
}

/** Why the request's CSRF proof is not valid for its session, or null when it is. */
export function csrfProblem(deps: DashboardDeps, session: DashboardSession, body: unknown): string | null {
  const proof = body && typeof body === 'object' ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined;
  return proofProblem(deps.secret, 'dashboard', session.id, proof, Math.floor(deps.clock.now().getTime() / 1000), SESSION_LIFETIME_S);
}
