import type { SqlClient } from './sql-client.ts';

export interface ClaimedMessage {
  id: string;
  channel: string;
  dueAt: Date;
}

/**
 * Claims planned messages due within the horizon for the queue: planned → queued.
 * SKIP LOCKED lets any number of workers sweep at once without claiming a row twice.
 */
export async function claimDue(db: SqlClient, horizon: Date, limit: number): Promise<ClaimedMessage[]> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string; channel: string; dueAt: Date | string }>>(
    `UPDATE "Message" SET "status"='queued', "updatedAt"=now()
     WHERE "id" IN (
       SELECT "id" FROM "Message" WHERE "status"='planned' AND "dueAt" <= $1::timestamptz
       ORDER BY "dueAt" LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING "id", "channel", "dueAt"`,
    horizon.toISOString(),
    limit,
  );
  return rows.map((r) => ({ id: r.id, channel: r.channel, dueAt: new Date(r.dueAt) }));
}

/**
 * Messages whose job was lost (Redis flushed, a crash between claim and enqueue) or whose
 * sender died mid-send (a killed worker). Re-enqueueing is safe because the job id is the
 * message id and the processor re-checks the row. A `sending` row only counts once it is as
 * old as the processor's own staleness bound, or the new job would find nothing to do.
 */
export async function findStranded(
  db: SqlClient,
  bounds: { queuedBefore: Date; sendingBefore: Date },
  limit: number,
): Promise<Array<ClaimedMessage & { status: string }>> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string; channel: string; dueAt: Date | string; status: string }>>(
    `SELECT "id","channel","dueAt","status"::text AS "status" FROM "Message"
     WHERE (("status"='queued' AND "updatedAt" < $1::timestamptz AND "dueAt" < $1::timestamptz)
         OR ("status"='sending' AND "updatedAt" < $2::timestamptz))
     ORDER BY "dueAt" LIMIT $3`,
    bounds.queuedBefore.toISOString(),
    bounds.sendingBefore.toISOString(),
    limit,
  );
  return rows.map((r) => ({ id: r.id, channel: r.channel, dueAt: new Date(r.dueAt), status: r.status }));
}

/** Marks re-enqueued queued rows as touched so the next sweep does not enqueue them again at once. */
export async function touch(db: SqlClient, ids: readonly string[]): Promise<void> {
  if (ids.length) await db.$executeRawUnsafe(`UPDATE "Message" SET "updatedAt"=now() WHERE "id" = ANY($1::uuid[]) AND "status"='queued'`, [...ids]);
}

export interface MessageForDelivery {
  id: string;
  key: string;
  projectId: string;
  projectKey: string;
  planUpdatedAt: Date;
  commKey: string;
  channel: 'slack' | 'email';
  occurrence: number;
  seriesItem: string | null;
  dueAt: Date;
  attempts: number;
  createdAt: Date;
  person: {
    id: string;
    key: string;
    name: string;
    email: string | null;
    slackId: string | null;
    timezone: string;
    locale: string;
    audiences: string[];
    emailRejectedAt: Date | null;
    optedOut: boolean;
  };
}

/**
 * Takes a message for sending: queued (or planned, when its job fires before the sweeper
 * saw the row) → sending, attempts + 1. A row already `sending`
 * for longer than `staleBefore` was abandoned by a killed worker and may be taken again
 * (the one duplicate such a crash can cause). Returns undefined when there is nothing to
 * send: already sent, cancelled, moved later, or being sent by another worker right now.
 */
export async function claimForSending(db: SqlClient, id: string, now: Date, staleBefore: Date): Promise<MessageForDelivery | undefined> {
  const rows = await db.$queryRawUnsafe<RawDelivery[]>(
    `WITH claimed AS (
       UPDATE "Message" SET "status"='sending', "attempts"="attempts"+1, "updatedAt"=now()
       WHERE "id"=$1::uuid AND "dueAt" <= $2::timestamptz
         AND ("status" IN ('queued','planned') OR ("status"='sending' AND "updatedAt" < $3::timestamptz))
       RETURNING *)
     SELECT m."id", m."key", m."projectId", pr."key" AS "projectKey", pr."updatedAt" AS "planUpdatedAt", c."key" AS "commKey",
            m."channel", m."occurrence", m."seriesItem", m."dueAt", m."attempts", m."createdAt",
            p."id" AS "pId", p."key" AS "pKey", p."name" AS "pName", p."email" AS "pEmail", p."slackId" AS "pSlack",
            p."timezone" AS "pTz", p."locale" AS "pLocale", p."audiences" AS "pAudiences", p."emailRejectedAt" AS "pRejected",
            EXISTS (SELECT 1 FROM "OptOut" o WHERE o."personId"=p."id" AND o."commKey"=c."key") AS "pOptedOut"
     FROM claimed m JOIN "Project" pr ON pr."id"=m."projectId" JOIN "Comm" c ON c."id"=m."commId" JOIN "Person" p ON p."id"=m."personId"`,
    id,
    now.toISOString(),
    staleBefore.toISOString(),
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id,
    key: r.key,
    projectId: r.projectId,
    projectKey: r.projectKey,
    planUpdatedAt: new Date(r.planUpdatedAt),
    commKey: r.commKey,
    channel: r.channel as 'slack' | 'email',
    occurrence: Number(r.occurrence),
    seriesItem: r.seriesItem,
    dueAt: new Date(r.dueAt),
    attempts: Number(r.attempts),
    createdAt: new Date(r.createdAt),
    person: {
      id: r.pId,
      key: r.pKey,
      name: r.pName,
      email: r.pEmail,
      slackId: r.pSlack,
      timezone: r.pTz,
      locale: r.pLocale,
      audiences: r.pAudiences,
      emailRejectedAt: r.pRejected ? new Date(r.pRejected) : null,
      optedOut: r.pOptedOut,
    },
  };
}

