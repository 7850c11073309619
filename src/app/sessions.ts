/**
 * Server-side browser sessions (the dashboard, bull-board). The cookie holds only a random id; the
 * row, found by the id's sha256 (a database dump gives no usable cookie), says which API token it
 * belongs to and when it ends. Signing out deletes the row, revoking the token deletes its rows, so
 * a copied cookie stops working at once, not when its Max-Age runs out.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StoreDeps } from './ports.ts';

export type SessionKind = 'dashboard' | 'admin-queues';

/** 32 random bytes, base64url: what the cookie carries. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** Opens a session and returns its id (for the cookie only; it is stored hashed). Drops expired rows on the way. */
export async function openSession({ stores }: StoreDeps, input: { kind: SessionKind; tokenId: string | null; now: Date; lifetimeS: number }): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await stores.sessions.deleteExpired(input.now);
  await stores.sessions.create({
    idHash: hashId(id),
    kind: input.kind,
    tokenId: input.tokenId,
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.lifetimeS * 1000),
  });
  return id;
}

/** The live session with this id and kind, or null (unknown, ended, expired, malformed). */
export async function findSession(
  { stores }: StoreDeps,
  id: string,
  kind: SessionKind,
  now: Date,
): Promise<{ tokenId: string | null; createdAt: Date } | null> {
  if (!SESSION_ID.test(id)) return null;
  const row = await stores.sessions.byHash(hashId(id));
  if (!row || row.kind !== kind || row.expiresAt <= now) return null;
  return { tokenId: row.tokenId, createdAt: row.createdAt };
}

/** Ends one session (sign-out); ending an unknown one is not an error. */
export async function closeSession({ stores }: StoreDeps, id: string): Promise<void> {
  if (SESSION_ID.test(id)) await stores.sessions.deleteByHash(hashId(id));
}

/** Ends every session opened with this token (its revocation). */
export async function closeSessionsOfToken({ stores }: StoreDeps, tokenId: string): Promise<number> {
  return stores.sessions.deleteOfToken(tokenId);
}
