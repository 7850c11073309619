import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { listAudit } from '../../../src/app/audit-trail.ts';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { diffPlanVersions, planHistory, rollbackPlan } from '../../../src/app/plan-history.ts';
import type { Database } from '../../../src/db/database.ts';
import { createPgliteTestDatabase, createTestDatabase, type TestDatabase } from '../../support/databases.ts';

// Before kickoff (2026-12-01), so nothing is in the past.
const NOW = new Date('2026-11-20T12:00:00Z');
const LATER = new Date('2026-11-21T09:30:00Z');
const PROJECT = 'northwind-m365';

const ENGINES = [
  ['PostgreSQL', () => createTestDatabase()],
  ['PGlite', () => createPgliteTestDatabase()],
] as const;

describe.each(ENGINES)('plan history and audit trail on %s', (_name, open) => {
  let db: Database;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    db = await open();
    dir = mkdtempSync(join(tmpdir(), 'herald-history-'));
    cpSync('examples/m365-migration.plan.yaml', join(dir, 'plan.yaml'));
    cpSync('examples/people.csv', join(dir, 'people.csv'));
    file = join(dir, 'plan.yaml');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const t = db as Partial<TestDatabase>;
    if (t.drop) await t.drop();
    else await db.close();
  });

  const applyFile = async (actor: string, now: Date) => {
    const loaded = await loadPlanFile(file);
    return applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now, actor, source: loaded.source });
  };

  it('stores version 1 with its YAML, people CSV, hash, who and when; the same plan again adds no version', async () => {
    const dry = await applyPlan(db, { ...(await loadPlanFile(file)), now: NOW, dryRun: true, actor: 'x' });
    expect(dry.version).toBeNull();
    expect(await db.prisma.auditEntry.count()).toBe(0);

    const r = await applyFile('maria@laptop', NOW);
    expect(r.version).toBe(1);
    const again = await applyFile('raj@desk', LATER);
    expect(again.version).toBe(1);
    const [v] = await planHistory(db, { project: PROJECT });
    expect(v).toMatchObject({ number: 1, appliedBy: 'maria@laptop', appliedAt: NOW, rollbackOf: null, hash: r && (await loadPlanFile(file)).hash });
    expect((v!.summary.calendar as { added: number }).added).toBe(r.calendar.added);
    const stored = await db.stores.planVersions.get((await db.stores.projects.idOf(PROJECT))!, 1);
    expect(stored!.yaml).toBe(readFileSync(file, 'utf8'));
    expect(stored!.files).toEqual([{ name: 'people.csv', text: readFileSync(join(dir, 'people.csv'), 'utf8') }]);

    const entries = await listAudit(db, { project: PROJECT, limit: 10 });
    expect(entries.map((e) => [e.action, e.actor, e.ref, e.detail.unchanged])).toEqual([
      ['plan.applied', 'maria@laptop', 'version 1', false],
      ['plan.applied', 'raj@desk', 'version 1', true],
    ]);
    expect(entries[0]!.at).toEqual(NOW);
  });

  it('a changed plan is version 2; diff shows the YAML change and the messages it moves', async () => {
    writeFileSync(file, readFileSync(file, 'utf8').replace('cutover:       { at: 2027-01-15T18:00', 'cutover:       { at: 2027-01-22T18:00'));
    const r = await applyFile('maria@laptop', LATER);
    expect(r.version).toBe(2);
    expect(r.milestonesMoved.map((m) => m.key)).toEqual(['cutover']);
    expect((await planHistory(db, { project: PROJECT })).map((v) => v.number)).toEqual([2, 1]);

    const d = await diffPlanVersions(db, { project: PROJECT, from: 1, to: 2, now: LATER });
    expect(d.patch).toContain('-  cutover:       { at: 2027-01-15T18:00');
    expect(d.patch).toContain('+  cutover:       { at: 2027-01-22T18:00');
    expect(d.patch).not.toContain('people.csv'); // unchanged
    expect(d.calendar.moved.length).toBe(r.calendar.moved);
    expect(d.calendar.added).toEqual([]);
    expect(d.calendar.cancelled).toEqual([]);
    expect(d.calendar.moved[0]!.to.getTime()).toBeGreaterThan(d.calendar.moved[0]!.from.getTime());

    const moved = (await listAudit(db, { project: PROJECT, limit: 10 })).filter((e) => e.action === 'milestone.moved');
    expect(moved).toMatchObject([{ ref: 'cutover', actor: 'maria@laptop', detail: { source: 'plan', version: 2 } }]);
  });

  it('rollback re-applies version 1 as version 3; a message already sent stays sent and is not re-sent', async () => {
    const [sent] = await db.prisma.$queryRawUnsafe<Array<{ id: string }>>(
      `UPDATE "Message" SET "status"='sent', "sentAt"=$1::timestamptz WHERE "id" = (SELECT "id" FROM "Message" WHERE 'cutover' = ANY("milestones") ORDER BY "key" LIMIT 1) RETURNING "id"`,
      LATER.toISOString(),
    );
    const before = await db.prisma.message.findUniqueOrThrow({ where: { id: sent!.id } });
    const r = await rollbackPlan(db, { project: PROJECT, to: 1, now: LATER, actor: 'ops-bot' });
    expect(r.version).toBe(3);
    expect(r.milestonesMoved.map((m) => m.key)).toEqual(['cutover']);
    const after = await db.prisma.message.findUniqueOrThrow({ where: { id: sent!.id } });
    expect(after).toMatchObject({ status: 'sent', dueAt: before.dueAt, attempts: before.attempts });
    const [v3, v2, v1] = await planHistory(db, { project: PROJECT });
    expect(v3).toMatchObject({ number: 3, rollbackOf: 1, appliedBy: 'ops-bot', hash: v1!.hash });
    expect(v2!.hash).not.toBe(v1!.hash);
    const d = await diffPlanVersions(db, { project: PROJECT, from: 1, to: 3, now: LATER });
    expect(d.patch.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([]);
    const last = (await listAudit(db, { project: PROJECT, limit: 100 })).at(-2);
    expect(last).toMatchObject({ action: 'plan.rolled-back', actor: 'ops-bot', ref: 'version 3', detail: { rollbackTo: 1 } });
  });

  it('an unknown version is a NOT_FOUND naming herald history', async () => {
    await expect(rollbackPlan(db, { project: PROJECT, to: 9, now: LATER, actor: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(diffPlanVersions(db, { project: PROJECT, from: 1, to: 9, now: LATER })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      hint: expect.stringMatching(/herald history/),
    });
  });

  it('the audit log is append-only: the store has only append and list, and the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    expect(Object.keys(db.stores.audit).sort()).toEqual(['append', 'list']);
    const n = await db.prisma.auditEntry.count();
    await expect(db.prisma.$executeRawUnsafe(`UPDATE "AuditEntry" SET "actor"='someone else'`)).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe(`DELETE FROM "AuditEntry"`)).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe(`TRUNCATE "AuditEntry"`)).rejects.toThrow(/append-only/);
    expect(await db.prisma.auditEntry.count()).toBe(n);
    expect((await db.prisma.auditEntry.findMany({ where: { actor: 'someone else' } })).length).toBe(0);
  });

  it('an entry commits with the action it records, or not at all', async () => {
    const n = await db.prisma.auditEntry.count();
    await expect(
      db.stores.transaction(async (tx) => {
        await tx.audit.append({ at: LATER, actor: 'x', action: 'milestone.done', projectKey: PROJECT, ref: 'kickoff' });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await db.prisma.auditEntry.count()).toBe(n);
  });

  it('lists from a date and after a position (the cursor)', async () => {
    const all = await listAudit(db, { project: PROJECT, limit: 100 });
    expect((await listAudit(db, { project: PROJECT, since: LATER, limit: 100 })).length).toBe(all.filter((e) => e.at >= LATER).length);
    const rest = await listAudit(db, { project: PROJECT, afterSeq: all[1]!.seq, limit: 100 });
    expect(rest.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));
  });
});
