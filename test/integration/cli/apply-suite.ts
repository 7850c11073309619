/** The `herald apply` tests, run once per database backend (one file each, so they run in parallel). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/db/database.ts';
import { runCli } from '../../support/cli.ts';
import { EXAMPLE_CLOCK_ENV } from '../../fixtures/example-now.ts';
import { createPgliteTestDataDir, createTestDatabase } from '../../support/databases.ts';
import { EXAMPLE, exampleVariant, ok, PROJECT, summaryCounts, type Env } from './cli-fixtures.ts';

/** What `apply` may change: projects, people, and messages by status. */
async function snapshot(db: Database): Promise<Record<string, number>> {
  const rows = await db.prisma.$queryRawUnsafe<Array<{ k: string; n: number }>>(
    `SELECT 'projects' AS k, count(*)::int AS n FROM "Project"
     UNION ALL SELECT 'people', count(*)::int FROM "Person"
     UNION ALL SELECT 'comms', count(*)::int FROM "Comm"
     UNION ALL SELECT 'messages:' || "status"::text, count(*)::int FROM "Message" GROUP BY "status"`,
  );
  return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
}

export interface Backend {
  env: Env;
  /** Runs `fn` on the backend's database while no CLI command has it open. */
  inspect<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

export async function postgres(): Promise<Backend> {
  const db = await createTestDatabase();
  return { env: { DATABASE_URL: db.url, ...EXAMPLE_CLOCK_ENV }, inspect: (fn) => fn(db), dispose: () => db.drop() };
}

export async function pglite(): Promise<Backend> {
  const dir = await createPgliteTestDataDir();
  return {
    env: { HERALD_DATA_DIR: dir.dataDir, ...EXAMPLE_CLOCK_ENV },
    async inspect(fn) {
      // PGlite serves one connection holder at a time: open it between commands, then let go.
      const db = await openDatabase({ dataDir: dir.dataDir, migrate: false });
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    },
    async dispose() {
      dir.remove();
    },
  };
}

export function applySuite(name: string, open: () => Promise<Backend>): void {
  describe(`herald apply on ${name}`, () => {
    let backend: Backend;
    let total = 0;
    beforeAll(async () => {
      backend = await open();
    });
    afterAll(async () => {
      await backend?.dispose();
    });

    it('--dry-run on an empty database prints what would be added and stores nothing', async () => {
      const r = await ok(['apply', EXAMPLE, '--dry-run'], backend.env);
      expect(r.stdout).toMatch(/^dry run: northwind-m365 would change as follows \(nothing was stored\)\n/);
      const s = summaryCounts(r.stdout);
      expect(s).toMatchObject({ moved: 0, cancelled: 0, unchanged: 0 });
      expect(s.added).toBeGreaterThan(800);
      total = s.added;
      expect(await backend.inspect(snapshot)).toEqual({ projects: 0, people: 0, comms: 0 });
    });

    it('stores the plan and prints the added count with examples', async () => {
      const r = await ok(['apply', EXAMPLE], backend.env);
      expect(r.stdout).toMatch(new RegExp(`^applied ${PROJECT} \\(version 1\\)\\nadded ${total}, moved 0, cancelled 0, unchanged 0`));
      // In words: the comm's title (and "2 of 3"), the person's name, the channel, the project's time with its zone.
      expect(r.stdout).toMatch(/\n {2}added:\n {4}[A-Z].* → [A-Z].* \((Slack|e-mail)\) at \w{3} \d{1,2} \w{3} \d{4} \d\d:\d\d C[SD]T/);
      const after = await backend.inspect(snapshot);
      expect(after).toMatchObject({ projects: 1, people: 45, comms: 10 });
      const messages = Object.entries(after)
        .filter(([k]) => k.startsWith('messages:'))
        .reduce((n, [, v]) => n + v, 0);
      expect(messages).toBe(total);
    });

    it('a second apply of the same plan changes nothing', async () => {
      const r = await ok(['apply', EXAMPLE], backend.env);
      // Nothing changed, so no new version: the first one is still the plan in force.
      expect(r.stdout).toBe(`applied ${PROJECT} (version 1)\nadded 0, moved 0, cancelled 0, unchanged ${total}\n`);
    });

    it('--dry-run of a changed plan prints the cancellations and stores nothing', async () => {
      const before = await backend.inspect(snapshot);
      // Drop the adoption tips (the only comm with `optional: true`).
      const plan = exampleVariant((t) => t.replace(/\n {2}- key: adoption-tips\n[\s\S]*?\n(?= {2}- key:)/, '\n'));
      try {
        const r = await ok(['apply', plan.file, '--dry-run'], backend.env);
        expect(r.stdout).toMatch(/^dry run: /);
        const s = summaryCounts(r.stdout);
        expect(s.added + s.moved).toBe(0);
        expect(s.cancelled).toBeGreaterThan(0);
        expect(s.cancelled + s.unchanged).toBe(total);
        expect(r.stdout).toMatch(/\n {2}cancelled:\n {4}Adoption tips \d/);
      } finally {
        plan.remove();
      }
      expect(await backend.inspect(snapshot)).toEqual(before);
    });

    it('a plan that fails validation exits 1 and changes no data', async () => {
      const before = await backend.inspect(snapshot);
      const broken = await runCli(['apply', 'test/fixtures/plans/broken.plan.yaml'], backend.env);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toBe('');
      expect(broken.stderr).toMatch(/\n\d+ errors; nothing was changed\n$/);

      // The same project with one mistake in it: nothing of the stored project changes either.
      const typo = exampleVariant((t) => t.replace('template: ops-impact-notice', 'template: ops-impact-notise'));
      try {
        const r = await runCli(['apply', typo.file], backend.env);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('template "ops-impact-notise" not found');
      } finally {
        typo.remove();
      }
      expect(await backend.inspect(snapshot)).toEqual(before);
    });
  });
}
