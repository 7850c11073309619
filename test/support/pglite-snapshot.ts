import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { runMigrations } from '../../src/db/migrate.ts';

/** Where a run keeps its migrated PGlite data folder as a tarball (removed by the global teardown). */
export const snapshotPath = (runId: string) => join(tmpdir(), `herald-t-${runId}-pglite.tar`);

let cached: Promise<Blob> | undefined;

/**
 * A freshly created PGlite costs ~3 s (initdb) plus the migrations; loading a dump costs ~0.5 s.
 * The first test process that needs it builds the dump; others of the same run read the file.
 * Two processes racing both build it and the rename keeps one: harmless.
 */
export function migratedPgliteSnapshot(runId: string): Promise<Blob> {
  cached ??= (async () => {
    const path = snapshotPath(runId);
    if (existsSync(path)) return new Blob([readFileSync(path)]);
    const pglite = await PGlite.create();
    try {
      await runMigrations(pglite);
      const blob = await pglite.dumpDataDir('none');
      const tmp = `${path}.${process.pid}.${randomBytes(3).toString('hex')}`;
      writeFileSync(tmp, new Uint8Array(await blob.arrayBuffer()));
      renameSync(tmp, path);
      return blob;
    } finally {
      await pglite.close();
    }
  })();
  return cached;
}
