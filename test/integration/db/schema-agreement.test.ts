/**
 * Proof that prisma/migrations, the database Herald's runner builds from them, and
 * prisma/schema.prisma describe the same thing, judged by Prisma's own schema engine (WASM).
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../src/db/migrate.ts';
import { DEFAULT_MIGRATIONS_DIR, listMigrations } from '../../../src/db/migrations-dir.ts';
import {
  isEmptyDiff,
  migrationList,
  migrationsTarget,
  openSchemaEngine,
  schemaTarget,
  databaseTarget,
  type SchemaEngineSession,
} from '../../../src/db/schema-engine.ts';
import { createEmptyTestDatabase } from '../../support/databases.ts';

async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** `_prisma_migrations` as Prisma compares it: its columns, and each row without ids and times. */
async function bookings(url: string) {
  const columns = await sql(
    url,
    `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
    FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
  );
  const rows = await sql(
    url,
    `SELECT migration_name, checksum, logs, applied_steps_count, finished_at IS NOT NULL AS finished,
    rolled_back_at IS NULL AS live, length(id) AS id_length FROM _prisma_migrations ORDER BY started_at`,
  );
  return { columns, rows };
}

const schemaPath = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));
const fix = 'run `npm run db:diff -- NAME` to write the missing migration';

describe('migrations agree with schema.prisma (Prisma schema engine)', () => {
  let herald: { url: string; drop(): Promise<void> };
  let engine: SchemaEngineSession;

  beforeAll(async () => {
    herald = await createEmptyTestDatabase();
    await runMigrations(herald.url);
    engine = await openSchemaEngine(herald.url, schemaPath);
  });
  afterAll(async () => {
    await engine?.close();
    await herald?.drop();
  });

  it('migrations directory → schema.prisma is an empty diff', async () => {
    const sql = await engine.diff(migrationsTarget(DEFAULT_MIGRATIONS_DIR), schemaTarget(schemaPath), true);
    expect(isEmptyDiff(sql), `${fix}; pending SQL:\n${sql}`).toBe(true);
  });

  it('the database migrated by Herald → schema.prisma is an empty diff', async () => {
    const summary = await engine.diff(databaseTarget(schemaPath), schemaTarget(schemaPath), false);
    expect(isEmptyDiff(summary), `${fix}; differences:\n${summary}`).toBe(true);
  });

  it('Prisma reads the history Herald booked as complete and unedited (what `migrate deploy` checks)', async () => {
    const diagnosis = await engine.engine.diagnoseMigrationHistory({
      migrationsList: migrationList(DEFAULT_MIGRATIONS_DIR),
      optInToShadowDatabase: false,
      filters: { externalTables: [], externalEnums: [] },
    });
    expect(diagnosis).toMatchObject({ history: null, failedMigrationNames: [], editedMigrationNames: [], hasMigrationsTable: true });
  });

  it('Prisma applying the same migrations books the same rows as Herald', async () => {
    const other = await createEmptyTestDatabase();
    let prisma = await openSchemaEngine(other.url, schemaPath);
    try {
      const out = await prisma.engine.applyMigrations({
        migrationsList: migrationList(DEFAULT_MIGRATIONS_DIR),
        filters: { externalTables: [], externalEnums: [] },
      });
      expect(out.appliedMigrationNames).toEqual(listMigrations().map((m) => m.name));
      // Prisma holds its migration advisory lock (the key Herald takes too) while its connection lives.
      await prisma.close();
      prisma = await openSchemaEngine(other.url, schemaPath);
      // Herald then finds nothing to do on a database Prisma migrated.
      expect(await runMigrations(other.url)).toEqual({ applied: [] });
      expect(await bookings(other.url)).toEqual(await bookings(herald.url));
      const sameSchema = await prisma.diff(databaseTarget(schemaPath), schemaTarget(schemaPath), false);
      expect(isEmptyDiff(sameSchema), sameSchema).toBe(true);
      // The check is not vacuous: a database that drifted from the schema is caught.
      await sql(other.url, 'DROP INDEX "Message_commId_occurrence_idx"');
      expect(await prisma.diff(databaseTarget(schemaPath), schemaTarget(schemaPath), false)).toContain('Added index on columns (commId, occurrence)');
    } finally {
      await prisma.close();
      await other.drop();
    }
  });
});
