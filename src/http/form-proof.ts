/**
 * The hidden field an answer form carries: proof that the POST comes from the page Herald served
 * for this very token (an HMAC over the token, an issue time and a random nonce). It binds the
 * form to its link, and its nonce makes a double-submitted form one delivery, not two.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HeraldError } from '../domain/errors.ts';

/** A form stays valid this long after the page was shown. */
export const FORM_LIFETIME_S = 7 * 24 * 3600;

function mac(secret: string, token: string, issued: number, nonce: string): string {
  return createHmac('sha256', secret).update(`answer-form|${token}|${issued}|${nonce}`).digest().subarray(0, 16).toString('base64url');
}

export function issueFormProof(secret: string, token: string, nowSeconds: number): string {
  const nonce = randomBytes(9).toString('base64url');
  return `${nowSeconds}.${nonce}.${mac(secret, token, nowSeconds, nonce)}`;
}

/** Throws FORM_INVALID (400) for a forged, foreign or stale proof. */
export function checkFormProof(secret: string, token: string, proof: unknown, nowSeconds: number): void {
  const bad = (why: string) =>
    new HeraldError('FORM_INVALID', `the answer form could not be accepted (${why})`, { hint: 'open the link from your email again and confirm once more' });
  if (typeof proof !== 'string') throw bad('missing form field');
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{22})$/.exec(proof);
  if (!m) throw bad('malformed form field');
  const issued = Number(m[1]);
  const want = Buffer.from(mac(secret, token, issued, m[2]!));
  const given = Buffer.from(m[3]!);
  if (want.length !== given.length || !timingSafeEqual(want, given)) throw bad('the form does not belong to this link');
  if (issued > nowSeconds + 300 || nowSeconds - issued > FORM_LIFETIME_S) throw bad('the form is out of date');
}

/** A short, stable id for a token, to name it as a response's source without storing the token. */
export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}
