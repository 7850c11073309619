import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../package-root.ts';

export const MIGRATION_LOCK = 'migration_lock.toml';

/** The package's prisma/migrations, found from the package root so it works from any working directory. */
export const DEFAULT_MIGRATIONS_DIR = packagePath('prisma', 'migrations');

export interface MigrationFile {
  /** Folder name, e.g. `20261125190000_init`: Prisma's migration_name. */
  name: string;
  sql: string;
  /** sha256 hex of the file's bytes, as Prisma stores it in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** Migrations in the order Prisma applies them: folder names sorted lexically. */
export function listMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}
