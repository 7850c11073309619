import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { loadPlanFile, type LoadedPlan } from '../../../src/app/load-plan.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { startHarness, waitForQuiet, type Harness } from '../../support/delivery.ts';
import { backlogFidelity, windowOverruns } from '../../support/rate.ts';

/**
 * E-mail's provider limit (EMAIL_RATE_PER_MINUTE, a sliding window) kept by one limiter in
 * Redis for every worker: a burst within the allowance goes at once, the rest waits for the
 * window, and a backlog goes at the full rate, however many worker processes send it.
 */
let loaded: LoadedPlan;
let db: TestDatabase | undefined;
let h: Harness | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  loaded = await loadPlanFile('examples/m365-migration.plan.yaml');
});
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode !== null) continue;
    c.kill('SIGTERM');
    await new Promise((r) => c.once('exit', r));
  }
  await h?.close();
  await db?.drop();
  h = undefined;
  db = undefined;
});

/** Applies the example plan with every message cancelled; returns the e-mail ids, in key order. */
async function applyAllCancelled(target: TestDatabase): Promise<string[]> {
  await applyPlan(target, { plan: loaded.plan, hash: loaded.hash, now: new Date('2026-11-20T12:00:00Z') });
  await target.prisma.$executeRawUnsafe(`UPDATE "Message" SET "status"='cancelled' WHERE "status"='planned'`);
  const rows = await target.prisma.message.findMany({ where: { channel: 'email' }, orderBy: { key: 'asc' }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** Makes the messages due at one instant `leadMs` from now; returns that instant. */
async function dueAt(target: TestDatabase, ids: string[], leadMs: number): Promise<number> {
  const due = Date.now() + leadMs;
  await target.prisma.$executeRawUnsafe(
    `UPDATE "Message" SET "status"='planned', "dueAt"=$2::timestamptz WHERE "id" = ANY($1::uuid[])`,
    ids,
    new Date(due).toISOString(),
  );
  return due;
}

/**
 * A few e-mails through fresh workers first (opening their pooled SMTP connections), so the
 * figures are of running workers, not of their start-up.
 */
async function warmUp(target: TestDatabase, harness: Harness, ids: string[]): Promise<void> {
  await dueAt(target, ids, 0);
  await harness.smtp.waitFor(ids.length, 30_000);
  harness.smtp.messages.length = 0;
}

/** When the sink saw each message: its arrival (end of DATA) and the start of its transaction (MAIL FROM), sorted. */
async function arrivals(harness: Harness, n: number, timeoutMs: number): Promise<{ at: number[]; started: number[] }> {
  const got = await harness.smtp.waitFor(n, timeoutMs);
  return { at: got.map((m) => m.receivedAt).sort((a, b) => a - b), started: got.map((m) => m.mailFromAt).sort((a, b) => a - b) };
}

/** No `max + 1` transactions started within one window, as the provider counts submissions. */
function expectWindowKept(started: number[], max: number, windowMs: number): void {
  // 50 ms: the sink's resolution. It stamps MAIL FROM when its event loop (this busy test process) gets to it.
  expect(windowOverruns(started, max, windowMs, 50)).toBe(0);
}

/** Every attempt was a send: no message used a second attempt or left a retry in the log. */
async function expectOneAttemptEach(target: TestDatabase, n: number): Promise<void> {
  expect(await waitForQuiet(target, 10_000)).toEqual({ sent: n, cancelled: expect.any(Number) });
  expect(await target.prisma.message.count({ where: { status: 'sent', attempts: { not: 1 } } })).toBe(0);
  expect(await target.prisma.delivery.count({ where: { outcome: { not: 'sent' } } })).toBe(0);
}

describe('e-mail at its configured rate', () => {
  it('10 e-mails due at once with EMAIL_RATE_PER_MINUTE=30 all arrive within 1 s', async () => {
    db = await createTestDatabase({ poolSize: 10 });
    const ids = await applyAllCancelled(db);
    h = await startHarness(db, { emailRatePerMinute: 30 });
    await h.startWorker();
    await warmUp(db, h, ids.slice(0, 10));
    const due = await dueAt(db, ids.slice(10, 20), 2_500);
    const { at } = await arrivals(h, 10, 15_000);
    const lateness = at.map((t) => t - due);
    console.log(`burst of 10: lateness ${lateness.map((l) => l.toFixed(0)).join(', ')} ms`);
    expect(Math.max(...lateness)).toBeLessThan(1_000);
    await expectOneAttemptEach(db, 20);
  }, 60_000);

  it('40 due at once with 30 per window: 30 go at once, the rest when the window lets them, never 31 in a window', async () => {
    const windowMs = 6_000;
    db = await createTestDatabase({ poolSize: 10 });
    const ids = await applyAllCancelled(db);
    h = await startHarness(db, { emailRatePerMinute: 30 });
    await h.startWorker({ emailWindowMs: windowMs });
    await warmUp(db, h, ids.slice(0, 10));
    // The warm-up e-mails leave the window before the 40 fall due.
    const due = await dueAt(db, ids.slice(10, 50), windowMs + 500);
    const { started } = await arrivals(h, 40, 40_000);
    // The first 30 were not held back for a window (only the machine's speed spaces them)...
    expect(started[29]! - due).toBeLessThan(windowMs - 1_000);
    // ...the 31st waits for the first to leave the window, and not much longer.
    expect(started[30]! - started[0]!).toBeLessThan(windowMs + 1_000);
    expectWindowKept(started, 30, windowMs);
    await expectOneAttemptEach(db, 50);
  }, 60_000);

  it('two worker processes together keep the rate, and a backlog goes at ≥ 95% of it', async () => {
    // A window counts from the provider's answer to a send, so each window loses that answer's
    // latency (tens of ms quiet, some hundreds under a full test run's load). The provider's real
    // window is a minute; scaled to 6 s that loss was 6% on a loaded run, at 10 s it stays under 5%
    // as bench:delivery's backlog (99.9%) shows.
    const windowMs = 10_000;
    const rate = 10;
    const n = 30;
    db = await createTestDatabase({ poolSize: 10 });
    const ids = await applyAllCancelled(db);
    h = await startHarness(db, { emailRatePerMinute: rate });
    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      REDIS_URL: h.config.REDIS_URL,
      REDIS_PREFIX: h.prefix,
      SMTP_URL: h.config.SMTP_URL,
      EMAIL_RATE_PER_MINUTE: String(rate),
      // One connection each, so the sink can tell the two processes apart.
      SMTP_MAX_CONNECTIONS: '1',
      HERALD_SECRET: h.config.HERALD_SECRET,
      LOG_LEVEL: 'silent',
      TEST_EMAIL_WINDOW_MS: String(windowMs),
    };
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/email-worker.ts'], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
      });
    }
    await warmUp(db, h, ids.slice(0, 10));
    await new Promise((r) => setTimeout(r, windowMs));
    await dueAt(db, ids.slice(10, 10 + n), 0);
    const got = await h.smtp.waitFor(n, 60_000);
    const started = got.map((m) => m.mailFromAt).sort((a, b) => a - b);
    // However late a send reached the sink after its process confirmed it, none starts in a full window.
    expectWindowKept(started, rate, windowMs);
    const fidelity = backlogFidelity(started, rate, windowMs);
    const closest = Math.min(...started.slice(rate).map((t, i) => t - started[i]!));
    console.log(
      `two processes: ${n} e-mails, backlog at ${(fidelity * 100).toFixed(1)}% of the configured rate; closest ${rate + 1} sends ${closest} ms apart (window ${windowMs} ms)`,
    );
    expect(fidelity).toBeGreaterThanOrEqual(0.95);
    expect(new Set(got.map((m) => m.sessionId)).size).toBe(2);
    await expectOneAttemptEach(db, n + 10);
  }, 90_000);
});
