/**
 * Storage for inbound mail: the claim that makes each mail processed once (however many
 * listeners, pollers and webhook retries deliver it), lookups that match a mail to the message
 * it answers, the writes a bounce makes, and the inbox. Prisma, except projectAddresses (raw SQL,
 * measured: see its comment).
 */
import type { InboundClaim, InboundFinish, InboundStore, InboundVia, MatchedMessage } from '../../app/ports.ts';
import type { Tx } from '../transaction.ts';
import { decodeCommSpec } from './json-columns.ts';

type PrismaClient = Tx;

export type { InboundVia, MatchedMessage } from '../../app/ports.ts';

/** A claim older than this was left by a process that died mid-way; the next delivery takes it over. */
const STALE_CLAIM_MS = 2 * 60_000;

async function claimInbound(
  prisma: PrismaClient,
  row: { dedupeKey: string; via: InboundVia; raw: Buffer; fromAddress?: string; subject?: string },
  now: Date,
): Promise<InboundClaim> {
  const created = await prisma.inboundMail.createManyAndReturn({
    data: [
      {
        dedupeKey: row.dedupeKey,
        via: row.via,
        kind: 'reply',
        outcome: 'processing',
        raw: new Uint8Array(row.raw),
        size: row.raw.length,
        receivedAt: now,
        updatedAt: now,
        fromAddress: row.fromAddress ?? null,
        subject: row.subject ?? null,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (created[0]) return { id: created[0].id };
  const stored = await prisma.inboundMail.findUniqueOrThrow({
    where: { dedupeKey: row.dedupeKey },
    select: { id: true, outcome: true, kind: true, reason: true },
  });
  if (stored.outcome === 'processing') {
    const taken = await prisma.inboundMail.updateMany({
      where: { id: stored.id, outcome: 'processing', updatedAt: { lt: new Date(now.getTime() - STALE_CLAIM_MS) } },
      data: { updatedAt: now },
    });
    if (taken.count === 1) return { id: stored.id };
  }
  return { id: stored.id, existing: { outcome: stored.outcome, kind: stored.kind, reason: stored.reason } };
}

async function finishInbound(prisma: PrismaClient, id: string, f: InboundFinish): Promise<void> {
  await prisma.inboundMail.update({
    where: { id },
    data: {
      kind: f.kind,
      outcome: f.outcome,
      reason: f.reason,
      projectId: f.projectId ?? null,
      messageId: f.messageId ?? null,
      personId: f.personId ?? null,
      responseId: f.responseId ?? null,
      fromOtherAddress: f.fromOtherAddress ?? false,
      option: f.option ?? null,
      comment: f.comment ?? null,
    },
  });
}

/** Gives a claim back when processing failed, so the sender's retry (SMTP 4xx, webhook 5xx, IMAP re-poll) runs it again. */
async function releaseInbound(prisma: PrismaClient, id: string): Promise<void> {
  await prisma.inboundMail.deleteMany({ where: { id, outcome: 'processing' } });
}

const matchedSelect = {
  id: true,
  projectId: true,
  channel: true,
  status: true,
  providerId: true,
  comm: { select: { key: true, spec: true } },
  person: { select: { id: true, key: true, email: true, timezone: true } },
} as const;

function matched(m: {
  id: string;
  projectId: string;
  channel: string;
  status: string;
  providerId: string | null;
  comm: { key: string; spec: unknown };
  person: MatchedMessage['person'];
}): MatchedMessage {
  return { ...m, comm: { key: m.comm.key, spec: decodeCommSpec(m.comm.spec) } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function messageById(prisma: PrismaClient, id: string): Promise<MatchedMessage | undefined> {
  if (!UUID.test(id)) return undefined;
  const m = await prisma.message.findUnique({ where: { id }, select: matchedSelect });
  return m ? matched(m) : undefined;
}

/**
 * The Herald message a list of quoted Message-IDs names, trying them in order. Herald's own
 * Message-IDs are `<message id@domain>`, found by primary key and checked against the stored
 * provider id; any other form is looked up by the stored provider id alone.
 */
export async function messageByRefs(prisma: PrismaClient, refs: readonly string[]): Promise<MatchedMessage | undefined> {
  if (!refs.length) return undefined;
  const ids = refs.map((r) => /^<([^@<>]+)@/.exec(r)?.[1]).filter((x): x is string => x !== undefined && UUID.test(x));
  const byId = ids.length ? await prisma.message.findMany({ where: { id: { in: ids }, providerId: { in: [...refs] } }, select: matchedSelect }) : [];
  const found = byId.length
    ? byId
    : await prisma.message.findMany({ where: { providerId: { in: [...refs] }, channel: 'email' }, select: matchedSelect, take: 10 });
  for (const ref of refs) {
    const hit = found.find((m) => m.providerId === ref);
    if (hit) return matched(hit);
  }
  return undefined;
}

/** Sender addresses change only when a plan is applied; a short cache keeps them off each mail's path. */
const ADDRESS_TTL_MS = 30_000;
const addressCache = new WeakMap<PrismaClient, { at: number; rows: Promise<Array<{ projectId: string; addresses: string[] }>> }>();

/**
 * Each project's sender and reply addresses (as written in the plan), to place mail that
 * matches no message in the project it was sent to, and to know Herald's own quoted message.
 * Raw SQL reads the two addresses out of the stored plan instead of loading the whole plan JSON
 * (megabytes for a 10,000-person plan); cached for 30 s, because reading them still detoasts
 * that JSON: uncached, SMTP replies in bench:responses managed 12.6/s, p99 88 s, at 50/s offered.
 */
export async function projectAddresses(prisma: PrismaClient, now = Date.now()): Promise<Array<{ projectId: string; addresses: string[] }>> {
  const hit = addressCache.get(prisma);
  if (hit && now - hit.at < ADDRESS_TTL_MS) return hit.rows;
  const rows = prisma
    .$queryRawUnsafe<Array<{ id: string; email: string | null; replyTo: string | null }>>(
      `SELECT "id", "plan"->'project'->'sender'->>'email' AS "email", "plan"->'project'->'sender'->>'replyTo' AS "replyTo" FROM "Project"`,
    )
    .then((list) => list.map((r) => ({ projectId: r.id, addresses: [r.email, r.replyTo].filter((a): a is string => !!a) })));
  addressCache.set(prisma, { at: now, rows });
  rows.catch(() => addressCache.delete(prisma));
  return rows;
}

/**
 * A bounce: the message failed with the status code (delivery log row too), the address is rejected.
 * One statement, so atomic without a transaction and one round trip: three Prisma writes in an
 * interactive transaction took five (BEGIN, the writes, COMMIT); before the stores it was a batch
 * `$transaction([...])`.
 */
export async function recordBounce(prisma: PrismaClient, m: { messageId: string; personId: string; error: string }, now: Date): Promise<void> {
  await prisma.$executeRawUnsafe(
    `WITH msg AS (
       UPDATE "Message" SET "status"='failed', "lastError"=$3, "updatedAt"=now() WHERE "id"=$1::uuid RETURNING "id"),
     d AS (
       INSERT INTO "Delivery" ("id","messageId","at","channel","outcome","error")
       SELECT gen_random_uuid(), "id", $4::timestamptz, 'email', 'failed', $3 FROM msg)
     UPDATE "Person" SET "emailRejectedAt"=$4::timestamptz, "emailRejectReason"=$3 WHERE "id"=$2::uuid AND EXISTS (SELECT 1 FROM msg)`,
    m.messageId,
    m.personId,
    m.error,
    now.toISOString(),
  );
}

/** An out-of-office: no reminders for these people before the instant given for each. */
export async function pauseReminders(prisma: PrismaClient, pauses: ReadonlyArray<{ personId: string; until: Date }>): Promise<void> {
  for (const p of pauses) await prisma.person.update({ where: { id: p.personId }, data: { remindersPausedUntil: p.until } });
}

export function inboundStore(prisma: () => Tx): InboundStore {
  return {
    claim: (row, now) => claimInbound(prisma(), row, now),
    finish: (id, f) => finishInbound(prisma(), id, f),
    release: (id) => releaseInbound(prisma(), id),
    messageById: (id) => messageById(prisma(), id),
    messageByRefs: (refs) => messageByRefs(prisma(), refs),
    projectAddresses: () => projectAddresses(prisma()),
    recordBounce: (m, now) => recordBounce(prisma(), m, now),
    pauseReminders: (pauses) => pauseReminders(prisma(), pauses),
    get: async (id) => (await prisma().inboundMail.findUnique({ where: { id }, omit: { raw: true } })) ?? undefined,
    getWithRaw: async (id) => (await prisma().inboundMail.findUnique({ where: { id } })) ?? undefined,
    deltaLink: async (mailbox) => (await prisma().mailboxCursor.findUnique({ where: { mailbox } }))?.deltaLink,
    saveDeltaLink: async (mailbox, deltaLink) => {
      await prisma().mailboxCursor.upsert({ where: { mailbox }, create: { mailbox, deltaLink }, update: { deltaLink } });
    },
    inbox: (projectId, q) =>
      prisma().inboundMail.findMany({
        where: {
          AND: [
            q.projectless ? { OR: [{ projectId }, { projectId: null }] } : { projectId },
            { OR: [{ outcome: { in: [...q.outcomes] } }, { fromOtherAddress: true }] },
            { outcome: { not: q.excludeOutcome } },
          ],
        },
        orderBy: { receivedAt: 'desc' },
        take: q.limit,
        omit: { raw: true },
      }),
    updateIfUnchanged: async (id, seen, data) =>
      (await prisma().inboundMail.updateMany({ where: { id, outcome: seen.outcome, updatedAt: seen.updatedAt }, data })).count > 0,
    update: async (id, data) => {
      await prisma().inboundMail.update({ where: { id }, data });
    },
    async messageOfPerson(projectId, messageId, personKey) {
      const m = await prisma().message.findFirst({
        where: { id: messageId, projectId, person: { key: personKey } },
        select: { id: true, comm: { select: { key: true, spec: true } }, person: { select: { id: true, name: true, email: true } } },
      });
      return m ? { ...m, comm: { key: m.comm.key, spec: decodeCommSpec(m.comm.spec) } } : undefined;
    },
    async keysOf(personIds, messageIds) {
      const people = new Map(
        (await prisma().person.findMany({ where: { id: { in: [...personIds] } }, select: { id: true, key: true } })).map((p) => [p.id, p.key]),
      );
      const comms = new Map(
        (await prisma().message.findMany({ where: { id: { in: [...messageIds] } }, select: { id: true, comm: { select: { key: true } } } })).map((m) => [
          m.id,
          m.comm.key,
        ]),
      );
      return { people, comms };
    },
  };
}
