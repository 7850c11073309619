import { computeDigest } from '../domain/digest/compute-digest.ts';
import type { Digest } from '../domain/digest/model.ts';
import type { Plan } from '../domain/plan/model.ts';
import type { StoreDeps } from './ports.ts';

export interface DigestRequest {
  projectId: string;
  plan: Plan;
  /** The send instant: the digest covers the seven days ending here. */
  now: Date;
}

/** What the worker calls for a `kind: digest` message. */
export type DigestSource = (request: DigestRequest) => Promise<Digest>;

/** Loads the snapshot and computes the digest: the only I/O is the load. */
export async function buildDigest({ stores }: StoreDeps, request: DigestRequest): Promise<Digest> {
  return computeDigest(await stores.digests.snapshot(request), request.now);
}

/**
 * The digest is the same for every reader of a project at one send instant (only its rendering
 * differs), and executives in one zone share that instant on both channels: compute it once per
 * (project, instant) for `ttlMs`, so a worker sending 2 × N copies loads the snapshot once.
 */
export function cachedDigests(source: DigestSource, ttlMs = 60_000, now: () => number = Date.now): DigestSource {
  const cache = new Map<string, { at: number; digest: Promise<Digest> }>();
  return (request) => {
    const key = `${request.projectId}|${request.now.toISOString()}`;
    const t = now();
    const hit = cache.get(key);
    if (hit && t - hit.at < ttlMs) return hit.digest;
    for (const [k, v] of cache) if (t - v.at >= ttlMs) cache.delete(k);
    const digest = source(request);
    cache.set(key, { at: t, digest });
    // A failed load is not remembered: the retry loads again.
    digest.catch(() => cache.delete(key));
    return digest;
  };
}
