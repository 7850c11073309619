import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { createEmptyTestDatabase, createPgliteTestDataDir } from '../../support/databases.ts';

describe('herald db migrate', () => {
  it('applies every migration to an empty PostgreSQL database, then has nothing to do', async () => {
    const db = await createEmptyTestDatabase();
    try {
      const first = await runCli(['db', 'migrate'], { DATABASE_URL: db.url });
      expect(first.code).toBe(0);
      expect(first.stdout.trim()).not.toBe('database is up to date');
      const again = await runCli(['db', 'migrate'], { DATABASE_URL: db.url });
      expect(again).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
    } finally {
      await db.drop();
    }
  });

  it('finds an already migrated embedded database up to date', async () => {
    const dir = await createPgliteTestDataDir();
    try {
      const r = await runCli(['db', 'migrate'], { HERALD_DATA_DIR: dir.dataDir });
      expect(r).toMatchObject({ code: 0, stdout: 'database is up to date\n' });
    } finally {
      dir.remove();
    }
  });

  it('names an unreachable PostgreSQL in one error', async () => {
    const r = await runCli(['db', 'migrate'], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).not.toContain('    at ');
  });
});
