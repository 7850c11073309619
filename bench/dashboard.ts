/**
 * npm run bench:dashboard — server time of each dashboard page on a 10,000-person project (the
 * example plan with generated people, applied to PostgreSQL), with the past of its calendar sent
 * and every other survey answered. The server is Herald's own (startHttpServer) in this process,
 * under a fixed clock; each page is requested with a viewer session and timed over loopback
 * (Fastify's inject would skip nothing that matters here). Prints the median and the slowest
 * beside the aim (≤ 300 ms), and `uptime`, since the machine is shared.
 * Env: BENCH_PEOPLE (default 10000), BENCH_ROUNDS (timed requests per page, default 15),
 * BENCH_PAGES (only the pages whose path ends so, comma-separated), BENCH_PG_URL (admin URL), REDIS_URL.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../src/app/apply-plan.ts';
import { createApiToken } from '../src/app/api-tokens.ts';
import { loadPlanFile } from '../src/app/load-plan.ts';
import { openDatabase } from '../src/db/database.ts';
import { NAV } from '../src/http/dashboard/nav.ts';
import { startHttpServer } from '../src/main/http.ts';
import { createHttpReads } from '../src/db/repo/http-reads.ts';
import { BenchDatabase } from './delivery-fixture.ts';
import { generatePlan } from './generate-plan.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const ADMIN = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Only the pages whose path ends with one of these (comma-separated, e.g. `/calendar`); all when unset. */
const ONLY = (process.env.BENCH_PAGES ?? '').split(',').filter(Boolean);
const AIM_MS = 300;
const DAY = 86_400_000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const bench = await BenchDatabase.create(ADMIN);
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-dash-'));
  const db = await openDatabase({ databaseUrl: bench.url, dataDir: dir, migrate: true, poolSize: 10 });
  let server: Awaited<ReturnType<typeof startHttpServer>> | undefined;
  try {
    const loaded = await loadPlanFile(generatePlan(dir, PEOPLE));
    const key = loaded.plan.project.key;
    const t0 = performance.now();
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date('2020-01-01T00:00:00Z'), dryRun: false });
    // "Now" is in the busiest week of the calendar: the median due time of all messages.
    const c = await bench.sql();
    const mid = await c.query<{ at: Date }>(`SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY "dueAt") AS at FROM "Message"`);
    const now = new Date(mid.rows[0]!.at);
    // Bench set-up, not Herald code: bulk SQL makes the past sent and answers half the surveys.
    await c.query(`UPDATE "Message" SET "status"='sent', "sentAt"="dueAt", "attempts"=1 WHERE "dueAt" < $1`, [now]);
    await c.query(
      `UPDATE "Message" SET "status"='failed', "lastError"='550 mailbox unavailable' WHERE "id" IN (SELECT "id" FROM "Message" WHERE "status"='sent' ORDER BY "key" LIMIT 200)`,
    );
    const answered = await c.query(
      `INSERT INTO "Response" ("id","projectId","commId","occurrence","personId","messageId","channel","option","comment","receivedAt","sourceRef","sourceRefs","updatedAt")
       SELECT DISTINCT ON (m."commId", m."occurrence", m."personId") gen_random_uuid(), m."projectId", m."commId", m."occurrence", m."personId", m."id", 'email-link',
              (s."options"->0->>'value'), CASE WHEN hashtext(m."id"::text) % 10 = 0 THEN 'Works, but slowly' END, m."sentAt" + interval '1 hour', 'bench:' || m."id", ARRAY['bench:' || m."id"], now()
       FROM "Message" m JOIN "Survey" s ON s."commId"=m."commId"
       WHERE m."status"='sent' AND m."kind"='comm' AND hashtext(m."personId"::text) % 2 = 0
       ORDER BY m."commId", m."occurrence", m."personId", m."sentAt"`,
    );
    // Autovacuum would have analysed the tables after a load this size; without it the planner guesses 1 row.
    await c.query('ANALYZE');
    const counts = await c.query<{ messages: number; people: number }>(
      `SELECT (SELECT count(*)::int FROM "Message") AS messages, (SELECT count(*)::int FROM "Person") AS people`,
    );
    console.log(
      `set-up: ${counts.rows[0]!.people} people, ${counts.rows[0]!.messages} messages, ${answered.rowCount} answers, now = ${now.toISOString()} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );

    const { token } = await createApiToken(db, { role: 'viewer', name: 'bench-viewer', now: new Date(now.getTime() - DAY) });
    server = await startHttpServer(
      {
        db,
        reads: createHttpReads(db),
        redisUrl: REDIS_URL,
        redisPrefix: `herald-bench-dash-${process.pid}`,
        secret: 'bench-secret-0123456789abcdef-xyz',
        clock: { now: () => new Date(now) },
      },
      0,
      '127.0.0.1',
    );
    // As the sign-in form does (login CSRF guard): GET /signin for its nonce cookie and proof, then POST both with our Origin.
    const form = await fetch(`${server.url}/signin`);
    const proof = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const nonce = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
    const signin = await fetch(`${server.url}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, cookie: nonce },
      body: new URLSearchParams({ token, next: '/', _csrf: proof }).toString(),
    });
    const cookie = (signin.headers.get('set-cookie') ?? '').split(';')[0]!;
    if (!cookie.startsWith('herald_session=')) throw new Error(`sign-in failed: ${signin.status}`);

    const pages = ['/', ...NAV.map((n) => `/projects/${key}${n.path}`)].filter((p) => !ONLY.length || ONLY.some((o) => p.endsWith(o)));
    console.log(`\nserver time per page, ${ROUNDS} requests each after 2 warm-up (aim: median ≤ ${AIM_MS} ms)`);
    for (const path of pages) {
      const get = async (): Promise<[number, number]> => {
        const t = performance.now();
        const r = await fetch(`${server!.url}${path}`, { headers: { cookie }, redirect: 'manual' });
        await r.arrayBuffer();
        return [performance.now() - t, r.status];
      };
      await get();
      await get();
      const times: number[] = [];
      let status = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const [ms, st] = await get();
        times.push(ms);
        status = st;
      }
      const m = median(times);
      console.log(
        `${path.padEnd(40)} ${String(status).padEnd(4)} median ${m.toFixed(0).padStart(5)} ms  max ${Math.max(...times)
          .toFixed(0)
          .padStart(5)} ms  ${m <= AIM_MS ? 'within' : 'OVER'} the ${AIM_MS} ms aim`,
      );
    }
    console.log(`\nuptime: ${execFileSync('uptime', { encoding: 'utf8' }).trim()}`);
  } finally {
    await server?.close();
    await db.close();
    await bench.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
