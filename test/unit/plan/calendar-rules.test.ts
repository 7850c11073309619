import { describe, expect, it } from 'vitest';
import { commsYaml, errorsOf, planYaml, run, validPlan } from './plan-helpers.ts';

const people = (...lines: string[]): string => ['people:', '  inline:', ...lines.map((l) => `    - ${l}`)].join('\n');
const HEADER = 'id,name,email,slack,timezone,audiences,locale,country,region,workDays';
const withCsv = planYaml({
  people: 'people:\n  inline:\n    - { id: dana, name: Dana, email: dana@example.com, audiences: [ops] }\n  csv: people.csv',
  comms: 'comms: []',
});
const project = (body: string): string => planYaml({ project: `project:\n  key: p\n  name: P\n  timezone: America/Chicago\n${body}` });

describe('people: country, region and workDays', () => {
  it('reads them inline and from CSV columns (days separated by ;), upper-casing codes', () => {
    const inline = validPlan(
      planYaml({
        people: people(
          '{ id: dana, name: Dana, email: d@example.com, country: in, workDays: [sun, mon, tue, wed, thu], audiences: ops }',
          '{ id: lee, name: Lee, slack: U0LEE0001, country: DE, region: by, audiences: users }',
        ),
      }),
    );
    expect(inline.people.map((p) => [p.country, p.region, p.workDays])).toEqual([
      ['IN', undefined, ['mon', 'tue', 'wed', 'thu', 'sun']],
      ['DE', 'BY', undefined],
    ]);
    const csv = validPlan(withCsv, { 'people.csv': `${HEADER}\nbo,Bo,bo@example.com,,Asia/Jerusalem,ops,en-US,IL,,sun;mon;tue;wed;thu\n` });
    expect(csv.people.find((p) => p.id === 'bo')).toMatchObject({ country: 'IL', workDays: ['mon', 'tue', 'wed', 'thu', 'sun'] });
  });

  it('rejects unknown countries and regions with a suggestion, and a region without a country, each at its line', () => {
    const o = run(
      planYaml({
        people: people(
          '{ id: dana, name: Dana, email: d@example.com, country: INN, audiences: ops }',
          '{ id: lee, name: Lee, slack: U0LEE0001, country: DE, region: BYY, audiences: users }',
          '{ id: bo, name: Bo, slack: U0BO00001, region: CA, audiences: users }',
        ),
      }),
    );
    expect(o.errors.map((i) => `${i.line}: ${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(
        /^\d+: people\.inline\[0\]\.country: unknown holiday country "INN": use an ISO 3166 code known to date-holidays \(did you mean "IN"\? known: /,
      ),
      expect.stringMatching(/^\d+: people\.inline\[1\]\.region: unknown region "BYY" for DE \(did you mean "BY"\? known: /),
      expect.stringMatching(/^\d+: people\.inline\[2\]\.region: region "CA" needs a country: add country/),
    ]);
  });

  it('checks CSV values at their row: bad weekday, unknown country', () => {
    const o = run(withCsv, { 'people.csv': `${HEADER}\nbo,Bo,bo@example.com,,UTC,ops,en-US,XX,,mon;funday\n` });
    expect(o.errors.map((i) => `${i.file}:${i.line}: ${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^people\.csv:2: people\.csv\[bo\]\.country: unknown holiday country "XX"/),
      'people.csv:2: people.csv[bo].workDays: "funday" is not a weekday: use mon, tue, wed, thu, fri, sat, sun (or monday…sunday)',
    ]);
  });
});

describe('project.recipientCalendar, comm overrides and urgent', () => {
  it('reads the project default and a comm override (a missing key is false; true means both)', () => {
    const p = validPlan(
      planYaml({
        project: 'project: { key: p, name: P, timezone: America/Chicago, recipientCalendar: { holidays: true } }',
        comms: commsYaml('schedule: { at: cutover, offset: "-1 day", time: "09:00" }', 'recipientCalendar: true', 'urgent: true'),
      }),
    );
    expect(p.project.recipientCalendar).toEqual({ holidays: true, workDays: false });
    expect(p.comms[0]).toMatchObject({ recipientCalendar: { holidays: true, workDays: true }, urgent: true });
  });

  it('rejects unknown keys and non-booleans', () => {
    expect(errorsOf(project('  recipientCalendar: { holiday: true, workDays: yes }'))).toEqual([
      'project.recipientCalendar.holiday: unknown key "holiday" (did you mean "holidays"? allowed: holidays, workDays)',
      'project.recipientCalendar.workDays: expected true or false, found text "yes"',
    ]);
  });
});

describe('project.blackouts', () => {
  it('reads date-time and milestone bounds with offsets, labels and allow lists', () => {
    const p = validPlan(
      project(
        '  blackouts:\n    - { from: { at: cutover }, to: { at: cutover, offset: "+2 days" }, label: Cutover weekend, allow: [c1, ops-impact] }\n    - { from: 2027-01-01T00:00, to: go-live }',
      ).replace('kind: announcement', 'kind: ops-impact'),
    );
    expect(p.project.blackouts).toEqual([
      {
        from: { milestone: 'cutover' },
        to: { milestone: 'cutover', offset: { sign: 1, amount: 2, unit: 'days', raw: '+2 days' } },
        label: 'Cutover weekend',
        allow: ['c1', 'ops-impact'],
      },
      { from: { date: '2027-01-01T00:00' }, to: { milestone: 'go-live' }, allow: [] },
    ]);
  });

  it('rejects unknown milestones, bad offsets, unknown allow entries and windows that end before they start', () => {
    expect(
      errorsOf(
        project(
          '  blackouts:\n    - { from: { at: cutovr }, to: { at: cutover, offset: "2 days" }, allow: [nope] }\n    - { from: go-live, to: cutover, label: Backwards }',
        ),
      ),
    ).toEqual([
      'project.blackouts[0].from.at: unknown milestone "cutovr" (did you mean "cutover"? known: kickoff, cutover, go-live)',
      'project.blackouts[0].to.offset: "2 days" needs a sign: "-2 days" (before) or "+2 days" (after)',
      'project.blackouts[0].allow[0]: allow: "nope" is neither a comm key nor a comm kind of this plan (known: c1, announcement)',
    ]);
    expect(errorsOf(project('  blackouts:\n    - { from: go-live, to: cutover, label: Backwards }'))).toEqual([
      'project.blackouts[0]: blackout "Backwards" ends before it starts (Mon 18 Jan 00:00 – Fri 15 Jan 18:00 America/Chicago): make "to" later than "from"',
    ]);
  });
});
