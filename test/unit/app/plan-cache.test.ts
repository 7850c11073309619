import { describe, expect, it } from 'vitest';
import { PlanCache } from '../../../src/app/plan-cache.ts';
import type { PlanSource } from '../../../src/app/plan-cache.ts';
import type { Plan } from '../../../src/domain/plan/model.ts';

/** A plan source that answers from a table in memory and counts the reads. */
function fakeDb(rows: Map<string, { plan: unknown; updatedAt: Date }>): PlanSource & { reads: number } {
  const db = {
    reads: 0,
    async planById(id: string): Promise<{ plan: Plan; updatedAt: Date } | undefined> {
      db.reads++;
      const row = rows.get(id);
      return row && { plan: (typeof row.plan === 'string' ? JSON.parse(row.plan) : row.plan) as Plan, updatedAt: row.updatedAt };
    },
  };
  return db;
}

const plan = (name: string) =>
  ({ project: { key: 'p', name, timezone: 'Europe/Berlin', businessDays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: { extra: [] } } }) as unknown as Plan;

describe('PlanCache', () => {
  it('reads a plan once per project version, and again when the project changed', async () => {
    const t1 = new Date('2027-01-01T00:00:00Z');
    const t2 = new Date('2027-01-02T00:00:00Z');
    const rows = new Map<string, { plan: unknown; updatedAt: Date }>([['a', { plan: plan('one'), updatedAt: t1 }]]);
    const db = fakeDb(rows);
    const cache = new PlanCache();
    expect((await cache.get('a', t1, db)).project.name).toBe('one');
    expect((await cache.get('a', t1, db)).project.name).toBe('one');
    expect(db.reads).toBe(1);
    rows.set('a', { plan: JSON.stringify(plan('two')), updatedAt: t2 });
    expect((await cache.get('a', t2, db)).project.name).toBe('two');
    expect(db.reads).toBe(2);
  });

  it('shares one read among jobs that miss at once, and reads again once it is done', async () => {
    const t1 = new Date('2027-01-01T00:00:00Z');
    const t2 = new Date('2027-01-02T00:00:00Z');
    const rows = new Map<string, { plan: unknown; updatedAt: Date }>([['a', { plan: plan('one'), updatedAt: t1 }]]);
    const db = fakeDb(rows);
    const cache = new PlanCache(db);
    const plans = await Promise.all(Array.from({ length: 40 }, () => cache.get('a', t1)));
    expect(new Set(plans).size).toBe(1);
    expect(db.reads).toBe(1);
    rows.set('a', { plan: plan('two'), updatedAt: t2 });
    const [two] = await Promise.all([cache.get('a', t2), cache.get('a', t2)]);
    expect(two.project.name).toBe('two');
    expect(db.reads).toBe(2);
  });

  it('does not keep a failed read: the next job tries again', async () => {
    const t1 = new Date('2027-01-01T00:00:00Z');
    const rows = new Map<string, { plan: unknown; updatedAt: Date }>();
    const cache = new PlanCache(fakeDb(rows));
    await expect(Promise.all([cache.get('a', t1), cache.get('a', t1)])).rejects.toThrow('project a');
    rows.set('a', { plan: plan('one'), updatedAt: t1 });
    expect((await cache.get('a', t1)).project.name).toBe('one');
  });

  it('builds the business calendar once per plan', async () => {
    const cache = new PlanCache();
    const p = plan('one');
    expect(cache.calendar(p)).toBe(cache.calendar(p));
    expect(cache.calendar(plan('two'))).not.toBe(cache.calendar(p));
  });

  it('says so when it has neither the plan nor a database to read it from', async () => {
    await expect(new PlanCache().get('a', new Date())).rejects.toThrow('needs a database');
  });
});
