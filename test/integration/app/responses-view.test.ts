/**
 * responsesView (the dashboard's Responses page) counts in the database what listResponses counts
 * in memory: the same answer split and rates; its answers are the latest first, bounded, and
 * narrowed by the search (comment, person id or name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listResponses } from '../../../src/app/list-responses.ts';
import { recordResponse } from '../../../src/app/record-response.ts';
import { responsesView } from '../../../src/app/responses-view.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { RESPONSES_PROJECT, seedResponses } from '../../support/responses.ts';

const T0 = new Date('2030-01-20T15:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('responses view', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const seed = await seedResponses(db, new Date('2030-01-20T14:00:00Z'));
    const answer = (comm: string, person: string, option: string | null, comment: string | null, minute: number) =>
      recordResponse(
        { stores: db.stores, clock: { now: () => at(minute) } },
        {
          messageId: seed.message(comm, person, 'email').id,
          option,
          comment,
          channel: 'email-link',
          receivedAt: at(minute),
          sourceRef: `link:${comm}:${person}:${minute}`,
        },
      );
    await answer('checkin', 'ana', 'good', null, 1);
    await answer('checkin', 'ben', 'minor', 'Teams crashes on share', 2);
    await answer('checkin', 'cy', null, 'Where is my archive?', 3);
    await answer('checkin', 'ana', 'blocked', 'Outlook will not start', 4);
    await answer('status', 'ana', 'green', null, 5);
  });
  afterAll(async () => db?.drop());

  it('has the same split and rates as listResponses', async () => {
    const view = await responsesView(db, { project: RESPONSES_PROJECT, limit: 100 });
    const list = await listResponses(db, { project: RESPONSES_PROJECT });
    expect(view.summaries.map(({ comments: _c, ...s }) => s)).toEqual(list.summaries.map(({ comments: _c, ...s }) => s));
    expect(view.summaries.find((s) => s.comm === 'checkin')!.counts).toEqual([
      { option: 'good', label: 'Working well', count: 0 },
      { option: 'minor', label: 'Some issues', count: 1 },
      { option: 'blocked', label: "I can't work", count: 1 },
      { option: '(none)', label: 'comment only', count: 1 },
    ]);
    expect(view.summaries.find((s) => s.comm === 'checkin')!.rates).toEqual([{ audience: 'end-users', asked: 3, answered: 3 }]);
    expect(view.matching).toBe(4);
    expect(view.entries.map((e) => `${e.comm}:${e.person}`)).toEqual(['status:ana', 'checkin:ana', 'checkin:cy', 'checkin:ben']);
    expect(view.entries[1]!.history).toMatchObject([{ from: 'good', to: 'blocked' }]);
    expect(view.names.get('ben')).toBe('Ben Okoro');
  });

  it('bounds the answers and narrows answers and comments by the search', async () => {
    const two = await responsesView(db, { project: RESPONSES_PROJECT, limit: 2 });
    expect(two.entries).toHaveLength(2);
    expect(two.matching).toBe(4);
    const teams = await responsesView(db, { project: RESPONSES_PROJECT, comm: 'checkin', search: 'TEAMS', limit: 100 });
    expect(teams.entries.map((e) => e.person)).toEqual(['ben']);
    expect(teams.summaries[0]!.comments).toEqual([{ person: 'ben', option: 'minor', comment: 'Teams crashes on share' }]);
    const byName = await responsesView(db, { project: RESPONSES_PROJECT, search: 'cy tan', limit: 100 });
    expect(byName.entries.map((e) => e.person)).toEqual(['cy']);
    await expect(responsesView(db, { project: RESPONSES_PROJECT, comm: 'tips', limit: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
