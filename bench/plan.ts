/**
 * npm run bench:plan — validate, apply, re-apply and move a milestone on a 10,000-person plan
 * against PostgreSQL, each beside the cost of a plain bulk write of the same rows.
 * Env: BENCH_PEOPLE (default 10000), BENCH_PG_URL (admin URL, default postgres@127.0.0.1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { applyPlan } from '../src/app/apply-plan.ts';
import { loadPlanFile } from '../src/app/load-plan.ts';
import { moveMilestone } from '../src/app/move-milestone.ts';
import { openDatabase } from '../src/db/database.ts';
import { buildCalendar } from '../src/domain/schedule/calendar.ts';
import { buildEngine } from '../src/main.ts';
import { generatePlan } from './generate-plan.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const ADMIN = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const dbName = `herald_bench_${process.pid}_${Date.now().toString(36)}`;
const url = ADMIN.replace(/\/[^/]*$/, `/${dbName}`);

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
try {
  const planPath = generatePlan(dir, PEOPLE);
  const engine = buildEngine({ PUBLIC_URL: 'http://localhost:3000' });
  const [loaded, validateMs] = await timed(() => loadPlanFile(planPath, { checkTemplate: (c, p) => engine.check(c, p) }));
  const now = new Date('2026-11-20T12:00:00Z');
  const [occurrences, calendarMs] = await timed(() => buildCalendar(loaded.plan, { now }));
  console.log(`plan: ${loaded.plan.people.length} people, ${loaded.plan.comms.length} comms, ${occurrences.length} messages`);
  console.log(`validate (parse + templates): ${secs(validateMs)}   [target < 2 s]`);
  console.log(`build calendar (pure):        ${secs(calendarMs)}`);

  const db = await openDatabase({ databaseUrl: url, dataDir: dir });
  const [first, applyMs] = await timed(() => applyPlan(db.sql, { plan: loaded.plan, hash: loaded.hash, now }));
  const [again, reapplyMs] = await timed(() => applyPlan(db.sql, { plan: loaded.plan, hash: loaded.hash, now }));
  const [moved, moveMs] = await timed(() => moveMilestone(db.sql, { project: loaded.plan.project.key, milestone: 'cutover', when: '2027-01-22', now }));
  await db.close();

  // Baselines: the same rows written by one plain statement each, on the same database.
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE TABLE bench_copy (LIKE "Message" INCLUDING ALL)`);
  const [, insertMs] = await timed(() =>
    c.query(`INSERT INTO bench_copy SELECT gen_random_uuid(), "projectId", "commId", "personId", "key" || '~', "occurrence", "channel",
             "seriesItem", "milestones", "dueAt", "status", 0, NULL, NULL, NULL, NULL, now(), now() FROM "Message"`),
  );
  const [, updateAllMs] = await timed(() => c.query(`UPDATE bench_copy SET "updatedAt"=now()`));
  const [, updateMovedMs] = await timed(() =>
    c.query(`UPDATE bench_copy SET "dueAt"="dueAt" + interval '7 days' WHERE 'cutover' = ANY("milestones")`),
  );
  await c.end();

  const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}x`;
  console.log(`apply (first):   ${secs(applyMs)} for ${first.calendar.added} rows; plain bulk insert ${secs(insertMs)} (${ratio(applyMs, insertMs)})   [target < 60 s]`);
  console.log(`re-apply (same): ${secs(reapplyMs)}, ${again.calendar.unchanged} unchanged, ${again.calendar.added + again.calendar.moved + again.calendar.cancelled} changed; plain bulk update ${secs(updateAllMs)} (${ratio(reapplyMs, updateAllMs)})   [target < 10 s]`);
  console.log(
    `move cutover:    ${secs(moveMs)}, ${moved.calendar.moved} moved, ${moved.calendar.unchanged} unchanged, ${moved.triggered} milestone-moved messages; ` +
      `plain update of the tied rows ${secs(updateMovedMs)} (${ratio(moveMs, updateMovedMs)})   [target < 5 s]`,
  );
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
