/**
 * The unit of work (src/db/stores.ts): a Prisma interactive transaction by default, the driver's
 * own with { bulk: true }; either commits everything in it or nothing; a transaction opened inside
 * one runs in it; and a store that needs Prisma says so inside a bulk transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.ts';
import { createPgliteTestDatabase, createTestDatabase } from '../../support/databases.ts';

const backends: Array<[string, () => Promise<Database & { drop?: () => Promise<void> }>]> = [
  ['postgres', createTestDatabase],
  ['pglite', createPgliteTestDatabase],
];

const session = (idHash: string) => ({
  idHash,
  kind: 'dashboard',
  tokenId: null,
  createdAt: new Date('2030-01-01T00:00:00Z'),
  expiresAt: new Date('2030-01-02T00:00:00Z'),
});

describe.each(backends)('stores on %s', (_kind, create) => {
  let db: Database & { drop?: () => Promise<void> };
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await (db.drop ? db.drop() : db.close());
  });

  it('a transaction commits together, or not at all', async () => {
    await db.stores.transaction(async (tx) => {
      await tx.sessions.create(session('commit-a'));
      await tx.sessions.create(session('commit-b'));
    });
    expect(await db.stores.sessions.byHash('commit-b')).toMatchObject({ kind: 'dashboard' });
    await expect(
      db.stores.transaction(async (tx) => {
        await tx.sessions.create(session('rolled-back'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.stores.sessions.byHash('rolled-back')).toBeNull();
  });

  it('a transaction opened inside one runs in it', async () => {
    await expect(
      db.stores.transaction(async (tx) => {
        await tx.transaction((inner) => inner.sessions.create(session('nested')));
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await db.stores.sessions.byHash('nested')).toBeNull();
  });

  it('a bulk transaction rolls back its SQL stores, and refuses the Prisma ones by name', async () => {
    await expect(
      db.stores.transaction(
        async (tx) => {
          expect(await tx.projects.findId('nothing-here').catch((e: Error) => e.message)).toMatch(/bulk \(driver-level\) transaction/);
          throw new Error('rollback');
        },
        { bulk: true },
      ),
    ).rejects.toThrow('rollback');
    await expect(db.stores.transaction((tx) => tx.projects.load('nothing-here'), { bulk: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
