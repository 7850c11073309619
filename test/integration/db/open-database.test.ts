import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/database.ts';
import { HeraldError } from '../../../src/domain/errors.ts';
import { createPgliteTestDataDir } from '../../support/databases.ts';

/** A real process that stays alive until killed, to own a lock; and the pid of one that has exited. */
function liveProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return { pid: child.pid!, kill: () => child.kill() };
}
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('openDatabase on the embedded PGlite', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function dataDir(): Promise<string> {
    const d = await createPgliteTestDataDir();
    cleanups.push(d.remove);
    return d.dataDir;
  }

  it('opens a migrated database, holds a pid lock while open and releases it on close', async () => {
    const dir = await dataDir();
    const db = await openDatabase({ dataDir: dir });
    expect(db.kind).toBe('pglite');
    expect(readFileSync(join(dir, 'pglite.lock'), 'utf8').trim()).toBe(String(process.pid));
    expect(await db.prisma.project.count()).toBe(0);
    await db.close();
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(false);
  });

  it('refuses, in one clear line, a data folder another live Herald process holds', async () => {
    const dir = await dataDir();
    const owner = liveProcess();
    cleanups.push(owner.kill);
    writeFileSync(join(dir, 'pglite.lock'), `${owner.pid}\n`);
    const err = await openDatabase({ dataDir: dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HeraldError);
    expect(err).toMatchObject({
      code: 'DB_LOCKED',
      message: `embedded database ${dir} is in use by another Herald process (pid ${owner.pid}); PGlite serves one process at a time: run serve and worker together with "herald demo", or set DATABASE_URL to a PostgreSQL database`,
    });
    expect((err as Error).message).not.toContain('\n');
    expect(readFileSync(join(dir, 'pglite.lock'), 'utf8').trim()).toBe(String(owner.pid));
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = await dataDir();
    writeFileSync(join(dir, 'pglite.lock'), `${await deadPid()}\n`);
    const db = await openDatabase({ dataDir: dir });
    cleanups.push(() => db.close());
    expect(readFileSync(join(dir, 'pglite.lock'), 'utf8').trim()).toBe(String(process.pid));
  });

  it('treats a lock naming this pid but not held here as stale (a restarted container is pid 1 again)', async () => {
    const dir = await dataDir();
    writeFileSync(join(dir, 'pglite.lock'), `${process.pid}\n`);
    const db = await openDatabase({ dataDir: dir });
    cleanups.push(() => db.close());
    await expect(openDatabase({ dataDir: dir })).rejects.toMatchObject({ code: 'DB_LOCKED', message: expect.stringContaining('already open in this process') });
  });

  it('creates a missing data folder and migrates it on first start', async () => {
    const dir = join(await dataDir(), 'nested', '.herald');
    const lines: string[] = [];
    const db: Database = await openDatabase({ dataDir: dir, log: (l) => lines.push(l) });
    cleanups.push(() => db.close());
    const migrations = readdirSync(join(process.cwd(), 'prisma', 'migrations'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(lines).toEqual(migrations.map((m) => `applied migration ${m}`));
    expect(lines[0]).toMatch(/^applied migration \d{14}_init$/);
    expect(await db.prisma.message.count()).toBe(0);
  }, 60_000);
});

describe('openDatabase on PostgreSQL', () => {
  it('names the host and DATABASE_URL in one line when PostgreSQL cannot be reached', async () => {
    const err = await openDatabase({ databaseUrl: 'postgresql://herald:secret@127.0.0.1:1/herald', dataDir: '/nonexistent' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'DB_UNAVAILABLE', retryable: true });
    const message = (err as Error).message;
    expect(message).toMatch(/^cannot connect to PostgreSQL at 127\.0\.0\.1:1\/herald \(DATABASE_URL\): connection refused/);
    expect(message).not.toContain('secret');
    expect(message).not.toContain('\n');
  });

  it('says which database is missing', async () => {
    const err = await openDatabase({ databaseUrl: 'postgresql://postgres@127.0.0.1:5432/herald_t_does_not_exist', dataDir: '/nonexistent' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'DB_UNAVAILABLE', message: expect.stringContaining('"herald_t_does_not_exist" does not exist') });
  });
});
