/**
 * The hidden field a form carries: proof that the POST comes from a page Herald served for this
 * very binding (an HMAC over a purpose, the binding, an issue time and a random nonce). For answer
 * forms the binding is the answer token: it binds the form to its link, and its nonce makes a
 * double-submitted form one delivery, not two. For the dashboard the binding is the session, so a
 * proof is the CSRF token of that session's forms (src/http/dashboard/session.ts).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HeraldError } from '../domain/errors.ts';

/** A form stays valid this long after the page was shown. */
export const FORM_LIFETIME_S = 7 * 24 * 3600;

/** What a proof is for; a proof for one purpose is refused for another. */
export type FormPurpose = 'answer-form' | 'dashboard' | 'signin';

function mac(secret: string, purpose: FormPurpose, binding: string, issued: number, nonce: string): string {
  return createHmac('sha256', secret).update(`${purpose}|${binding}|${issued}|${nonce}`).digest().subarray(0, 16).toString('base64url');
}

/** A proof for forms of `purpose` bound to `binding` (an answer token, a session id). */
export function issueProof(secret: string, purpose: FormPurpose, binding: string, nowSeconds: number): string {
  const nonce = randomBytes(9).toString('base64url');
  return `${nowSeconds}.${nonce}.${mac(secret, purpose, binding, nowSeconds, nonce)}`;
}

/** Why `proof` is not valid for (purpose, binding) now, or null when it is. */
export function proofProblem(
  secret: string,
  purpose: FormPurpose,
  binding: string,
  proof: unknown,
  nowSeconds: number,
  lifetimeS = FORM_LIFETIME_S,
): string | null {
  if (typeof proof !== 'string') return 'missing form field';
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{22})$/.exec(proof);
  if (!m) return 'malformed form field';
  const issued = Number(m[1]);
  const want = Buffer.from(mac(secret, purpose, binding, issued, m[2]!));
  const given = Buffer.from(m[3]!);
  if (want.length !== given.length || !timingSafeEqual(want, given)) return 'the form does not belong to this link';
  if (issued > nowSeconds + 300 || nowSeconds - issued > lifetimeS) return 'the form is out of date';
  return null;
}

export function issueFormProof(secret: string, token: string, nowSeconds: number): string {
  return issueProof(secret, 'answer-form', token, nowSeconds);
}

/** Throws FORM_INVALID (400) for a forged, foreign or stale proof. */
export function checkFormProof(secret: string, token: string, proof: unknown, nowSeconds: number): void {
  const why = proofProblem(secret, 'answer-form', token, proof, nowSeconds);
  if (why)
    throw new HeraldError('FORM_INVALID', `the answer form could not be accepted (${why})`, {
      hint: 'open the link from your email again and confirm once more',
    });
}

/** A short, stable id for a token, to name it as a response's source without storing the token. */
export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}
