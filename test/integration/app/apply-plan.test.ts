import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { loadPlanFile, type LoadedPlan } from '../../../src/app/load-plan.ts';
import { markMilestoneDone, moveMilestone } from '../../../src/app/move-milestone.ts';
import { buildCalendar } from '../../../src/domain/schedule/calendar.ts';
import type { Database } from '../../../src/db/database.ts';
import { createPgliteTestDatabase, createTestDatabase, type TestDatabase } from '../../support/databases.ts';

const PLAN = 'examples/m365-migration.plan.yaml';
// Before kickoff (2026-12-01), so nothing is in the past.
const NOW = new Date('2026-11-20T12:00:00Z');

async function statusCounts(db: Database): Promise<Record<string, number>> {
  const rows = await db.prisma.$queryRawUnsafe<Array<{ status: string; n: number }>>(
    `SELECT "status"::text AS status, count(*)::int AS n FROM "Message" GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

let loaded: LoadedPlan;
beforeAll(async () => {
  loaded = await loadPlanFile(PLAN);
});

const ENGINES = [
  ['PostgreSQL', () => createTestDatabase()],
  ['PGlite', () => createPgliteTestDatabase()],
] as const;

/** Opens a database for the enclosing describe block and removes it afterwards. */
function databaseFor(open: () => Promise<Database>): { db: Database } {
  const holder = {} as { db: Database };
  beforeAll(async () => {
    holder.db = await open();
  });
  afterAll(async () => {
    const t = holder.db as Partial<TestDatabase>;
    if (t.drop) await t.drop();
    else await holder.db.close();
  });
  return holder;
}

describe.each(ENGINES)('apply and re-plan on %s', (_name, open) => {
  const h = databaseFor(open);
  let db: Database;
  beforeAll(() => {
    db = h.db;
  });

  it('stores the plan and materialises one row per comm × occurrence × person × channel', async () => {
    const r = await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: NOW });
    expect(r.calendar).toMatchObject({ moved: 0, cancelled: 0, unchanged: 0, skipped: 0 });
    expect(r.calendar.added).toBeGreaterThan(800);
    expect(await statusCounts(db)).toEqual({ planned: r.calendar.added });
    const people = await db.prisma.person.count();
    expect(people).toBe(45);
  });

  it('applying the same plan twice changes nothing', async () => {
    const before = await db.prisma.message.findMany({ select: { id: true, dueAt: true, updatedAt: true }, orderBy: { id: 'asc' } });
    const r = await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: NOW });
    expect(r.calendar).toMatchObject({ added: 0, moved: 0, cancelled: 0, unchanged: before.length });
    const after = await db.prisma.message.findMany({ select: { id: true, dueAt: true, updatedAt: true }, orderBy: { id: 'asc' } });
    expect(after).toEqual(before);
  });

  it('a dry run reports the change and stores nothing', async () => {
    const plan = { ...loaded.plan, comms: loaded.plan.comms.filter((c) => c.key !== 'adoption-tips') };
    const before = await statusCounts(db);
    const r = await applyPlan(db, { plan, hash: 'dry', now: NOW, dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(r.calendar.cancelled).toBeGreaterThan(0);
    expect(await statusCounts(db)).toEqual(before);
  });

  it('moving cutover moves only the messages tied to it, keeps sent ones, and fires cutover-moved', async () => {
    // One ops notice already went out: history must not move.
    const sent = await db.prisma.message.findFirstOrThrow({ where: { key: { startsWith: 'cutover-ops-impact#0:' } } });
    await db.prisma.message.update({ where: { id: sent.id }, data: { status: 'sent', sentAt: NOW } });
    const tied = await db.prisma.message.count({ where: { milestones: { has: 'cutover' }, status: 'planned' } });
    const untouched = await db.prisma.message.findMany({ where: { NOT: { milestones: { has: 'cutover' } } }, select: { id: true, dueAt: true } });

    const r = await moveMilestone(db, { project: 'northwind-m365', milestone: 'cutover', when: '2027-01-22', now: NOW });
    expect(r.to.toISOString()).toBe('2027-01-23T00:00:00.000Z'); // Fri 22 Jan 18:00 Chicago keeps its time of day
    expect(r.calendar.moved).toBe(tied);
    expect(r.calendar.added + r.calendar.cancelled).toBe(0);
    // cutover-moved goes to ops, service-desk and end-users: one message each, on their preferred channel.
    expect(r.triggered).toBe(45 - 1); // everyone but maria (executives only)

    const after = await db.prisma.message.findMany({ where: { id: { in: untouched.map((u) => u.id) } }, select: { id: true, dueAt: true } });
    expect(after.sort((a, b) => a.id.localeCompare(b.id))).toEqual(untouched.sort((a, b) => a.id.localeCompare(b.id)));
    const stillSent = await db.prisma.message.findUniqueOrThrow({ where: { id: sent.id } });
    expect(stillSent).toMatchObject({ status: 'sent', dueAt: sent.dueAt });
    // -5 business days from Fri 22 Jan skips Mon 18 Jan (Martin Luther King Jr. Day): Thu 14 Jan, 09:00 in dana's New York.
    const dana = await db.prisma.message.findFirstOrThrow({ where: { key: 'cutover-ops-impact#0:dana:email' } });
    if (dana.status !== 'sent') expect(dana.dueAt.toISOString()).toBe('2027-01-14T14:00:00.000Z');
    const moves = await db.prisma.milestoneMove.findMany();
    expect(moves).toHaveLength(1);
    // Stamped by the use case's clock, not the database's.
    expect(moves[0]!.movedAt.toISOString()).toBe(NOW.toISOString());
  });

  it('re-applying the file moves the milestone back and fires the trigger again as a new occurrence', async () => {
    const r = await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: NOW });
    expect(r.milestonesMoved.map((m) => m.key)).toEqual(['cutover']);
    expect(r.triggered).toBe(44);
    const firings = await db.prisma.message.groupBy({ by: ['occurrence'], where: { key: { startsWith: 'cutover-moved#' } }, _count: true });
    expect(firings.map((f) => f.occurrence).sort()).toEqual([0, 1]);
    const back = await db.prisma.milestoneMove.findFirstOrThrow({ where: { source: 'plan' } });
    expect(back.movedAt.toISOString()).toBe(NOW.toISOString());
  });

  it('marking go-live done sends exec-go-live to executives once', async () => {
    const first = await markMilestoneDone(db, { project: 'northwind-m365', milestone: 'go-live', now: NOW });
    const again = await markMilestoneDone(db, { project: 'northwind-m365', milestone: 'go-live', now: NOW });
    expect(first).toEqual({ alreadyDone: false, triggered: 1 });
    expect(again).toEqual({ alreadyDone: true, triggered: 0 });
  });

  it('a comm removed from the plan cancels its pending messages and leaves sent ones', async () => {
    const plan = { ...loaded.plan, comms: loaded.plan.comms.filter((c) => c.key !== 'cutover-ops-impact') };
    const r = await applyPlan(db, { plan, hash: 'removed', now: NOW });
    const pending = await db.prisma.message.count({ where: { key: { startsWith: 'cutover-ops-impact#' }, status: { in: ['planned', 'queued'] } } });
    expect(pending).toBe(0);
    expect(r.calendar.cancelled).toBeGreaterThan(0);
    expect(await db.prisma.message.count({ where: { key: { startsWith: 'cutover-ops-impact#' }, status: 'sent' } })).toBe(1);
    // Putting it back reinstates the cancelled rows rather than inserting duplicates.
    const back = await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: NOW });
    expect(back.calendar.added).toBe(r.calendar.cancelled);
    expect(await db.prisma.message.count({ where: { key: { startsWith: 'cutover-ops-impact#' }, status: 'cancelled' } })).toBe(0);
  });
});

describe('catch-up policy', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('skip (the default) marks messages already past as skipped; send keeps them planned', async () => {
    const late = new Date('2027-01-20T12:00:00Z'); // after go-live
    const r = await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: late });
    expect(r.calendar.skipped).toBeGreaterThan(0);
    const counts = await statusCounts(db);
    expect(counts.skipped).toBe(r.calendar.skipped);
    const past = await db.prisma.message.count({ where: { dueAt: { lt: late }, status: { not: 'skipped' } } });
    expect(past).toBe(0);

    const sendPlan = { ...loaded.plan, project: { ...loaded.plan.project, catchUp: 'send' as const } };
    const again = await applyPlan(db, { plan: sendPlan, hash: 'send', now: late });
    // skipped rows are not resurrected by a policy change unless their time moves.
    expect(again.calendar.added).toBe(0);
  });
});

/** The foreign keys of "Message" as the catalogue defines them: the bulk path must leave them as it found them. */
async function messageForeignKeys(db: Database): Promise<Array<{ name: string; def: string; valid: boolean }>> {
  return db.sql.$queryRawUnsafe(
    `SELECT conname AS "name", pg_get_constraintdef(oid) AS "def", convalidated AS "valid" FROM pg_constraint
     WHERE conrelid = '"Message"'::regclass AND contype = 'f' ORDER BY conname`,
  );
}

describe.each(ENGINES)('first apply through the bulk COPY path on %s', (_name, open) => {
  const h = databaseFor(open);
  let db: Database;
  beforeAll(() => {
    db = h.db;
  });

  it('a dry run rolls back the rows and the set-aside foreign keys alike', async () => {
    const fks = await messageForeignKeys(db);
    expect(fks.map((f) => f.name)).toEqual(['Message_commId_fkey', 'Message_personId_fkey', 'Message_projectId_fkey']);
    const r = await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: NOW, dryRun: true, bulkLoadMinRows: 0 });
    expect(r.calendar.added).toBeGreaterThan(800);
    expect(await statusCounts(db)).toEqual({});
    expect(await messageForeignKeys(db)).toEqual(fks);
  });

  it('stores exactly the rows the calendar holds, with the foreign keys back and valid', async () => {
    const fks = await messageForeignKeys(db);
    const r = await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: NOW, bulkLoadMinRows: 0 });
    expect(await messageForeignKeys(db)).toEqual(fks);
    expect(fks.every((f) => f.valid)).toBe(true);
    const want = buildCalendar(loaded.plan, { now: NOW })
      .map((o) => ({
        key: o.key,
        dueAt: o.dueAt.toISOString(),
        channel: o.channel,
        occurrence: o.occurrence,
        seriesItem: o.seriesItem ?? null,
        milestones: o.milestones,
        status: 'planned',
      }))
      .sort((a, b) => a.key.localeCompare(b.key));
    const got = await db.prisma.message.findMany({
      select: {
        key: true,
        kind: true,
        dueAt: true,
        channel: true,
        occurrence: true,
        seriesItem: true,
        milestones: true,
        status: true,
        person: { select: { key: true } },
        comm: { select: { key: true } },
      },
    });
    expect(got.length).toBe(r.calendar.added);
    // Person and comm ids point at the right rows.
    // Survey reminders carry `~rN` after the occurrence and are stored as kind `reminder`.
    for (const m of got) {
      const reminder = /~r\d+:/.exec(m.key)?.[0].slice(0, -1) ?? '';
      expect(m.key).toBe(`${m.comm.key}#${m.occurrence}${reminder}:${m.person.key}:${m.channel}`);
      expect(m.kind).toBe(reminder ? 'reminder' : 'comm');
    }
    // The calendar's own rows exactly; survey reminders (added by apply from the stored state) each follow a stored survey row.
    const own = got.filter((m) => m.kind === 'comm');
    expect(
      own
        .map((m) => ({
          key: m.key,
          dueAt: m.dueAt.toISOString(),
          channel: m.channel,
          occurrence: m.occurrence,
          seriesItem: m.seriesItem,
          milestones: m.milestones,
          status: m.status,
        }))
        .sort((a, b) => a.key.localeCompare(b.key)),
    ).toEqual(want);
    const ownKeys = new Set(own.map((m) => m.key));
    for (const m of got.filter((x) => x.kind === 'reminder')) expect(ownKeys.has(m.key.replace(/~r\d+:/, ':'))).toBe(true);
  });

  it('re-applying afterwards changes nothing, and the restored keys still guard the table', async () => {
    const r = await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: NOW, bulkLoadMinRows: 0 });
    expect(r.calendar).toMatchObject({ added: 0, moved: 0, cancelled: 0 });
    const [m] = await db.sql.$queryRawUnsafe<Array<{ id: string }>>(`SELECT "id" FROM "Message" LIMIT 1`);
    await expect(db.sql.$executeRawUnsafe(`UPDATE "Message" SET "personId"=gen_random_uuid() WHERE "id"=$1::uuid`, m!.id)).rejects.toThrow(/foreign key/);
  });
});
