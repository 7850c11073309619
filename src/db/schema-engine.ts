/**
 * Prisma's schema engine, run as WebAssembly, for developer tooling only (new migration SQL and
 * the test that proves migrations and schema.prisma agree). `prisma migrate` needs a native engine
 * it cannot download offline; the WASM build speaks to PostgreSQL through @prisma/adapter-pg.
 * Needs the dev dependency @prisma/schema-engine-wasm: never import this from runtime code.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DiffTarget, MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { listMigrations, MIGRATION_LOCK } from './migrations-dir.ts';

const require = createRequire(import.meta.url);
const NO_FILTER = { externalTables: [], externalEnums: [] };

interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: unknown } }>;
}
type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
let bindings: Promise<Bindings> | undefined;

/** Prefers the engine build shipped inside the `prisma` CLI (same version as the CLI); the npm glue is ABI-identical. */
function wasmPath(): string {
  const cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'schema_engine_bg.wasm');
  if (existsSync(cli)) return cli;
  return join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
}

async function loadBindings(): Promise<Bindings> {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void } };
  g.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m: string) => process.stderr.write(`schema engine panic: ${m}\n`) };
  // The `@types/node` lib set has no WebAssembly typings; Node 20 has the global.
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const { instance } = await wasm.instantiate(readFileSync(wasmPath()), { './schema_engine_bg.js': bg });
  const exports = instance.exports as unknown as { __wbindgen_start(): void };
  (bg as unknown as { __wbg_set_wasm(w: unknown): void }).__wbg_set_wasm(exports);
  exports.__wbindgen_start();
  return bg;
}

/** adapter-pg rejects the catalog's `"char"` columns (OID 18) that the engine's introspection reads; read them as text. */
class CatalogClient extends pg.Client {
  override query(...args: unknown[]): never {
    const fix = (res: unknown): unknown => {
      for (const r of Array.isArray(res) ? res : [res]) {
        for (const f of (r as pg.QueryResult | undefined)?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
      }
      return res;
    };
    const cb = args.at(-1);
    if (typeof cb === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => (cb as (e: unknown, r: unknown) => void)(err, err ? res : fix(res));
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    return (out instanceof Promise ? out.then(fix) : out) as never;
  }
}

function poolConfig(url: string, database?: string): pg.PoolConfig {
  // Separate fields, not connectionString: a connection string would override `database` for the shadow DB.
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: database ?? decodeURIComponent(u.pathname.slice(1) || 'postgres'),
    max: 2,
    Client: CatalogClient,
  };
}

/** adapter-pg's own shadow-DB support drops the database before closing its pool, which PostgreSQL refuses. */
function adapterFactory(url: string, opened: SqlDriverAdapter[]): SqlMigrationAwareDriverAdapterFactory {
  const main = new PrismaPg(poolConfig(url));
  return {
    provider: 'postgres',
    adapterName: main.adapterName,
    // Kept so close() can end the pools: freeing the engine does not, and Prisma's engine holds its
    // migration advisory lock for as long as its connection lives.
    connect: async () => {
      const adapter = await main.connect();
      opened.push(adapter);
      return adapter;
    },
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const name = `herald_shadow_${randomUUID().replaceAll('-', '')}`;
      const admin = async (sql: string) => {
        const c = new pg.Client(poolConfig(url));
        await c.connect();
        try {
          await c.query(sql);
        } finally {
          await c.end();
        }
      };
      await admin(`CREATE DATABASE "${name}"`);
      const adapter = await new PrismaPg(poolConfig(url, name)).connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
}

export function migrationList(migrationsDir: string): MigrationList {
  const lock = join(migrationsDir, MIGRATION_LOCK);
  return {
    baseDir: migrationsDir,
    lockfile: { path: MIGRATION_LOCK, content: existsSync(lock) ? readFileSync(lock, 'utf8') : 'provider = "postgresql"\n' },
    shadowDbInitScript: '',
    migrationDirectories: listMigrations(migrationsDir).map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
    })),
  };
}

export interface SchemaEngineSession {
  /** The engine itself, for commands such as applyMigrations or diagnoseMigrationHistory. */
  engine: SchemaEngine;
  /** The engine's output verbatim: SQL (script) or a human summary that takes `from` to `to`. */
  diff(from: DiffTarget, to: DiffTarget, script: boolean): Promise<string>;
  close(): Promise<void>;
}

/** `databaseUrl` is any reachable PostgreSQL: shadow databases are created beside it and dropped after. */
export async function openSchemaEngine(databaseUrl: string, schemaPath: string): Promise<SchemaEngineSession> {
  bindings ??= loadBindings();
  const bg = await bindings;
  const schema = readFileSync(schemaPath, 'utf8');
  const opened: SqlDriverAdapter[] = [];
  const engine: SchemaEngine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory(databaseUrl, opened)),
  );
  return {
    engine,
    async diff(from, to, script) {
      const r = await engine.diff({ from, to, script, exitCode: null, filters: NO_FILTER });
      return r.stdout ?? '';
    },
    async close() {
      engine.free();
      await Promise.all(opened.splice(0).map((a) => a.dispose().catch(() => {})));
    },
  };
}

/** True when a diff's output (script or summary) says there is nothing to change. */
export function isEmptyDiff(out: string): boolean {
  const t = out.trim();
  return t === '' || t === '-- This is an empty migration.' || t === 'No difference detected.';
}

export const schemaTarget = (schemaPath: string): DiffTarget => ({
  tag: 'schemaDatamodel',
  files: [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }],
});
export const migrationsTarget = (dir: string): DiffTarget => ({ tag: 'migrations', ...migrationList(dir) });
/** The live database this session's engine is connected to (Prisma 7's `--from-config-datasource`). */
export const databaseTarget = (schemaPath: string): DiffTarget => ({
  tag: 'schemaDatasource',
  files: [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }],
  configDir: dirname(schemaPath),
});
