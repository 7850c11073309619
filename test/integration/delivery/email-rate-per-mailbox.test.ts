import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { expectedSendByMessage } from '../../../src/app/expected-send.ts';
import { capacityLimits } from '../../../src/domain/capacity/limits.ts';
import { loadPlanFile, type LoadedPlan } from '../../../src/app/load-plan.ts';
import type { Plan } from '../../../src/domain/plan/model.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { startHarness, waitForQuiet, type Harness } from '../../support/delivery.ts';
import { windowOverruns } from '../../support/rate.ts';

/**
 * Exchange Online limits each sending mailbox (30 a minute, 10,000 recipients a day), so Herald
 * keeps EMAIL_RATE_PER_MINUTE per sender mailbox: two projects sending from two PMO mailboxes
 * send at twice the rate, each within its own window. Real Redis, BullMQ and the SMTP sandbox.
 */
let loaded: LoadedPlan;
let db: TestDatabase | undefined;
let h: Harness | undefined;

beforeAll(async () => {
  loaded = await loadPlanFile('examples/m365-migration.plan.yaml');
});
afterEach(async () => {
  await h?.close();
  await db?.drop();
  h = undefined;
  db = undefined;
});

/** The example plan as a second project with its own sender mailbox (or the first one's, in another spelling). */
function secondProject(plan: Plan, email = 'Contoso PMO <pmo@contoso.example>'): Plan {
  return { ...plan, project: { ...plan.project, key: 'contoso-m365', sender: { email, replyTo: 'pmo@contoso.example' } } };
}

/** Applies the plan with every message cancelled; returns `n` e-mail ids of it. */
async function emails(target: TestDatabase, plan: Plan, n: number): Promise<string[]> {
  await applyPlan(target, { plan, hash: `${loaded.hash}:${plan.project.key}`, now: new Date('2026-11-20T12:00:00Z') });
  await target.prisma.$executeRawUnsafe(`UPDATE "Message" SET "status"='cancelled' WHERE "status"='planned'`);
  const rows = await target.prisma.message.findMany({
    where: { channel: 'email', project: { key: plan.project.key } },
    orderBy: { key: 'asc' },
    select: { id: true },
    take: n,
  });
  expect(rows).toHaveLength(n);
  return rows.map((r) => r.id);
}

async function dueNow(target: TestDatabase, ids: string[]): Promise<number> {
  const due = Date.now();
  await target.prisma.$executeRawUnsafe(
    `UPDATE "Message" SET "status"='planned', "dueAt"=$2::timestamptz WHERE "id" = ANY($1::uuid[])`,
    ids,
    new Date(due).toISOString(),
  );
  return due;
}

describe('e-mail limits per sender mailbox', () => {
  it('two projects with two mailboxes each get the whole allowance: 2 × rate in the first window, never rate + 1 per mailbox', async () => {
    const windowMs = 6_000;
    const rate = 8;
    db = await createTestDatabase({ poolSize: 10 });
    const a = await emails(db, loaded.plan, 12);
    const b = await emails(db, secondProject(loaded.plan), 12);
    h = await startHarness(db, { emailRatePerMinute: rate });
    await h.startWorker({ emailWindowMs: windowMs });
    const due = await dueNow(db, [...a, ...b]);
    const got = await h.smtp.waitFor(24, 40_000);
    const startedBy = (domain: string) =>
      got
        .filter((m) => m.from.includes(`@${domain}`))
        .map((m) => m.mailFromAt)
        .sort((x, y) => x - y);
    const northwind = startedBy('northwind.example');
    const contoso = startedBy('contoso.example');
    expect([northwind.length, contoso.length]).toEqual([12, 12]);
    // Each mailbox keeps its own window...
    expect(windowOverruns(northwind, rate, windowMs, 50)).toBe(0);
    expect(windowOverruns(contoso, rate, windowMs, 50)).toBe(0);
    // ...and neither waits for the other's: both mailboxes' first `rate` leave in the first window.
    const firstWindow = got.filter((m) => m.mailFromAt < due + windowMs - 1_000).length;
    console.log(`two mailboxes at ${rate} per ${windowMs} ms each: ${firstWindow} of 24 started in the first window`);
    expect(firstWindow).toBe(2 * rate);
    expect(await waitForQuiet(db, 10_000)).toEqual({ sent: 24, cancelled: expect.any(Number) });
  }, 60_000);
});

describe('expectedAt per sender mailbox', () => {
  const limits = capacityLimits({ EMAIL_RATE_PER_MINUTE: 30, EMAIL_RECIPIENTS_PER_DAY: 10_000, SLACK_WORKSPACE_RATE_PER_MINUTE: 300 });
  const due = new Date('2031-03-03T15:00:00Z');

  async function lastExpected(sender: string): Promise<{ a: number; b: number }> {
    const target = (db = await createTestDatabase());
    const a = await emails(target, loaded.plan, 30);
    const b = await emails(target, secondProject(loaded.plan, sender), 30);
    await target.prisma.$executeRawUnsafe(
      `UPDATE "Message" SET "status"='planned', "dueAt"=$2::timestamptz WHERE "id" = ANY($1::uuid[])`,
      [...a, ...b],
      due.toISOString(),
    );
    const at = await expectedSendByMessage(target.stores.calendarReads, limits, new Date(due.getTime() - 3_600_000));
    const last = (ids: string[]) => Math.max(...ids.map((id) => at.get(id)!.getTime())) - due.getTime();
    return { a: last(a), b: last(b) };
  }

  it("two mailboxes: each project's 30 e-mails leave at their due time; one mailbox (however spelled): the second 30 a minute later", async () => {
    expect(await lastExpected('Contoso PMO <pmo@contoso.example>')).toEqual({ a: 0, b: 0 });
    await db?.drop();
    const shared = await lastExpected('IT-PMO@Northwind.example');
    expect(Math.max(shared.a, shared.b)).toBe(60_000);
  }, 60_000);
});
