/**
 * The one way Herald opens its database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL
 * is set, otherwise embedded PGlite under `<dataDir>/pglite`. Migrations run on open by default.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { runMigrations } from './migrate.ts';
import { lockPgliteDir, type FileLock } from './pglite-lock.ts';
import { unavailableError } from './postgres-errors.ts';
import type { SqlClient, SqlDatabase } from './repo/sql-client.ts';

function pgSql(db: pg.Pool | pg.PoolClient): SqlClient {
  return {
    $queryRawUnsafe: async <T,>(text: string, ...values: unknown[]) => (await db.query(text, values)).rows as T,
    $executeRawUnsafe: async (text: string, ...values: unknown[]) => (await db.query(text, values)).rowCount ?? 0,
  };
}

/** A transaction's connection can also COPY: the statement and its data stream share it. */
function pgTxSql(client: pg.PoolClient): SqlClient {
  return {
    ...pgSql(client),
    async copyFrom(statement, data) {
      const stream = client.query(copyFromStdin(statement));
      await pipeline(Readable.from(data), stream);
      return stream.rowCount;
    },
  };
}

function pgliteSql(db: Pick<PGlite, 'query'>): SqlClient {
  return {
    $queryRawUnsafe: async <T,>(text: string, ...values: unknown[]) => (await db.query(text, values)).rows as T,
    $executeRawUnsafe: async (text: string, ...values: unknown[]) => (await db.query(text, values)).affectedRows ?? 0,
    // PGlite reads COPY data from a Blob that the statement names as '/dev/blob'.
    copyFrom: async (statement, data) =>
      (await db.query(statement.replace(/\bFROM STDIN\b/, "FROM '/dev/blob'"), [], { blob: new Blob([...data]) })).affectedRows ?? 0,
  };
}

export interface Database {
  prisma: PrismaClient;
  /**
   * Raw SQL straight through the driver, with transactions on one connection: the worker's hot
   * path and bulk re-plans, where Prisma's per-query and per-row cost shows.
   */
  sql: SqlDatabase;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder for the embedded database when no URL is given (config HERALD_DATA_DIR, `./.herald`). */
  dataDir: string;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  log?: (line: string) => void;
  /** PostgreSQL pool size per process (default 10). */
  poolSize?: number;
  /** Server-side limit for one statement (default 120 s): a stuck query fails instead of hanging a worker. */
  statementTimeoutMs?: number;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPglite(opts);
}

async function openPostgres(url: string, opts: OpenDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: opts.statementTimeoutMs ?? 120_000,
    application_name: 'herald',
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw unavailableError(url, err);
  }
  try {
    if (opts.migrate ?? true) await runMigrations(pool, { log: opts.log });
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sql: SqlDatabase = {
    ...pgSql(pool),
    async $transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(pgTxSql(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
  };
  return {
    prisma,
    sql,
    kind: 'postgres',
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(opts: OpenDatabaseOptions): Promise<Database> {
  mkdirSync(opts.dataDir, { recursive: true });
  const lock = lockPgliteDir(join(opts.dataDir, 'pglite.lock'), opts.dataDir);
  let pglite: PGlite | undefined;
  try {
    pglite = await PGlite.create(join(opts.dataDir, 'pglite'));
    return await wrapPglite(pglite, { migrate: opts.migrate, log: opts.log, lock });
  } catch (err) {
    await pglite?.close().catch(() => {});
    lock.release();
    throw err;
  }
}

/**
 * Serves an already open PGlite instance (tests load a migrated snapshot this way). Closing the
 * Database closes the instance and releases `lock` if given.
 */
export async function wrapPglite(
  pglite: PGlite,
  opts: { migrate?: boolean | undefined; log?: ((line: string) => void) | undefined; lock?: FileLock } = {},
): Promise<Database> {
  if (opts.migrate ?? true) await runMigrations(pglite, { log: opts.log });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const sql: SqlDatabase = {
    ...pgliteSql(pglite),
    $transaction: (fn) => pglite.transaction((tx) => fn(pgliteSql(tx))),
  };
  return {
    prisma,
    sql,
    kind: 'pglite',
    async close() {
      try {
        await prisma.$disconnect();
        if (!pglite.closed) await pglite.close();
      } finally {
        opts.lock?.release();
      }
    },
  };
}
