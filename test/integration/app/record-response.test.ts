import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordResponse, type RecordResponseInput } from '../../../src/app/record-response.ts';
import type { Database } from '../../../src/db/database.ts';
import { ResponseRejectedError } from '../../../src/domain/response.ts';
import { createPgliteTestDatabase, createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { seedResponses, type SeededResponses } from '../../support/responses.ts';

const T0 = new Date('2030-01-20T15:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe.each([
  ['PostgreSQL', () => createTestDatabase()],
  ['PGlite', () => createPgliteTestDatabase()],
] as const)('record response on %s', (_name, open) => {
  let db: Database;
  let seed: SeededResponses;
  beforeAll(async () => {
    db = await open();
    seed = await seedResponses(db, new Date('2030-01-20T14:00:00Z'));
  });
  afterAll(async () => {
    const t = db as Partial<TestDatabase>;
    if (t.drop) await t.drop();
    else await db.close();
  });

  // The clock reads the answer's own time: an escalation it opens opens when the answer came in.
  const record = (input: RecordResponseInput) => recordResponse({ stores: db.stores, clock: { now: () => input.receivedAt } }, input);
  const answer = (messageId: string, o: Partial<RecordResponseInput>): RecordResponseInput => ({
    messageId,
    option: null,
    comment: null,
    channel: 'slack',
    receivedAt: T0,
    sourceRef: `slack:${Math.random()}`,
    ...o,
  });

  it('creates the answer, and the same delivery twice changes nothing', async () => {
    const m = seed.message('checkin', 'ben', 'slack');
    const input = answer(m.id, { option: 'good', sourceRef: 'slack:trigger-1' });
    const first = await record(input);
    expect(first.kind).toBe('created');
    expect(first.previous).toBeNull();
    expect(first.response).toMatchObject({
      option: 'good',
      comment: null,
      channel: 'slack',
      sourceRef: 'slack:trigger-1',
      occurrence: m.occurrence,
      personId: m.personId,
    });
    expect(first.context.message).toMatchObject({ providerChannel: m.providerChannel, providerId: m.providerId });
    const again = await record(input);
    expect(again.kind).toBe('unchanged');
    expect(again.response.updatedAt).toEqual(first.response.updatedAt);
    expect(await db.prisma.response.count({ where: { personId: m.personId } })).toBe(1);
  });

  it('one answer per comm, occurrence and person across channels; a change keeps the history', async () => {
    const slack = seed.message('checkin', 'ana', 'slack');
    const email = seed.message('checkin', 'ana', 'email');
    await record(answer(slack.id, { option: 'good', sourceRef: 'slack:a1', receivedAt: at(1) }));
    const changed = await record(
      answer(email.id, { option: 'minor', comment: '  Outlook asks for my password ', channel: 'email-link', sourceRef: 'link:a2', receivedAt: at(2) }),
    );
    expect(changed.kind).toBe('changed');
    expect(changed.previous).toEqual({ option: 'good', comment: null });
    expect(changed.option).toMatchObject({ value: 'minor', escalate: true });
    expect(changed.response).toMatchObject({ option: 'minor', comment: 'Outlook asks for my password', channel: 'email-link', messageId: email.id });
    const rows = await db.prisma.response.findMany({ where: { personId: slack.personId, commId: changed.response.commId }, include: { history: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.history).toEqual([
      expect.objectContaining({
        oldOption: 'good',
        newOption: 'minor',
        oldComment: null,
        newComment: 'Outlook asks for my password',
        channel: 'email-link',
        at: at(2),
      }),
    ]);
    // A late redelivery of the first click does not revert the change.
    const late = await record(answer(slack.id, { option: 'good', sourceRef: 'slack:a1', receivedAt: at(3) }));
    expect(late.kind).toBe('unchanged');
    expect(late.response.option).toBe('minor');
  });

  it('a comment-only reply keeps the option and sets the comment; flags another address', async () => {
    const m = seed.message('checkin', 'cy', 'email');
    await record(answer(m.id, { option: 'blocked', channel: 'email-link', sourceRef: 'link:c1' }));
    const r = await record(answer(m.id, { comment: "I'd say 3, it mostly works", channel: 'email-reply', sourceRef: 'mail:<x@y>', fromOtherAddress: true }));
    expect(r.kind).toBe('changed');
    expect(r.response).toMatchObject({ option: 'blocked', comment: "I'd say 3, it mostly works", fromOtherAddress: true, channel: 'email-reply' });
    const same = await record(answer(m.id, { option: 'blocked', comment: "I'd say 3, it mostly works", channel: 'slack', sourceRef: 'slack:c3' }));
    expect(same.kind).toBe('unchanged');
  });

  it('rejects an unknown option, an empty answer and a comm without survey with typed errors, storing nothing', async () => {
    const m = seed.message('checkin', 'ben', 'email');
    const before = await db.prisma.response.count();
    await expect(record(answer(m.id, { option: 'great' }))).rejects.toMatchObject({ code: 'RESPONSE_OPTION_UNKNOWN', retryable: false });
    await expect(record(answer(m.id, { comment: '   ' }))).rejects.toMatchObject({ code: 'RESPONSE_EMPTY' });
    const tip = seed.message('tips', 'ben', 'email');
    await expect(record(answer(tip.id, { option: 'good' }))).rejects.toBeInstanceOf(ResponseRejectedError);
    await expect(record(answer('00000000-0000-4000-8000-000000000000', { option: 'good' }))).rejects.toMatchObject({
      code: 'RESPONSE_MESSAGE_UNKNOWN',
    });
    expect(await db.prisma.response.count()).toBe(before);
  });

  it('a workstream-status answer sets the status of the workstreams the person owns; an older answer does not overwrite it', async () => {
    const m = seed.message('status', 'ana', 'slack');
    const r = await record(answer(m.id, { option: 'amber', comment: 'Licences late', receivedAt: at(10), sourceRef: 'slack:s1' }));
    expect(r.workstreamsUpdated).toEqual(['exchange', 'identity']);
    const ws = await db.prisma.workstream.findMany({ where: { projectId: seed.projectId }, orderBy: { key: 'asc' } });
    expect(ws.map((w) => [w.key, w.status, w.statusComment, w.statusAt, w.statusByPersonId])).toEqual([
      ['exchange', 'amber', 'Licences late', at(10), m.personId],
      ['identity', 'amber', 'Licences late', at(10), m.personId],
    ]);
    const email = seed.message('status', 'ana', 'email');
    const older = await record(answer(email.id, { option: 'green', receivedAt: at(5), channel: 'email-reply', sourceRef: 'mail:<old>' }));
    expect(older.kind).toBe('changed');
    expect(older.workstreamsUpdated).toEqual([]);
    expect((await db.prisma.workstream.findFirst({ where: { projectId: seed.projectId, key: 'exchange' } }))!.status).toBe('amber');
  });

  it('many concurrent deliveries of one click record one answer', async () => {
    const m = seed.message('status', 'ana', 'slack');
    const other = seed.message('checkin', 'ben', 'email');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => record(answer(i % 2 ? m.id : other.id, { option: i % 2 ? 'red' : 'blocked', sourceRef: `slack:dup-${i % 2}` }))),
    );
    expect(results.filter((r) => r.kind !== 'unchanged')).toHaveLength(2);
    const history = await db.prisma.responseChange.count({ where: { sourceRef: { startsWith: 'slack:dup-' } } });
    expect(history).toBe(2);
  });
});
