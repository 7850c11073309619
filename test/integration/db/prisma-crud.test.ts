import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.ts';
import { withTransaction } from '../../../src/db/transaction.ts';
import { Prisma } from '../../../src/generated/prisma/client.ts';
import { createPgliteTestDatabase, createTestDatabase } from '../../support/databases.ts';

const backends: Array<[string, () => Promise<Database & { drop?: () => Promise<void> }>]> = [
  ['postgres', createTestDatabase],
  ['pglite', createPgliteTestDatabase],
];

describe.each(backends)('Prisma client on %s', (kind, create) => {
  let db: Database & { drop?: () => Promise<void> };
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await (db.drop ? db.drop() : db.close());
  });

  async function seedProject(key: string) {
    return db.prisma.project.create({
      data: {
        key,
        name: 'M365 migration',
        timezone: 'Europe/Paris',
        plan: { project: { key }, milestones: { cutover: '2026-03-14T22:00' } },
        planHash: 'abc',
        milestones: { create: [{ key: 'cutover', at: new Date('2026-03-14T21:00:00Z'), localAt: '2026-03-14T22:00' }] },
        people: {
          create: [
            { key: 'dana', name: 'Dana', email: 'dana@example.com', timezone: 'America/New_York', audiences: ['execs', 'ops'] },
            { key: 'lee', name: 'Lee', slackId: 'U123', timezone: 'Asia/Kolkata', audiences: ['end-users'] },
          ],
        },
        comms: {
          create: [
            { key: 'prep', kind: 'ops-impact', template: 'prep', audiences: ['ops'], channels: ['slack', 'email'], spec: { schedule: { at: 'cutover' } } },
          ],
        },
      },
      include: { people: true, comms: true, milestones: true },
    });
  }

  it('uses the expected backend', () => {
    expect(db.kind).toBe(kind);
  });

  it('creates nested rows, reads relations, filters String[] and updates enums', async () => {
    const project = await seedProject('crud');
    const dana = project.people.find((p) => p.key === 'dana')!;
    const comm = project.comms[0]!;
    expect(dana.audiences).toEqual(['execs', 'ops']);
    expect(project.milestones[0]!.at.toISOString()).toBe('2026-03-14T21:00:00.000Z');

    const message = await db.prisma.message.create({
      data: {
        projectId: project.id,
        commId: comm.id,
        personId: dana.id,
        key: 'prep#0:dana:email',
        occurrence: 0,
        channel: 'email',
        milestones: ['cutover'],
        dueAt: new Date('2026-03-11T13:00:00Z'),
      },
    });
    expect(message.status).toBe('planned');
    await db.prisma.message.update({ where: { id: message.id }, data: { status: 'sent', attempts: { increment: 1 }, sentAt: new Date() } });

    const ops = await db.prisma.person.findMany({ where: { projectId: project.id, audiences: { has: 'ops' } }, select: { key: true } });
    expect(ops).toEqual([{ key: 'dana' }]);
    const sent = await db.prisma.message.findMany({ where: { status: 'sent', milestones: { has: 'cutover' } }, include: { person: true, comm: true } });
    expect(sent.map((m) => [m.person.key, m.comm.key, m.attempts])).toEqual([['dana', 'prep', 1]]);
    const byPlan = await db.prisma.project.findMany({ where: { plan: { path: ['project', 'key'], equals: 'crud' } }, select: { key: true } });
    expect(byPlan).toEqual([{ key: 'crud' }]);

    await db.prisma.response.create({
      data: {
        projectId: project.id,
        commId: comm.id,
        occurrence: 0,
        messageId: message.id,
        personId: dana.id,
        option: 'ready',
        channel: 'email-link',
        receivedAt: new Date(),
        sourceRef: 'link:1',
        sourceRefs: ['link:1'],
      },
    });
    await db.prisma.project.delete({ where: { id: project.id } });
    expect(await db.prisma.response.count()).toBe(0);
    expect(await db.prisma.person.count()).toBe(0);
  });

  it('reports unique violations as P2002', async () => {
    await seedProject('dup');
    const err = await seedProject('dup').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((err as Prisma.PrismaClientKnownRequestError).code).toBe('P2002');
  });

  it('withTransaction commits together or not at all', async () => {
    await withTransaction(db.prisma, async (tx) => {
      await tx.project.create({ data: { key: 'tx-ok', name: 'n', timezone: 'UTC', plan: {}, planHash: 'h' } });
    });
    await expect(
      withTransaction(db.prisma, async (tx) => {
        await tx.project.create({ data: { key: 'tx-rolled-back', name: 'n', timezone: 'UTC', plan: {}, planHash: 'h' } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const keys = (await db.prisma.project.findMany({ where: { key: { startsWith: 'tx-' } }, select: { key: true } })).map((p) => p.key);
    expect(keys).toEqual(['tx-ok']);
  });
});
