/**
 * The one way Herald opens its database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL
 * is set, otherwise embedded PGlite under `<dataDir>/pglite`. Migrations run on open by default.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { runMigrations } from './migrate.ts';
import { lockPgliteDir, type FileLock } from './pglite-lock.ts';
import { unavailableError } from './postgres-errors.ts';
import type { SqlClient } from './repo/sql-client.ts';

export interface Database {
  prisma: PrismaClient;
  /** Raw SQL straight through the driver: the worker's hot path, where Prisma's per-query cost shows. */
  sql: SqlClient;
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
  const sql: SqlClient = {
    $queryRawUnsafe: async <T,>(text: string, ...values: unknown[]) => (await pool.query(text, values)).rows as T,
    $executeRawUnsafe: async (text: string, ...values: unknown[]) => (await pool.query(text, values)).rowCount ?? 0,
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
  const sql: SqlClient = {
    $queryRawUnsafe: async <T,>(text: string, ...values: unknown[]) => (await pglite.query(text, values)).rows as T,
    $executeRawUnsafe: async (text: string, ...values: unknown[]) => (await pglite.query(text, values)).affectedRows ?? 0,
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
