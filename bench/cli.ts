/**
 * npm run bench:cli — whole-process timings of `herald` as a user runs it (bin/herald.js on the
 * compiled build), beside `node -e 0` on the same machine in the same run, and the memory of an
 * idle `herald worker`.
 *
 * Commands run round-robin (one of each, then again), so a load spike on a shared machine hits
 * every row alike; each row prints the median and its ratio to `node -e 0`. Rows marked "tsx" run
 * the same command from the TypeScript sources, as bin/herald.js did before the compiled build.
 *
 * The worker runs against a throw-away PostgreSQL database and a Redis prefix of its own, with
 * Slack and e-mail configured (nothing is sent). Its RSS is read from /proc 5 s after it reports
 * "worker started", and again once it has been idle BENCH_IDLE_S seconds (default 60): by then
 * V8's memory reducer has run (after ~40 s idle here) and handed back the startup garbage.
 * Env: BENCH_RUNS (default 7), BENCH_IDLE_S (default 60), BENCH_PG_URL, REDIS_URL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { deleteByPrefix } from '../test/support/redis.ts';
import { BenchDatabase } from './delivery-fixture.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 60);
const ADMIN = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PLAN = 'examples/m365-migration.plan.yaml';
const HERALD = ['bin/herald.js'];
// The pre-build entry: the sources through tsx, as the old bin/herald.js ran them.
// (`--` ends node's own options, so `--version` reaches Herald.)
const FROM_SOURCES = [
  '--import',
  'tsx',
  '--input-type=module',
  '-e',
  "process.exitCode = await (await import('./src/cli/main.ts')).main(['node', 'herald', ...process.argv.slice(1)])",
  '--',
];

interface Row {
  label: string;
  args: string[];
  aimMs?: number;
  ms: number[];
  cpuMs: number[];
}

const rows: Row[] = [
  { label: 'node -e 0', args: ['-e', '0'], ms: [], cpuMs: [] },
  { label: 'herald --version', args: [...HERALD, '--version'], aimMs: 150, ms: [], cpuMs: [] },
  { label: 'herald --help', args: [...HERALD, '--help'], ms: [], cpuMs: [] },
  { label: 'herald validate (example plan)', args: [...HERALD, 'validate', PLAN], aimMs: 400, ms: [], cpuMs: [] },
  { label: 'herald --version (tsx, sources)', args: [...FROM_SOURCES, '--version'], ms: [], cpuMs: [] },
  { label: 'herald validate (tsx, sources)', args: [...FROM_SOURCES, 'validate', PLAN], ms: [], cpuMs: [] },
];

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

function checkBuild(): void {
  const b = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
  if (b.status !== 0) throw new Error('npm run build failed');
}

/** CPU time (user + system, ms) of this process's finished children so far, from /proc (10 ms ticks). */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After the command name: cutime and cstime are fields 16 and 17 of stat(5), here 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function timeCommands(): void {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (let i = 0; i < RUNS; i++) {
    for (const row of rows) {
      const cpu = childrenCpuMs();
      const t = performance.now();
      const r = spawnSync(process.execPath, row.args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      row.ms.push(performance.now() - t);
      row.cpuMs.push(childrenCpuMs() - cpu);
      if (r.status !== 0) throw new Error(`${row.label} exited ${r.status}: ${r.stderr}`);
    }
  }
  const base = median(rows[0]!.ms);
  const baseCpu = median(rows[0]!.cpuMs);
  console.log(`CLI timings, medians of ${RUNS} runs (node ${process.version}); CPU is user + system time of the process:`);
  for (const row of rows) {
    const m = median(row.ms);
    const cpu = median(row.cpuMs);
    const aim = row.aimMs === undefined ? '' : `   [aim ≤ ${row.aimMs} ms wall: ${verdict(m <= row.aimMs)}]`;
    console.log(
      `  ${row.label.padEnd(40)} wall ${m.toFixed(0).padStart(5)} ms = ${(m / base).toFixed(1).padStart(4)} × node -e 0,` +
        ` CPU ${cpu.toFixed(0).padStart(5)} ms = ${(cpu / baseCpu).toFixed(1).padStart(4)} ×${aim}`,
    );
  }
}

const rssKib = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

/** Starts `herald worker` (args: how node runs it), waits for "worker started", samples RSS while idle. */
async function idleWorker(label: string, args: string[], env: Record<string, string>): Promise<{ label: string; early: number; settled: number }> {
  const child = spawn(process.execPath, [...args, 'worker'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const started = new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      if (stderr.includes('"worker started"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${label} exited ${code} before starting:\n${stderr}`)));
  });
  try {
    await started;
    await sleep(5_000);
    const early = rssKib(child.pid!);
    const samples: number[] = [];
    for (let s = 5; s < IDLE_S; s++) {
      await sleep(1_000);
      samples.push(rssKib(child.pid!));
    }
    // The last 10 s: the worker polls Redis and the database while idle, so RSS wobbles a little.
    return { label, early, settled: median(samples.slice(-10)) };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
  }
}

async function workerMemory(): Promise<void> {
  const db = await BenchDatabase.create(ADMIN);
  const prefix = `herald-bench-cli-${process.pid}`;
  const env = (part: string): Record<string, string> => ({
    DATABASE_URL: db.url,
    REDIS_URL,
    REDIS_PREFIX: `${prefix}-${part}`,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    SMTP_URL: 'smtp://127.0.0.1:9',
    HERALD_SECRET: 'bench-secret-0123456789abcdefghij',
    LOG_LEVEL: 'info',
  });
  try {
    // Migrate first, so the two workers do not race to create the schema.
    const m = spawnSync(process.execPath, [...HERALD, 'db', 'migrate'], { env: { PATH: process.env.PATH, DATABASE_URL: db.url }, encoding: 'utf8' });
    if (m.status !== 0) throw new Error(`db migrate failed: ${m.stderr}`);
    // Side by side: both idle after start-up, so they hardly disturb each other.
    const results = await Promise.all([idleWorker('herald worker', HERALD, env('dist')), idleWorker('herald worker (tsx, sources)', FROM_SOURCES, env('tsx'))]);
    console.log(`Idle worker RSS (PostgreSQL, Slack and e-mail configured), 5 s after start and settled after ${IDLE_S} s idle:`);
    for (const r of results) {
      const aim =
        r.label === 'herald worker' ? `   [aim ≤ 120 MiB: ${verdict(r.early <= 120 * 1024)} at 5 s, ${verdict(r.settled <= 120 * 1024)} settled]` : '';
      console.log(`  ${r.label.padEnd(32)} ${mib(r.early).padStart(8)} at 5 s  ${mib(r.settled).padStart(8)} settled${aim}`);
    }
  } finally {
    await db.drop();
    const redis = new Redis(REDIS_URL);
    await deleteByPrefix(redis, prefix).finally(() => redis.disconnect());
  }
}

checkBuild();
timeCommands();
console.log('');
await workerMemory();
