import { NotFoundError } from '../domain/errors.ts';
import type { SqlClient } from '../db/repo/sql-client.ts';
import { projectIdOf } from '../db/repo/project-store.ts';

export interface MessageLogEntry {
  id: string;
  key: string;
  comm: string;
  person: string;
  channel: string;
  dueAt: string;
  status: string;
  attempts: number;
  sentAt?: string;
  providerId?: string;
  providerChannel?: string;
  lastError?: string;
  deliveries: Array<{ at: string; outcome: string; channel: string; providerId?: string; error?: string }>;
}

/** The delivery log: messages with every attempt, newest first within each message. */
export async function listMessages(
  db: SqlClient,
  q: { project: string; status?: string; comm?: string; person?: string; channel?: string; limit?: number; offset?: number },
): Promise<MessageLogEntry[]> {
  const projectId = await projectIdOf(db, q.project);
  const rows = await db.$queryRawUnsafe<
    Array<{ id: string; key: string; comm: string; person: string; channel: string; dueAt: Date; status: string; attempts: number; sentAt: Date | null; providerId: string | null; providerChannel: string | null; lastError: string | null; deliveries: unknown }>
  >(
    `SELECT m."id", m."key", c."key" AS "comm", p."key" AS "person", m."channel", m."dueAt", m."status"::text AS "status",
            m."attempts", m."sentAt", m."providerId", m."providerChannel", m."lastError",
            COALESCE((SELECT json_agg(json_build_object('at', d."at", 'outcome', d."outcome", 'channel', d."channel",
                       'providerId', d."providerId", 'error', d."error") ORDER BY d."at")
                      FROM "Delivery" d WHERE d."messageId"=m."id"), '[]'::json) AS "deliveries"
     FROM "Message" m JOIN "Comm" c ON c."id"=m."commId" JOIN "Person" p ON p."id"=m."personId"
     WHERE m."projectId"=$1::uuid AND ($2::text IS NULL OR m."status"::text=$2) AND ($3::text IS NULL OR c."key"=$3)
       AND ($4::text IS NULL OR p."key"=$4) AND ($6::text IS NULL OR m."channel"=$6)
     ORDER BY m."dueAt", m."key" LIMIT $5 OFFSET $7`,
    projectId,
    q.status ?? null,
    q.comm ?? null,
    q.person ?? null,
    q.limit ?? 1000,
    q.channel ?? null,
    q.offset ?? 0,
  );
  return rows.map((r) => {
    const e: MessageLogEntry = {
      id: r.id,
      key: r.key,
      comm: r.comm,
      person: r.person,
      channel: r.channel,
      dueAt: new Date(r.dueAt).toISOString(),
      status: r.status,
      attempts: Number(r.attempts),
      deliveries: (typeof r.deliveries === 'string' ? JSON.parse(r.deliveries) : r.deliveries) as MessageLogEntry['deliveries'],
    };
    if (r.sentAt) e.sentAt = new Date(r.sentAt).toISOString();
    if (r.providerId) e.providerId = r.providerId;
    if (r.providerChannel) e.providerChannel = r.providerChannel;
    if (r.lastError) e.lastError = r.lastError;
    return e;
  });
}

/**
 * Puts failed (or the named) messages back in the calendar, due now: the sweeper hands
 * them to the queue within a second. Sent messages are never re-sent this way.
 */
export async function retryMessages(db: SqlClient, q: { project: string; messageIds?: string[]; now: Date }): Promise<number> {
  const projectId = await projectIdOf(db, q.project);
  const n = await db.$executeRawUnsafe(
    `UPDATE "Message" SET "status"='planned', "dueAt"=GREATEST("dueAt", $3::timestamptz), "updatedAt"=now()
     WHERE "projectId"=$1::uuid AND "status"='failed' AND ($2::uuid[] IS NULL OR "id" = ANY($2::uuid[]))`,
    projectId,
    q.messageIds ?? null,
    q.now.toISOString(),
  );
  if (q.messageIds?.length && n === 0) throw new NotFoundError(`failed message ${q.messageIds.join(', ')}`, 'list them with: herald messages PROJECT --status failed');
  return Number(n);
}
