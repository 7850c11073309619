/**
 * Herald's migration runner. `prisma migrate` needs a native engine that cannot be downloaded
 * offline, so Herald applies prisma/migrations itself and books each one in `_prisma_migrations`
 * exactly as Prisma's schema engine does; `prisma migrate deploy` on a connected machine agrees.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { HeraldError } from '../domain/errors.ts';
import { DEFAULT_MIGRATIONS_DIR, listMigrations } from './migrations-dir.ts';

/** Where to migrate: a pg Pool, a PostgreSQL URL, or an open PGlite instance. */
export type MigrationTarget = pg.Pool | PGlite | string;

export interface MigrateOptions {
  /** Defaults to the repository's prisma/migrations. */
  dir?: string;
  log?: (line: string) => void;
}

/** The schema engine's own DDL (sql-schema-connector, postgres flavour). */
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/** The advisory lock key Prisma's schema engine takes on PostgreSQL, so Herald and Prisma also exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

interface Session {
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script as one implicit transaction (simple query protocol), as Prisma does. */
  script(sql: string): Promise<void>;
}

interface BookedMigration {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function runMigrations(target: MigrationTarget, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  // Told apart by shape, not instanceof, so that migrating one kind never loads the other's driver.
  if (typeof target !== 'string' && !('connect' in target)) {
    // pglite-prisma-adapter 0.7.2 reports a failed statement as done, so talk to PGlite directly.
    const pglite = target;
    return migrate(
      {
        rows: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
        script: async (sql) => void (await pglite.exec(sql)),
      },
      opts,
    );
  }
  const pool = typeof target === 'string' ? new (await import('pg')).default.Pool({ connectionString: target, max: 1 }) : target;
  const client = await pool.connect();
  try {
    const session: Session = {
      rows: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
      script: async (sql) => void (await client.query(sql)),
    };
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    try {
      return await migrate(session, opts);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => {});
    }
  } finally {
    client.release();
    if (typeof target === 'string') await pool.end();
  }
}

async function migrate(db: Session, opts: MigrateOptions): Promise<{ applied: string[] }> {
  const files = listMigrations(opts.dir ?? DEFAULT_MIGRATIONS_DIR);
  await db.script(MIGRATIONS_TABLE);
  const booked = await db.rows<BookedMigration>('SELECT id, migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at');
  const failed = booked.filter((b) => b.finished_at === null && b.rolled_back_at === null);
  if (failed.length > 0) {
    throw new HeraldError(
      'DB_MIGRATION_FAILED',
      `migration ${failed.map((f) => f.migration_name).join(', ')} failed earlier and was left half-applied; new migrations will not be applied`,
      {
        hint: 'fix the database by hand, then mark it with `npx prisma migrate resolve --rolled-back NAME` (or --applied NAME)',
      },
    );
  }
  const done = new Map(booked.filter((b) => b.finished_at !== null).map((b) => [b.migration_name, b]));
  const applied: string[] = [];
  for (const file of files) {
    const prior = done.get(file.name);
    if (prior) {
      if (prior.checksum !== file.checksum) opts.log?.(`warning: migration ${file.name} was edited after it was applied (checksum differs)`);
      continue;
    }
    const id = randomUUID();
    await db.rows('INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ($1, $2, $3)', [id, file.checksum, file.name]);
    try {
      await db.script(file.sql);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await db.rows('UPDATE _prisma_migrations SET logs = $2 WHERE id = $1', [id, message]);
      throw new HeraldError('DB_MIGRATION_FAILED', `migration ${file.name} failed: ${message}`, { cause: err });
    }
    await db.rows('UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1 WHERE id = $1', [id]);
    await db.rows('UPDATE _prisma_migrations SET finished_at = now() WHERE id = $1', [id]);
    applied.push(file.name);
    opts.log?.(`applied migration ${file.name}`);
  }
  return { applied };
}

/**
 * For `herald doctor`: which migrations the database at `url` has not applied, and which failed
 * halfway, without applying anything. Throws when the database cannot be reached.
 */
export async function migrationStatus(url: string, opts: { dir?: string; timeoutMs?: number } = {}): Promise<{ pending: string[]; failed: string[] }> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: opts.timeoutMs ?? 5_000, application_name: 'herald doctor' });
  client.on('error', () => {});
  await client.connect();
  try {
    const files = listMigrations(opts.dir ?? DEFAULT_MIGRATIONS_DIR);
    const [exists] = (await client.query<{ t: string | null }>(`SELECT to_regclass('_prisma_migrations')::text AS t`)).rows;
    if (!exists?.t) return { pending: files.map((f) => f.name), failed: [] };
    const booked = (await client.query<BookedMigration>('SELECT id, migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations')).rows;
    const done = new Set(booked.filter((b) => b.finished_at !== null).map((b) => b.migration_name));
    return {
      pending: files.filter((f) => !done.has(f.name)).map((f) => f.name),
      failed: booked.filter((b) => b.finished_at === null && b.rolled_back_at === null).map((b) => b.migration_name),
    };
  } finally {
    await client.end().catch(() => {});
  }
}
