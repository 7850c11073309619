/**
 * The reads and writes on the answer hot path, in raw SQL. Measured with `npm run bench:responses`:
 * through Prisma a Slack click cost 14 queries (each include is its own query) and ~18–25 ms of
 * server CPU; one joined read plus an `INSERT … ON CONFLICT DO NOTHING RETURNING` brings it to 4.
 */
import { HeraldError } from '../../domain/errors.ts';
import type { MessageForAnswer, NewResponse, ResponseRow, ResponseStore } from '../../app/ports.ts';
import type { Tx } from '../transaction.ts';
import { decodeCommSpec } from './json-columns.ts';
import type { SqlClient } from './sql-client.ts';

type Raw = Pick<SqlClient, '$queryRawUnsafe'>;
type Response = ResponseRow;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Row {
  id: string;
  projectId: string;
  commId: string;
  personId: string;
  occurrence: number;
  channel: string;
  providerId: string | null;
  providerChannel: string | null;
  commKey: string;
  commKind: string;
  commOptional: boolean;
  workstreamKey: string | null;
  commSpec: unknown;
  personKey: string;
  personName: string;
  personEmail: string | null;
  personSlackId: string | null;
  projectKey: string;
  projectName: string;
  projectUpdatedAt: Date | string;
  rChannel: string | null;
  rOption: string | null;
  rComment: string | null;
  rReceivedAt: Date | string | null;
}

async function loadMessageForAnswer(db: Raw, messageId: string): Promise<MessageForAnswer | undefined> {
  if (!UUID.test(messageId)) return undefined;
  const [r] = await db.$queryRawUnsafe<Row[]>(
    `SELECT m."id", m."projectId", m."commId", m."personId", m."occurrence", m."channel", m."providerId", m."providerChannel",
            c."key" AS "commKey", c."kind" AS "commKind", c."optional" AS "commOptional", c."workstreamKey", c."spec" AS "commSpec",
            p."key" AS "personKey", p."name" AS "personName", p."email" AS "personEmail", p."slackId" AS "personSlackId",
            pr."key" AS "projectKey", pr."name" AS "projectName", pr."updatedAt" AS "projectUpdatedAt",
            r."channel" AS "rChannel", r."option" AS "rOption", r."comment" AS "rComment", r."receivedAt" AS "rReceivedAt"
     FROM "Message" m JOIN "Comm" c ON c."id"=m."commId" JOIN "Person" p ON p."id"=m."personId" JOIN "Project" pr ON pr."id"=m."projectId"
     LEFT JOIN "Response" r ON r."commId"=m."commId" AND r."occurrence"=m."occurrence" AND r."personId"=m."personId"
     WHERE m."id"=$1::uuid`,
    messageId,
  );
  if (!r) return undefined;
  return {
    id: r.id,
    projectId: r.projectId,
    projectKey: r.projectKey,
    projectName: r.projectName,
    projectUpdatedAt: new Date(r.projectUpdatedAt),
    commId: r.commId,
    personId: r.personId,
    occurrence: Number(r.occurrence),
    channel: r.channel,
    providerId: r.providerId,
    providerChannel: r.providerChannel,
    comm: { id: r.commId, key: r.commKey, kind: r.commKind, optional: r.commOptional, workstreamKey: r.workstreamKey, spec: decodeCommSpec(r.commSpec) },
    person: { id: r.personId, key: r.personKey, name: r.personName, email: r.personEmail, slackId: r.personSlackId },
    current: r.rChannel === null ? null : { option: r.rOption, comment: r.rComment, channel: r.rChannel, receivedAt: new Date(r.rReceivedAt!) },
  };
}

type RawResponse = Omit<Response, 'receivedAt' | 'createdAt' | 'updatedAt'> & { receivedAt: Date | string; createdAt: Date | string; updatedAt: Date | string };

function toResponse(r: RawResponse): Response {
  return { ...r, occurrence: Number(r.occurrence), receivedAt: new Date(r.receivedAt), createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) };
}

/**
 * Inserts the answer unless one exists; returns the new row, or undefined when there was one.
 * Created when it was received (the caller's clock, not the database's: `herald demo` runs ahead).
 */
async function insertResponseIfAbsent(tx: Raw, n: NewResponse): Promise<Response | undefined> {
  const [row] = await tx.$queryRawUnsafe<RawResponse[]>(
    `INSERT INTO "Response" ("id","projectId","commId","occurrence","personId","messageId","channel","option","comment",` +
      `"receivedAt","sourceRef","sourceRefs","fromOtherAddress","createdAt","updatedAt")
     VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::int, $4::uuid, $5::uuid, $6, $7, $8, $9::timestamptz, $10, ` +
      `ARRAY[$10]::text[], $11::boolean, $9::timestamptz, $9::timestamptz)
     ON CONFLICT ("commId","occurrence","personId") DO NOTHING
     RETURNING *`,
    n.projectId,
    n.commId,
    n.occurrence,
    n.personId,
    n.messageId,
    n.channel,
    n.option,
    n.comment,
    n.receivedAt.toISOString(),
    n.sourceRef,
    n.fromOtherAddress,
  );
  return row ? toResponse(row) : undefined;
}

/** The stored answer, locked until the transaction ends, so concurrent changes apply one at a time. */
async function lockResponse(tx: Raw, key: { commId: string; occurrence: number; personId: string }): Promise<Response> {
  const [row] = await tx.$queryRawUnsafe<RawResponse[]>(
    `SELECT * FROM "Response" WHERE "commId"=$1::uuid AND "occurrence"=$2::int AND "personId"=$3::uuid FOR UPDATE`,
    key.commId,
    key.occurrence,
    key.personId,
  );
  if (!row) throw new HeraldError('INTERNAL', `response ${key.commId}/${key.occurrence}/${key.personId} vanished inside its transaction`, { retryable: true });
  return toResponse(row);
}

/** Answers: the hot reads and the insert in SQL (above); changes, which are rare, through Prisma. */
export function responseStore(sql: SqlClient, prisma: () => Tx): ResponseStore {
  return {
    messageForAnswer: (messageId) => loadMessageForAnswer(sql, messageId),
    insertIfAbsent: (n) => insertResponseIfAbsent(sql, n),
    lock: (key) => lockResponse(sql, key),
    addSourceRef: (id, sourceRef) => prisma().response.update({ where: { id }, data: { sourceRefs: { push: sourceRef } } }),
    async change(previous, next) {
      const response = await prisma().response.update({ where: { id: previous.id }, data: { ...next, sourceRefs: { push: next.sourceRef } } });
      await prisma().responseChange.create({
        data: {
          responseId: previous.id,
          oldOption: previous.option,
          newOption: next.option,
          oldComment: previous.comment,
          newComment: next.comment,
          channel: next.channel,
          sourceRef: next.sourceRef,
          fromOtherAddress: next.fromOtherAddress,
          at: next.receivedAt,
        },
      });
      return response;
    },
    cancelReminders: async (key) =>
      (await prisma().message.updateMany({ where: { ...key, kind: 'reminder', status: { in: ['planned', 'queued'] } }, data: { status: 'cancelled' } })).count,
  };
}
