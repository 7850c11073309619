/**
 * `npm run test:security`: runs vitest over test/security (which `npm test` leaves out), then
 * prints one table row per class of attack (one test file each): cases run, passed, failed, and
 * the result, followed by the notes the fuzzers leave (requests sent, durations). Exits non-zero
 * when anything failed or nothing ran. Extra arguments go to vitest (e.g. one file).
 * `npm run test:security:long` runs the fuzzers 10 minutes each (HERALD_FUZZ_SECONDS=600).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

interface VitestJson {
  testResults: { name: string; status: string; assertionResults: { status: string; title: string; fullName: string }[]; message?: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'herald-security-'));
const json = join(dir, 'results.json');
const notes = join(dir, 'notes.txt');
const extra = process.argv.slice(2);
const run = spawnSync(
  process.execPath,
  [
    'node_modules/vitest/vitest.mjs',
    'run',
    ...(extra.length ? extra : ['test/security']),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${json}`,
  ],
  {
    stdio: 'inherit',
    // Two files at a time: the fuzzers run a fixed time each, so they overlap in pairs with the rest (about
    // half the suite's time on a 2-core machine) without more CPU-bound fuzzers than cores at once.
    env: { HERALD_TEST_WORKERS: '2', ...process.env, HERALD_SECURITY_NOTES: notes },
  },
);

/** The class of attack a file covers: its name, made readable (bad-input-4xx → "Bad input 4xx"). */
function className(file: string): string {
  const words = basename(file)
    .replace(/\.test\.ts$/, '')
    .replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

let failed = run.status !== 0;
if (!existsSync(json)) {
  console.error('test:security: vitest wrote no results');
  process.exit(run.status || 1);
}
const results = JSON.parse(readFileSync(json, 'utf8')) as VitestJson;
const rows = results.testResults
  .map((f) => {
    const count = (s: string) => f.assertionResults.filter((a) => a.status === s).length;
    const passed = count('passed');
    const bad = count('failed');
    const skipped = f.assertionResults.length - passed - bad;
    const result = bad > 0 || f.status === 'failed' ? 'FAIL' : skipped > 0 ? 'SKIPPED' : passed > 0 ? 'pass' : 'NO CASES';
    return { cls: className(f.name), cases: f.assertionResults.length, passed, failed: bad, skipped, result };
  })
  .sort((a, b) => a.cls.localeCompare(b.cls));
// A skipped case is not a pass: the suite must say so and fail.
if (rows.length === 0 || rows.some((r) => r.result !== 'pass')) failed = true;

const header = ['Class of attack', 'Cases', 'Passed', 'Failed', 'Skipped', 'Result'];
const table = [header, ...rows.map((r) => [r.cls, String(r.cases), String(r.passed), String(r.failed), String(r.skipped), r.result])];
const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
const line = (row: string[]) => `| ${row.map((c, i) => (i === 0 || i === row.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
console.log('\nSecurity suite (test/security)\n');
console.log(line(table[0]!));
console.log(`|${widths.map((w, i) => (i === 0 || i === widths.length - 1 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const row of table.slice(1)) console.log(line(row));
const total = rows.reduce((n, r) => n + r.cases, 0);
console.log(`\n${total} cases in ${rows.length} classes: ${failed ? 'FAILED' : 'all passed'}`);
if (existsSync(notes)) for (const n of readFileSync(notes, 'utf8').split('\n').filter(Boolean)) console.log(`- ${n}`);
rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
