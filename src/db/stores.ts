/**
 * The stores src/app's ports ask for, on one connection, and the unit of work that hands them out
 * inside one transaction. The transaction is the driver-level one (Database.sql.$transaction): apply
 * bulk-loads messages with COPY, which only a driver connection can stream, and everything apply
 * calls (plan, milestones, calendar, reminders, triggers) must run on that same connection.
 */
import type { Stores, TransactionOptions } from '../app/ports.ts';
import { answeredSurveys, lastOccurrence, loadExisting, nextOccurrence, remindersPaused, writeDiff } from './repo/message-store.ts';
import { loadMilestones, markMilestoneDone, recordMove, savePlan, setMilestoneAt } from './repo/plan-store.ts';
import { loadProject, projectIdOf, savePlanJson } from './repo/project-store.ts';
import type { SqlClient, SqlDatabase } from './repo/sql-client.ts';

/**
 * Stores on `db`. Given a SqlDatabase (the pool), `transaction` opens a transaction and hands out
 * stores on it; given a transaction's SqlClient, `transaction` runs in the one already open.
 */
export function storesOn(db: SqlClient | SqlDatabase): Stores {
  const stores: Stores = {
    projects: {
      savePlan: (plan, hash, instants, warnings) => savePlan(db, plan, hash, instants, warnings),
      load: (projectKey) => loadProject(db, projectKey),
      idOf: (projectKey) => projectIdOf(db, projectKey),
      savePlanJson: (projectId, plan) => savePlanJson(db, projectId, plan),
    },
    milestones: {
      byKey: (projectId) => loadMilestones(db, projectId),
      setAt: (projectId, key, at, localAt) => setMilestoneAt(db, projectId, key, at, localAt),
      recordMove: (projectId, key, from, to, source) => recordMove(db, projectId, key, from, to, source),
      markDone: (milestoneId, at) => markMilestoneDone(db, milestoneId, at),
    },
    calendar: {
      existing: (projectId, commIds) => loadExisting(db, projectId, commIds),
      writeDiff: (projectId, diff, ids, opts) => writeDiff(db, projectId, diff, ids, opts),
      nextOccurrence: (commId) => nextOccurrence(db, commId),
      lastOccurrence: (commId) => lastOccurrence(db, commId),
      answered: (projectId, commKeys) => answeredSurveys(db, projectId, commKeys),
      remindersPaused: (projectId, now) => remindersPaused(db, projectId, now),
    },
    transaction: <T,>(fn: (tx: Stores) => Promise<T>, opts: TransactionOptions = {}): Promise<T> =>
      '$transaction' in db
        ? db.$transaction((tx) => fn(storesOn(tx)), { timeout: opts.timeoutMs ?? 120_000, maxWait: opts.maxWaitMs ?? 10_000 })
        : fn(stores),
  };
  return stores;
}
