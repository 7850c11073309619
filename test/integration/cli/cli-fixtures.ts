import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { runCli, type CliRun } from '../../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { EXAMPLE_CLOCK_ENV } from '../../fixtures/example-now.ts';

export const EXAMPLE = 'examples/m365-migration.plan.yaml';
export const PROJECT = 'northwind-m365';
export const MANUAL_PLAN = 'test/fixtures/plans/manual-send.plan.yaml';

export type Env = Record<string, string | undefined>;

/**
 * The example plan with `edit` applied, in a fresh temp folder beside a copy of its people CSV,
 * for plans that differ from the example by one line (a typo, a dropped comm).
 */
export function exampleVariant(edit: (text: string) => string): { file: string; text: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'herald-t-plan-'));
  const original = readFileSync(EXAMPLE, 'utf8');
  const text = edit(original);
  if (text === original) throw new Error('exampleVariant: the edit changed nothing');
  const file = join(dir, 'plan.yaml');
  writeFileSync(file, text);
  copyFileSync('examples/people.csv', join(dir, 'people.csv'));
  return { file, text, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" is not in the text`);
  return i + 1;
}

/** Runs a command that must succeed, failing the test with its stderr otherwise. */
export async function ok(args: string[], env: Env): Promise<CliRun> {
  const r = await runCli(args, env);
  expect(r.code, `herald ${args.join(' ')} failed:\n${r.stderr}`).toBe(0);
  return r;
}

/** Runs a command that prints JSON and returns it parsed. */
export async function okJson<T>(args: string[], env: Env): Promise<T> {
  return JSON.parse((await ok(args, env)).stdout) as T;
}

/** The `added A, moved M, cancelled C, unchanged U` line of a re-plan summary, as numbers. */
export function summaryCounts(stdout: string): { added: number; moved: number; cancelled: number; unchanged: number } {
  const m = /^added (\d+), moved (\d+), cancelled (\d+), unchanged (\d+)/m.exec(stdout);
  if (!m) throw new Error(`no summary line in:\n${stdout}`);
  return { added: Number(m[1]), moved: Number(m[2]), cancelled: Number(m[3]), unchanged: Number(m[4]) };
}

/**
 * One PostgreSQL database for the calling test file, with `plans` applied through the CLI
 * before its tests and dropped after them, on the fixture clock (EXAMPLE_NOW) so that the plans'
 * dates stay ahead. Read `db` and `env` inside tests, not at load time.
 */
export function useAppliedDatabase(...plans: string[]): { readonly db: TestDatabase; readonly env: Env } {
  const state = {} as { db: TestDatabase; env: Env };
  beforeAll(async () => {
    state.db = await createTestDatabase();
    state.env = { DATABASE_URL: state.db.url, ...EXAMPLE_CLOCK_ENV };
    for (const plan of plans) await ok(['apply', plan], state.env);
  });
  afterAll(async () => {
    await state.db?.drop();
  });
  return state;
}
