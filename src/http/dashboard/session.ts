/**
 * The dashboard session. The cookie (signed by @fastify/cookie with HERALD_SECRET) holds only a
 * random session id; the row in Session (src/app/sessions.ts) names the API token and the expiry.
 * Every request looks the session and the token up again, so signing out, revoking the token or
 * the expiry end it at once, server-side. CSRF proofs (../form-proof.ts, purpose "dashboard") are
 * bound to the session id, so a form from one session is refused in another.
 *
 * Sign-in itself is guarded too (login CSRF: a foreign page signing the visitor in as someone
 * else): GET /signin sets a random nonce cookie and puts a proof bound to it in the form, and
 * POST /signin needs both, plus an Origin (or Referer) of this site.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { liveApiTokenById } from '../../app/api-tokens.ts';
import { closeSession, findSession, openSession } from '../../app/sessions.ts';
import { issueProof, proofProblem } from '../form-proof.ts';
import type { DashboardDeps, DashboardSession } from './context.ts';

export const SESSION_COOKIE = 'herald_session';
/** A session lasts a working day; then the person signs in again. */
export const SESSION_LIFETIME_S = 12 * 3600;
/** The hidden form field that carries the CSRF proof. */
export const CSRF_FIELD = '_csrf';
/** The sign-in form's nonce cookie; its proof is valid as long as a session would be (the demo's clock runs fast). */
export const SIGNIN_COOKIE = 'herald_signin';
const SIGNIN_LIFETIME_S = SESSION_LIFETIME_S;

const nowSeconds = (deps: Pick<DashboardDeps, 'clock'>): number => Math.floor(deps.clock.now().getTime() / 1000);

function isHttps(request: FastifyRequest, publicUrl: string | undefined): boolean {
  return request.protocol === 'https' || (publicUrl?.startsWith('https:') ?? false);
}

export async function startSession(request: FastifyRequest, reply: FastifyReply, deps: DashboardDeps, tokenId: string): Promise<void> {
  const id = await openSession(deps.db, { kind: 'dashboard', tokenId, now: deps.clock.now(), lifetimeS: SESSION_LIFETIME_S });
  // Lax, not Strict: a dashboard link pasted in mail or chat opens signed in; POSTs carry a CSRF proof anyway.
  reply.setCookie(SESSION_COOKIE, id, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: isHttps(request, deps.publicUrl),
    path: '/',
    maxAge: SESSION_LIFETIME_S,
  });
  reply.clearCookie(SIGNIN_COOKIE, { path: '/signin' });
}

/** Ends the session server-side (the row is deleted: a copy of the cookie is worthless) and clears the cookie. */
export async function endSession(request: FastifyRequest, reply: FastifyReply, deps: DashboardDeps, session: DashboardSession): Promise<void> {
  await closeSession(deps.db, session.id);
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: isHttps(request, deps.publicUrl), path: '/' });
}

/** The request's live session, or null (no cookie, tampered, signed out, expired, or the token revoked). */
export async function readSession(request: FastifyRequest, deps: DashboardDeps): Promise<DashboardSession | null> {
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const unsigned = request.unsignCookie(cookie);
  if (!unsigned.valid || !unsigned.value) return null;
  const id = unsigned.value;
  const row = await findSession(deps.db, id, 'dashboard', deps.clock.now());
  if (!row?.tokenId) return null;
  const token = await liveApiTokenById(deps.db, row.tokenId);
  if (!token || token.role === 'feed') return null;
  return { token, id, csrf: issueProof(deps.secret, 'dashboard', id, nowSeconds(deps)) };
}

/** Why the request's CSRF proof is not valid for its session, or null when it is. */
export function csrfProblem(deps: DashboardDeps, session: DashboardSession, body: unknown): string | null {
  const proof = body && typeof body === 'object' ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined;
  return proofProblem(deps.secret, 'dashboard', session.id, proof, nowSeconds(deps), SESSION_LIFETIME_S);
}

/**
 * The sign-in form's proof: sets a fresh nonce cookie (a raw header, so pages outside the
 * dashboard's scope, such as the demo's, can show a sign-in form too) and returns the proof bound to it.
 */
export function signinProof(request: FastifyRequest, reply: FastifyReply, deps: Pick<DashboardDeps, 'secret' | 'clock' | 'publicUrl'>): string {
  const nonce = randomBytes(18).toString('base64url');
  const secure = isHttps(request, deps.publicUrl) ? '; Secure' : '';
  void reply.header('set-cookie', `${SIGNIN_COOKIE}=${nonce}; Path=/signin; Max-Age=${SIGNIN_LIFETIME_S}; HttpOnly; SameSite=Lax${secure}`);
  return issueProof(deps.secret, 'signin', nonce, nowSeconds(deps));
}

const withoutDefaultPort = (host: string): string => host.replace(/:(80|443)$/, '');

/** The origin a header names, or null when absent or not a URL ("null" included). */
function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * Why a POST /signin is not from this site's own form, or null when it is: the Origin (else the
 * Referer) must name PUBLIC_URL's host or the host the request was sent to (a foreign page cannot
 * forge either), and the form's proof must match the nonce cookie GET /signin set.
 */
export function signinProblem(request: FastifyRequest, deps: Pick<DashboardDeps, 'secret' | 'clock' | 'publicUrl'>, body: unknown): string | null {
  const origin = request.headers.origin;
  const referer = request.headers.referer;
  if (origin !== undefined || referer !== undefined) {
    const from = originOf(origin ?? referer);
    // Default ports are dropped on both sides: a proxy may send `Host: herald.example:443` for `Origin: https://herald.example`.
    const ours = [originOf(deps.publicUrl), request.headers.host?.toLowerCase() ?? null].filter((h): h is string => h !== null).map(withoutDefaultPort);
    if (!from || !ours.includes(withoutDefaultPort(from))) return `it was sent from another site (${from ?? 'unknown origin'})`;
  }
  const nonce = request.cookies[SIGNIN_COOKIE];
  if (!nonce) return 'the sign-in page was not opened first, or cookies are off';
  const proof = body && typeof body === 'object' ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined;
  return proofProblem(deps.secret, 'signin', nonce, proof, nowSeconds(deps), SIGNIN_LIFETIME_S);
}
