import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../src/db/migrate.ts';
import { DEFAULT_MIGRATIONS_DIR, listMigrations } from '../../../src/db/migrations-dir.ts';
import { createEmptyTestDatabase } from '../../support/databases.ts';

const files = listMigrations();

async function bookedRows(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT * FROM _prisma_migrations ORDER BY started_at')).rows;
  } finally {
    await client.end();
  }
}

function expectPrismaRows(rows: Record<string, unknown>[]): void {
  expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
  for (const [i, row] of rows.entries()) {
    const file = files[i]!;
    const sha = createHash('sha256')
      .update(readFileSync(join(DEFAULT_MIGRATIONS_DIR, file.name, 'migration.sql')))
      .digest('hex');
    expect(row).toMatchObject({ checksum: sha, logs: null, rolled_back_at: null, applied_steps_count: 1 });
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row.finished_at).toBeInstanceOf(Date);
    expect((row.finished_at as Date).getTime()).toBeGreaterThanOrEqual((row.started_at as Date).getTime());
  }
}

/** A migrations folder whose second migration fails half-way. */
function brokenMigrationsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'herald-t-migrations-'));
  const write = (name: string, sql: string) => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  };
  write('20260101000000_one', 'CREATE TABLE "One" ("id" INTEGER NOT NULL);\n');
  write('20260102000000_two', 'CREATE TABLE "Two" ("id" INTEGER);\nSELECT no_such_function();\n');
  return dir;
}

describe('migrations on PostgreSQL', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('has the init migration in Prisma layout', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files[0]!.name).toMatch(/^\d{14}_init$/);
    expect(readFileSync(join(DEFAULT_MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
  });

  it('applies every migration once, books it as Prisma does, and is idempotent', async () => {
    const db = await createEmptyTestDatabase();
    cleanups.push(db.drop);
    expect(await runMigrations(db.url)).toEqual({ applied: files.map((f) => f.name) });
    expect(await runMigrations(db.url)).toEqual({ applied: [] });
    expectPrismaRows(await bookedRows(db.url));
  });

  it('lets only one of several processes starting together migrate', async () => {
    const db = await createEmptyTestDatabase();
    cleanups.push(db.drop);
    const results = await Promise.all([1, 2, 3, 4].map(() => runMigrations(db.url)));
    expect(results.flatMap((r) => r.applied)).toEqual(files.map((f) => f.name));
    expectPrismaRows(await bookedRows(db.url));
  });

  it('records a failed migration with its error and refuses to go on, like Prisma', async () => {
    const db = await createEmptyTestDatabase();
    const dir = brokenMigrationsDir();
    cleanups.push(db.drop, () => rmSync(dir, { recursive: true, force: true }));
    await expect(runMigrations(db.url, { dir })).rejects.toMatchObject({ code: 'DB_MIGRATION_FAILED', message: expect.stringContaining('20260102000000_two') });
    const rows = await bookedRows(db.url);
    expect(rows.map((r) => [r.migration_name, r.finished_at === null, r.applied_steps_count])).toEqual([
      ['20260101000000_one', false, 1],
      ['20260102000000_two', true, 0],
    ]);
    expect(rows[1]!.logs).toContain('no_such_function');
    // The script ran as one implicit transaction: its first statement was rolled back too.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const tables = (await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.tablename);
    await client.end();
    expect(tables).toEqual(['One', '_prisma_migrations']);
    await expect(runMigrations(db.url, { dir })).rejects.toThrow(/failed earlier/);
  });
});

describe('migrations on PGlite', () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create();
  });
  afterAll(async () => {
    await pglite.close();
  });

  it('applies every migration once, books it as Prisma does, and is idempotent', async () => {
    expect(await runMigrations(pglite)).toEqual({ applied: files.map((f) => f.name) });
    expect(await runMigrations(pglite)).toEqual({ applied: [] });
    expectPrismaRows((await pglite.query<Record<string, unknown>>('SELECT * FROM _prisma_migrations ORDER BY started_at')).rows);
  });

  it('notices a failing statement (pglite.exec reports it) and books the failure', async () => {
    const dir = brokenMigrationsDir();
    try {
      await pglite.exec('CREATE SCHEMA broken; SET search_path TO broken');
      await expect(runMigrations(pglite, { dir })).rejects.toMatchObject({ code: 'DB_MIGRATION_FAILED' });
      const rows = (
        await pglite.query<{ migration_name: string; logs: string | null }>(
          'SELECT migration_name, logs FROM broken._prisma_migrations WHERE finished_at IS NULL',
        )
      ).rows;
      expect(rows).toEqual([{ migration_name: '20260102000000_two', logs: expect.stringContaining('no_such_function') }]);
    } finally {
      await pglite.exec('SET search_path TO public; DROP SCHEMA broken CASCADE');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
