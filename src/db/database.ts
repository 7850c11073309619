/**
 * The one way Herald opens its database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL
 * is set, otherwise embedded PGlite under `<dataDir>/pglite`. Migrations run on open by default.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type { from as CopyFrom } from 'pg-copy-streams';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaClient } from '../generated/prisma/client.ts';
import { runMigrations } from './migrate.ts';
import { lockPgliteDir, type FileLock } from './pglite-lock.ts';
import { unavailableError } from './postgres-errors.ts';
import type { SqlClient, SqlDatabase } from './repo/sql-client.ts';
import type { Stores } from '../app/ports.ts';
import { databaseStores } from './stores.ts';

function pgSql(db: pg.Pool | pg.PoolClient): SqlClient {
  return {
    $queryRawUnsafe: async <T>(text: string, ...values: unknown[]) => (await db.query(text, values)).rows as T,
    $executeRawUnsafe: async (text: string, ...values: unknown[]) => (await db.query(text, values)).rowCount ?? 0,
  };
}

/** A transaction's connection can also COPY: the statement and its data stream share it. */
function pgTxSql(client: pg.PoolClient, copyFromStdin: typeof CopyFrom): SqlClient {
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
    $queryRawUnsafe: async <T>(text: string, ...values: unknown[]) => (await db.query(text, values)).rows as T,
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
  /** The stores src/app's use cases take, on `sql`; `stores.transaction` is the unit of work. */
  stores: Stores;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/**
 * The Prisma client, made on first use: the worker's hot path runs on `sql` and may never touch
 * it, and an unused client still costs ~4 MiB of an idle worker's memory (bench:cli).
 */
function lazyPrisma(adapter: () => NonNullable<ConstructorParameters<typeof PrismaClient>[0]['adapter']>): {
  get(): PrismaClient;
  disconnect(): Promise<void>;
} {
  let client: PrismaClient | undefined;
  return {
    get: () => (client ??= new PrismaClient({ adapter: adapter() })),
    disconnect: async () => client?.$disconnect(),
  };
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

// Each kind imports its own driver when opened: a PostgreSQL worker never loads PGlite's, nor
// the embedded database pg's.
async function openPostgres(url: string, opts: OpenDatabaseOptions): Promise<Database> {
  const { default: pg } = await import('pg');
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { from: copyFromStdin } = await import('pg-copy-streams');
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
  // Nor one that is checked out (a transaction, Prisma's adapter): pg emits the loss on the client
  // itself, and its query in flight rejects anyway, so the event needs a listener, not a handler.
  pool.on('connect', (client) => client.on('error', () => {}));
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
  const prisma = lazyPrisma(() => new PrismaPg(pool));
  const sql: SqlDatabase = {
    ...pgSql(pool),
    async $transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(pgTxSql(client, copyFromStdin));
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
    get prisma() {
      return prisma.get();
    },
    sql,
    stores: databaseStores(sql, prisma.get),
    kind: 'postgres',
    async close() {
      await prisma.disconnect();
      await pool.end();
    },
  };
}

async function openPglite(opts: OpenDatabaseOptions): Promise<Database> {
  mkdirSync(opts.dataDir, { recursive: true });
  const lock = lockPgliteDir(join(opts.dataDir, 'pglite.lock'), opts.dataDir);
  let pglite: PGlite | undefined;
  try {
    const { PGlite } = await import('@electric-sql/pglite');
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
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const prisma = lazyPrisma(() => new PrismaPGlite(pglite));
  const sql: SqlDatabase = {
    ...pgliteSql(pglite),
    $transaction: (fn) => pglite.transaction((tx) => fn(pgliteSql(tx))),
  };
  return {
    get prisma() {
      return prisma.get();
    },
    sql,
    stores: databaseStores(sql, prisma.get),
    kind: 'pglite',
    async close() {
      try {
        await prisma.disconnect();
        if (!pglite.closed) await pglite.close();
      } finally {
        opts.lock?.release();
      }
    },
  };
}
