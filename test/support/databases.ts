/**
 * Databases for tests. Each call makes a new, empty, migrated database that only its caller uses;
 * always drop (PostgreSQL) or close (PGlite) it in afterEach/afterAll.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { openDatabase, wrapPglite, type Database } from '../../src/db/database.ts';
import { dropDatabase, quoteIdent, urlFor, withAdmin } from './pg-admin.ts';
import { migratedPgliteSnapshot } from './pglite-snapshot.ts';
import { dbPrefix } from './run-id.ts';

export type TestDatabase = Database & { url: string; drop(): Promise<void> };

function pgSetup(): { adminUrl: string; template: string } {
  const error = inject('heraldPgError');
  if (error) throw new Error(error);
  return { adminUrl: inject('heraldPgAdminUrl'), template: inject('heraldTemplateDb') };
}

/** A new database name of this run, for tests that create a database themselves (e.g. to migrate it). */
export function testDatabaseName(): string {
  return `${dbPrefix(inject('heraldRunId'))}${randomBytes(5).toString('hex')}`;
}

/** A URL to a new, empty (unmigrated) PostgreSQL database; drop it with dropTestDatabase(name). */
export async function createEmptyTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const { adminUrl } = pgSetup();
  const name = testDatabaseName();
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
  return { name, url: urlFor(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}

/** A migrated PostgreSQL database copied from the run's template (~0.2 s; no migrations run). */
export async function createTestDatabase(opts: { poolSize?: number } = {}): Promise<TestDatabase> {
  const { adminUrl, template } = pgSetup();
  const name = testDatabaseName();
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`));
      break;
    } catch (err) {
      // 55006: the template is briefly in use (another process copying it on an older server).
      if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 50 + attempt * 25));
    }
  }
  const url = urlFor(adminUrl, name);
  const db = await openDatabase({ databaseUrl: url, dataDir: tmpdir(), migrate: false, poolSize: opts.poolSize ?? 5 });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await db.close();
  };
  return {
    ...db,
    close,
    url,
    drop: async () => {
      await close();
      await dropDatabase(adminUrl, name);
    },
  };
}

/** A migrated in-memory PGlite database loaded from the run's snapshot (~0.5 s). Close it when done. */
export async function createPgliteTestDatabase(): Promise<Database> {
  const pglite = await PGlite.create({ loadDataDir: await migratedPgliteSnapshot(inject('heraldRunId')) });
  return wrapPglite(pglite, { migrate: false });
}

/**
 * A temporary HERALD_DATA_DIR whose embedded database is already migrated, for tests that run
 * Herald the way a user does (openDatabase without DATABASE_URL, the CLI). `remove()` deletes it.
 */
export async function createPgliteTestDataDir(): Promise<{ dataDir: string; remove(): void }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-t-data-'));
  const pglite = await PGlite.create(join(dataDir, 'pglite'), { loadDataDir: await migratedPgliteSnapshot(inject('heraldRunId')) });
  await pglite.close();
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}
