import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditActionLabel, parseSince } from '../../../src/domain/audit/actions.ts';
import { calendarEffect } from '../../../src/domain/audit/calendar-effect.ts';
import { csvField, csvLine } from '../../../src/domain/csv.ts';
import type { Occurrence } from '../../../src/domain/schedule/occurrence.ts';

const occ = (key: string, at: string): Occurrence => ({
  key,
  comm: key.split('#')[0]!,
  occurrence: 0,
  personId: 'p',
  channel: 'email',
  dueAt: new Date(at),
  milestones: [],
  explain: [],
});

describe('calendarEffect', () => {
  it('says which messages a plan version adds, moves and cancels, by stable key', () => {
    const before = [occ('a#0:p:email', '2027-01-01T09:00Z'), occ('b#0:p:email', '2027-01-02T09:00Z'), occ('c#0:p:email', '2027-01-03T09:00Z')];
    const after = [occ('a#0:p:email', '2027-01-01T09:00Z'), occ('b#0:p:email', '2027-01-05T09:00Z'), occ('d#0:p:email', '2027-01-04T09:00Z')];
    const e = calendarEffect(before, after);
    expect(e.unchanged).toBe(1);
    expect(e.added.map((o) => o.key)).toEqual(['d#0:p:email']);
    expect(e.moved.map((m) => [m.occurrence.key, m.from.toISOString(), m.occurrence.dueAt.toISOString()])).toEqual([
      ['b#0:p:email', '2027-01-02T09:00:00.000Z', '2027-01-05T09:00:00.000Z'],
    ]);
    expect(e.cancelled.map((o) => o.key)).toEqual(['c#0:p:email']);
  });
});

describe('audit vocabulary', () => {
  it('names every action in words; an unknown (older) one reads as itself', () => {
    for (const [action, words] of Object.entries(AUDIT_ACTIONS)) expect(auditActionLabel(action)).toBe(words);
    expect(auditActionLabel('message.archived')).toBe('message.archived');
  });

  it('reads --since as a date in the project zone or a date-time with its offset', () => {
    expect(parseSince('2027-03-01', 'Europe/Berlin').toISOString()).toBe('2027-02-28T23:00:00.000Z');
    expect(parseSince('2027-03-01T09:00Z', 'Europe/Berlin').toISOString()).toBe('2027-03-01T09:00:00.000Z');
    expect(parseSince('2027-03-01T09:00+02:00', 'UTC').toISOString()).toBe('2027-03-01T07:00:00.000Z');
    for (const bad of ['yesterday', '2027-02-30', '2027-03-01T09:00', '', '+275761-01-01T00:00Z'])
      expect(() => parseSince(bad, 'UTC')).toThrow(/is not a date/);
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, undefined, 3, { k: 1 }])).toBe('a,"b,c","say ""hi""","two\nlines",,,3,"{""k"":1}"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});