interface RawDelivery {
  id: string;
  key: string;
  projectId: string;
  projectKey: string;
  planUpdatedAt: Date | string;
  commKey: string;
  channel: string;
  occurrence: number;
  seriesItem: string | null;
  dueAt: Date | string;
  attempts: number;
  createdAt: Date | string;
  pId: string;
  pKey: string;
  pName: string;
  pEmail: string | null;
  pSlack: string | null;
  pTz: string;
  pLocale: string;
  pAudiences: string[];
  pRejected: Date | string | null;
  pOptedOut: boolean;
}

export interface Outcome {
  outcome: 'sent' | 'retry' | 'failed' | 'fallback' | 'skipped';
  channel: string;
  providerId?: string;
  providerChannel?: string;
  error?: string;
  durationMs?: number;
}

/** Records one attempt in the delivery log and moves the message to its next status. */
export async function recordOutcome(db: SqlClient, messageId: string, o: Outcome): Promise<void> {
  const status = { sent: 'sent', retry: 'queued', failed: 'failed', fallback: 'failed', skipped: 'skipped' }[o.outcome];
  await db.$executeRawUnsafe(
    `WITH d AS (
       INSERT INTO "Delivery" ("id","messageId","channel","outcome","providerId","providerChannel","error","durationMs")
       VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5, $6, $7))
     UPDATE "Message" SET "status"=$8::text::"MessageStatus", "updatedAt"=now(),
       "providerId"=COALESCE($4, "providerId"), "providerChannel"=COALESCE($5, "providerChannel"),
       "lastError"=$6, "sentAt"=CASE WHEN $8::text='sent' THEN now() ELSE "sentAt" END
     WHERE "id"=$1::uuid`,
    messageId,
    o.channel,
    o.outcome,
    o.providerId ?? null,
    o.providerChannel ?? null,
    o.error ?? null,
    o.durationMs ?? null,
    status,
  );
}

export async function cacheSlackId(db: SqlClient, personId: string, slackId: string): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE "Person" SET "slackId"=$2, "slackLookedUpAt"=now() WHERE "id"=$1::uuid AND "slackId" IS NULL`,
    personId,
    slackId,
  );
}

export async function markEmailRejected(db: SqlClient, personId: string, reason: string): Promise<void> {
  await db.$executeRawUnsafe(`UPDATE "Person" SET "emailRejectedAt"=now(), "emailRejectReason"=$2 WHERE "id"=$1::uuid`, personId, reason);
}

/**
 * For `preferred` comms whose Slack delivery failed for good: the same occurrence by email,
 * queued at once. Its key differs only by channel, so it is created at most once.
 */
export async function createEmailFallback(db: SqlClient, messageId: string): Promise<ClaimedMessage | undefined> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string; channel: string; dueAt: Date | string }>>(
    `INSERT INTO "Message" ("id","projectId","commId","personId","key","occurrence","channel","seriesItem","milestones","dueAt","status")
     SELECT gen_random_uuid(), "projectId", "commId", "personId", regexp_replace("key", ':slack$', ':email'), "occurrence", 'email',
            "seriesItem", "milestones", now(), 'queued'
     FROM "Message" WHERE "id"=$1::uuid
     ON CONFLICT ("projectId","key") DO NOTHING
     RETURNING "id","channel","dueAt"`,
    messageId,
  );
  return rows.map((r) => ({ id: r.id, channel: r.channel, dueAt: new Date(r.dueAt) }))[0];
}

/** Why a message could not be claimed: still pending but due later (moved), or finished. */
export async function pendingDueAt(db: SqlClient, id: string): Promise<Date | undefined> {
  const [row] = await db.$queryRawUnsafe<Array<{ dueAt: Date | string }>>(
    `SELECT "dueAt" FROM "Message" WHERE "id"=$1::uuid AND "status" IN ('planned','queued')`,
    id,
  );
  return row ? new Date(row.dueAt) : undefined;
}
