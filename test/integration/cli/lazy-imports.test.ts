import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE } from './cli-fixtures.ts';

// What the light commands must never load: the queue, Redis, Slack, the database drivers and
// Prisma, the mailer, and the email renderer's CSS inliner and HTML-to-text converter (validate's
// trial renders need neither; see the command layout described in src/cli/main.ts).
const HEAVY = [
  'bullmq',
  'ioredis',
  '@slack/bolt',
  '@slack/web-api',
  'pg',
  '@electric-sql/pglite',
  '@prisma/client',
  '@prisma/adapter-pg',
  'pglite-prisma-adapter',
  'nodemailer',
  'juice',
  'cheerio',
  'html-to-text',
];
const heavy = (loaded: string[]): string[] =>
  loaded.filter((m) => HEAVY.some((p) => m.includes(`/node_modules/${p}/`)) || m.includes('/generated/prisma/') || m.includes('/jobs/'));

const dir = mkdtempSync(join(tmpdir(), 'herald-t-trace-'));
let runs = 0;

/** Runs bin/herald.js as a user would, with every module it loads traced. */
function traced(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; loaded: string[] } {
  const trace = join(dir, `${++runs}.txt`);
  const r = spawnSync(process.execPath, ['--import', './test/support/import-trace.mjs', 'bin/herald.js', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HERALD_IMPORT_TRACE: trace, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, loaded: readFileSync(trace, 'utf8').trim().split('\n') };
}

describe('bin/herald.js', { timeout: 240_000 }, () => {
  // `npm test` builds first; a direct `vitest run` of this file after editing sources builds here.
  beforeAll(() => {
    const b = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { encoding: 'utf8', timeout: 230_000 });
    expect(b.status, `npm run build failed:\n${b.stdout}${b.stderr}`).toBe(0);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the compiled build, without tsx', () => {
    const r = traced(['--version']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.loaded.some((m) => m.endsWith('/dist/src/cli/main.js'))).toBe(true);
    expect(r.loaded.filter((m) => m.includes('/node_modules/tsx/') || m.endsWith('.ts'))).toEqual([]);
  });

  it.each(['--help', '--version', 'validate --help', `validate ${EXAMPLE}`])('`herald %s` loads no queue, Slack, database or mail module', (command) => {
    const r = traced(command.split(' '));
    expect(r.code).toBe(0);
    expect(r.loaded.length).toBeGreaterThan(5);
    expect(heavy(r.loaded)).toEqual([]);
  });

  it('`herald --version` and `--help` load no date library: luxon is for the commands that print times', () => {
    for (const command of ['--version', '--help']) expect(traced([command]).loaded.filter((m) => m.includes('/node_modules/luxon/'))).toEqual([]);
  });

  it("`herald validate` of the example plan needs neither Handlebars' compiler nor date-holidays' parser once built and cached", () => {
    // The build precompiles the shipped templates; the first run stores the plan's public holidays.
    const env = { HERALD_CACHE_DIR: join(dir, 'cache') };
    const first = traced(['validate', EXAMPLE], env);
    expect(first.code).toBe(0);
    expect(first.loaded.some((m) => m.includes('/node_modules/date-holidays-parser/src/') || m.includes('/node_modules/date-holidays-parser/lib/'))).toBe(true);
    const again = traced(['validate', EXAMPLE], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    const parser = again.loaded.filter((m) => m.includes('/node_modules/date-holidays-parser/') && !m.endsWith('/package.json'));
    const compiler = again.loaded.filter((m) => m.includes('/node_modules/handlebars/') && (m.includes('/compiler/') || m.endsWith('/lib/index.js')));
    expect([...parser, ...compiler]).toEqual([]);
  });

  it('the trace does see heavy modules where a command uses them', () => {
    // `db migrate` against a PostgreSQL URL nothing listens on: it loads pg, then fails.
    const trace = join(dir, 'migrate.txt');
    spawnSync(process.execPath, ['--import', './test/support/import-trace.mjs', 'bin/herald.js', 'db', 'migrate'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, HERALD_IMPORT_TRACE: trace, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(heavy(readFileSync(trace, 'utf8').trim().split('\n')).some((m) => m.includes('/node_modules/pg/'))).toBe(true);
  });
});
