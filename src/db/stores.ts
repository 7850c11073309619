/**
 * The stores src/app's ports ask for, on one connection, and the unit of work that hands them out
 * inside one transaction: a Prisma interactive transaction, or for bulk writes the driver-level one
 * (Database.sql.$transaction), because apply bulk-loads messages with COPY, which only a driver
 * connection can stream, and everything apply calls (plan, milestones, calendar, reminders,
 * triggers) must run on that same connection.
 */
import { HeraldError } from '../domain/errors.ts';
import type { Stores, TransactionOptions } from '../app/ports.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { retryTransient } from './postgres-errors.ts';
import { apiTokenStore, optOutStore, sessionStore } from './repo/access-store.ts';
import { responseStore } from './repo/answer-store.ts';
import { auditLog, planVersionStore } from './repo/audit-store.ts';
import { approvalStore } from './repo/approval-store.ts';
import { escalationStore, workstreamStore } from './repo/escalation-store.ts';
import { inboundStore } from './repo/inbound-store.ts';
import { calendarGrid, calendarMessages, calendarOccurrences, occurrenceCopies, pendingMessages } from './repo/calendar-reads.ts';
import { loadExplanations } from './repo/explanation-store.ts';
import { responseReads } from './repo/response-reads.ts';
import { overviewReads } from './repo/overview-reads.ts';
import { loadDigestSnapshot } from './repo/digest-snapshot.ts';
import { messageLogStore } from './repo/message-log.ts';
import { decodePlan } from './repo/json-columns.ts';
import { answeredSurveys, lastOccurrence, loadExisting, nextOccurrence, remindersPaused, writeDiff } from './repo/message-store.ts';
import { loadMilestones, markMilestoneDone, recordMove, savePlan, setMilestoneAt } from './repo/plan-store.ts';
import { loadProject, planById, projectIdOf, savePlanJson } from './repo/project-store.ts';
import type { SqlClient, SqlDatabase } from './repo/sql-client.ts';
import { withTransaction, type Tx } from './transaction.ts';

/** One connection: raw SQL and Prisma on it (a driver transaction has no Prisma). */
interface Connection {
  sql: SqlClient;
  prisma(): Tx;
  /** Where transactions begin: only the pool's stores have it; a transaction's stores run `transaction` in place. */
  begin?: { driver: SqlDatabase; prisma(): PrismaClient };
}

function noPrisma(): never {
  throw new HeraldError(
    'INTERNAL',
    'this store needs Prisma, which a bulk (driver-level) transaction does not have: open the transaction without { bulk: true }',
  );
}

/** The stores of a Database: on its pool, with transactions from it. The Prisma client is made on first use. */
export function databaseStores(sql: SqlDatabase, prisma: () => PrismaClient): Stores {
  return storesOn({ sql, prisma, begin: { driver: sql, prisma } });
}

function storesOn(conn: Connection): Stores {
  const db = conn.sql;
  const stores: Stores = {
    projects: {
      savePlan: (plan, hash, instants, now, warnings) => savePlan(db, plan, hash, instants, now, warnings),
      load: (projectKey) => loadProject(db, projectKey),
      idOf: (projectKey) => projectIdOf(db, projectKey),
      findWithPlan: async (projectKey) => {
        const row = await conn.prisma().project.findUnique({ where: { key: projectKey }, select: { id: true, plan: true } });
        return row ? { id: row.id, plan: decodePlan(row.plan) } : undefined;
      },
      keys: async () => (await conn.prisma().project.findMany({ select: { key: true } })).map((p) => p.key),
      findId: async (projectKey) => (await conn.prisma().project.findUnique({ where: { key: projectKey }, select: { id: true } }))?.id ?? null,
      planById: (projectId) => planById(db, projectId),
      planVersion: async (projectId) => (await conn.prisma().project.findUniqueOrThrow({ where: { id: projectId }, select: { updatedAt: true } })).updatedAt,
      savePlanJson: (projectId, plan) => savePlanJson(db, projectId, plan),
    },
    people: {
      findId: async (projectId, key) =>
        (await conn.prisma().person.findUnique({ where: { projectId_key: { projectId, key } }, select: { id: true } }))?.id ?? null,
    },
    milestones: {
      byKey: (projectId) => loadMilestones(db, projectId),
      setAt: (projectId, key, at, localAt) => setMilestoneAt(db, projectId, key, at, localAt),
      recordMove: (projectId, key, from, to, source, movedAt) => recordMove(db, projectId, key, from, to, source, movedAt),
      markDone: (milestoneId, at) => markMilestoneDone(db, milestoneId, at),
      withMoveCounts: async (projectKey) => {
        const project = await conn.prisma().project.findUniqueOrThrow({
          where: { key: projectKey },
          select: { milestones: { select: { key: true, label: true, at: true, doneAt: true, _count: { select: { moves: true } } } } },
        });
        return project.milestones.map(({ _count, ...m }) => ({ ...m, moves: _count.moves }));
      },
    },
    calendar: {
      existing: (projectId, commIds) => loadExisting(db, projectId, commIds),
      writeDiff: (projectId, diff, ids, opts) => writeDiff(db, projectId, diff, ids, opts),
      nextOccurrence: (commId) => nextOccurrence(db, commId),
      lastOccurrence: (commId) => lastOccurrence(db, commId),
      answered: (projectId, commKeys) => answeredSurveys(db, projectId, commKeys),
      remindersPaused: (projectId, now) => remindersPaused(db, projectId, now),
    },
    apiTokens: apiTokenStore(conn.prisma),
    sessions: sessionStore(conn.prisma),
    optOuts: optOutStore(conn.prisma),
    responses: responseStore(db, conn.prisma),
    workstreams: workstreamStore(conn.prisma),
    escalations: escalationStore(conn.prisma),
    approvals: approvalStore(conn.prisma),
    inbound: inboundStore(conn.prisma),
    responseReads: responseReads(db, conn.prisma),
    overviewReads: overviewReads(conn.prisma),
    messageLog: messageLogStore(db),
    audit: auditLog(db),
    planVersions: planVersionStore(db),
    digests: { snapshot: (input) => loadDigestSnapshot(conn.prisma(), input) },
    calendarReads: {
      messages: (projectId, f) => calendarMessages(db, projectId, f),
      pending: () => pendingMessages(db),
      explanations: (projectId, hashes) => loadExplanations(db, projectId, hashes),
      grid: (q) => calendarGrid(db, q),
      occurrences: (q) => calendarOccurrences(db, q),
      copies: (q) => occurrenceCopies(db, q),
    },
    retrying: (fn) => retryTransient(fn),
    transaction: <T>(fn: (tx: Stores) => Promise<T>, opts: TransactionOptions = {}): Promise<T> => {
      const { begin } = conn;
      if (!begin) return fn(stores);
      // The driver ignores the limits (its statement_timeout bounds each statement); Prisma needs them.
      if (opts.bulk) return begin.driver.$transaction((tx) => fn(storesOn({ sql: tx, prisma: noPrisma })));
      return withTransaction(begin.prisma(), (tx) => fn(storesOn({ sql: tx, prisma: () => tx })), opts);
    },
  };
  return stores;
}
