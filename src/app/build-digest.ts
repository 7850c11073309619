import { computeDigest } from '../domain/digest/compute-digest.ts';
import type { Digest } from '../domain/digest/model.ts';
import type { Plan } from '../domain/plan/model.ts';
import { loadDigestSnapshot, type DigestReader } from '../db/repo/digest-snapshot.ts';

export interface DigestRequest {
  projectId: string;
  plan: Plan;
  /** The send instant: the digest covers the seven days ending here. */
  now: Date;
}

/** What the worker calls for a `kind: digest` message. */
export type DigestSource = (request: DigestRequest) => Promise<Digest>;

/** Loads the snapshot and computes the digest: the only I/O is the load. */
export async function buildDigest(db: DigestReader, request: DigestRequest): Promise<Digest> {
  return computeDigest(await loadDigestSnapshot(db, request), request.now);
}
