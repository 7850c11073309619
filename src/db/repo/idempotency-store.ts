/**
 * The API's stored answers to POSTs with an Idempotency-Key (src/http/api/idempotency.ts decides
 * when to replay; this store only reads and writes the rows). Ordinary Prisma queries.
 */
import type { Database } from '../database.ts';

/** What names one stored answer: the token, the route (`POST /path`) and the client's key. */
export interface IdempotencyId {
  tokenId: string;
  route: string;
  key: string;
}

export interface StoredAnswer {
  /** sha256 of the request the answer was for ('' for rows stored before requests were hashed). */
  request: string;
  status: number;
  body: unknown;
  createdAt: Date;
}

export interface IdempotencyStore {
  find(id: IdempotencyId): Promise<StoredAnswer | null>;
  /** Drops answers stored before `before`, then stores (or replaces) this one. */
  save(id: IdempotencyId, answer: StoredAnswer, before: Date): Promise<void>;
}

export function createIdempotencyStore(db: Pick<Database, 'prisma'>): IdempotencyStore {
  return {
    find: (id) =>
      db.prisma.idempotentResponse.findUnique({ where: { tokenId_route_key: id }, select: { request: true, status: true, body: true, createdAt: true } }),

    async save(id, answer, before) {
      await db.prisma.idempotentResponse.deleteMany({ where: { createdAt: { lt: before } } });
      const row = { request: answer.request, status: answer.status, body: answer.body as object, createdAt: answer.createdAt };
      await db.prisma.idempotentResponse.upsert({ where: { tokenId_route_key: id }, create: { ...id, ...row }, update: row });
    },
  };
}
