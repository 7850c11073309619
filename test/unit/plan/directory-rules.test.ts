import { describe, expect, it } from 'vitest';
import { SECTIONS, errorsOf, planYaml, run, validPlan } from './plan-helpers.ts';

const milestones = (...lines: string[]): string => planYaml({ milestones: ['milestones:', ...lines.map((l) => `  ${l}`)].join('\n'), comms: 'comms: []' });
const inline = (...people: string[]): string =>
  planYaml({ people: ['people:', '  inline:', ...people.map((p) => `    - ${p}`)].join('\n'), workstreams: 'workstreams: {}', comms: 'comms: []' });
const withCsv = (csvKey = 'people.csv'): string =>
  planYaml({ people: `people:\n  inline:\n    - { id: dana, name: Dana, email: dana@example.com, audiences: [ops] }\n  csv: ${csvKey}`, comms: 'comms: []' });
const HEADER = 'id,name,email,slack,timezone,audiences,locale';

describe('milestones', () => {
  it('accepts dates and date-times (with or without seconds), and a bare date as shorthand', () => {
    expect(validPlan(milestones('a: { at: 2027-01-15 }', 'b: { at: 2027-01-15T18:00:30, label: B }', 'c: 2027-02-01T09:00')).milestones).toEqual([
      { key: 'a', at: '2027-01-15' },
      { key: 'b', at: '2027-01-15T18:00:30', label: 'B' },
      { key: 'c', at: '2027-02-01T09:00' },
    ]);
  });

  it('rejects impossible dates, other formats and wall times skipped by DST in the project zone', () => {
    expect(errorsOf(milestones('a: { at: 2027-02-29 }', 'b: { at: "15/01/2027" }', 'c: { at: 2027-03-14T02:15 }', 'd: {}'))).toEqual([
      'milestones.a.at: "2027-02-29" is not a date: February 2027 has 28 days',
      'milestones.b.at: "15/01/2027" is not a date or date-time: use YYYY-MM-DD or YYYY-MM-DDTHH:mm, e.g. 2027-01-15T18:00',
      'milestones.c.at: "2027-03-14T02:15" does not exist in America/Chicago (the clocks skip it); use 2027-03-14T03:15 or another time',
      'milestones.d: missing required key "at" (for example at: 2027-01-15T18:00)',
    ]);
  });

  it('accepts the repeated hour of a fall-back night (it exists, twice)', () => {
    expect(validPlan(milestones('a: { at: 2027-11-07T01:30 }')).milestones[0]?.at).toBe('2027-11-07T01:30');
  });

  it('reports duplicate milestone keys at the second one', () => {
    const o = run(milestones('a: { at: 2027-01-15 }', 'a: { at: 2027-01-16 }'));
    expect(o.errors.map((i) => [i.line, i.message])).toEqual([[4, 'duplicate key "a" (first at line 3); keys must be unique']]);
  });
});

describe('audiences and workstreams', () => {
  it('reads audiences with or without a description', () => {
    expect(validPlan(planYaml({ audiences: 'audiences:\n  ops: { description: Ops }\n  users:\n' })).audiences).toEqual([
      { key: 'ops', description: 'Ops' },
      { key: 'users' },
    ]);
    expect(errorsOf(planYaml({ audiences: 'audiences:\n  ops: { descripton: Ops }\n  users: {}' }))).toEqual([
      'audiences.ops.descripton: unknown key "descripton" (did you mean "description"? allowed: description)',
    ]);
  });

  it('requires a workstream name and an owner who is a known person; escalation too', () => {
    expect(validPlan(planYaml({ workstreams: 'workstreams:\n  ws: { name: WS, owner: dana, escalation: lee }' })).workstreams).toEqual([
      { key: 'ws', name: 'WS', owner: 'dana', escalation: 'lee' },
    ]);
    expect(errorsOf(planYaml({ workstreams: 'workstreams:\n  ws: { owner: dan, escalation: bob }' }))).toEqual([
      'workstreams.ws: missing required key "name" (for example name: Identity & MFA)',
      'workstreams.ws.owner: unknown person "dan" (did you mean "dana"? known: dana, lee)',
      'workstreams.ws.escalation: unknown person "bob" (known: dana, lee)',
    ]);
  });
});

describe('people: inline', () => {
  it('defaults timezone to the project zone and locale to en-US; audiences may be one or many', () => {
    expect(
      validPlan(inline('{ id: a, name: A, email: a@example.com, audiences: ops }', '{ id: b, name: B, slack: U0B, timezone: Europe/Paris, locale: fr-FR }'))
        .people,
    ).toEqual([
      { id: 'a', name: 'A', email: 'a@example.com', timezone: 'America/Chicago', audiences: ['ops'], locale: 'en-US' },
      { id: 'b', name: 'B', slack: 'U0B', timezone: 'Europe/Paris', audiences: [], locale: 'fr-FR' },
    ]);
  });

  it('needs an id, a name and an email or slack; checks email, zone, locale and audiences', () => {
    expect(
      errorsOf(
        inline(
          '{ name: A, email: a@example.com }',
          '{ id: b }',
          '{ id: c, name: C, email: "c@", timezone: Moon/Base, locale: "not a locale", audiences: [opz] }',
        ),
      ),
    ).toEqual([
      'people.inline[0]: missing id: every person needs a unique id such as dana or dana.ruiz',
      'people.inline[1]: missing name: give the name messages address the person by',
      'people.inline[1]: needs an email or a slack id (or both) so Herald can reach them',
      'people.inline[2].email: "c@" is not an email address: use name@example.com',
      'people.inline[2].timezone: "Moon/Base" is not an IANA time zone: use a name like America/Chicago, Europe/London or UTC',
      'people.inline[2].locale: "not a locale" is not a locale: use a BCP 47 tag such as en-US or fr-FR',
      'people.inline[2].audiences: unknown audience "opz" (did you mean "ops"? known: ops, users)',
    ]);
  });

  it('reports unknown person fields with a suggestion and duplicate ids', () => {
    expect(errorsOf(inline('{ id: a, name: A, emial: a@example.com, slack: U0A }', '{ id: a, name: A2, slack: U0A2 }'))).toEqual([
      'people.inline[0].emial: unknown key "emial" (did you mean "email"? allowed: id, name, email, slack, timezone, audiences, locale, country, region, workDays)',
      'people.inline[1].id: duplicate person id "a" (first defined at plan.yaml:12); ids must be unique across inline people and CSV files',
    ]);
  });

  it('warns (only) about a Slack id that does not look like one', () => {
    const o = run(inline('{ id: a, name: A, slack: "@alice" }'));
    expect(o.plan?.people[0]?.slack).toBe('@alice');
    expect(o.warnings.map((w) => w.message)).toEqual(['"@alice" does not look like a Slack user id (U… or W…); leave it empty to look the user up by email']);
  });
});

describe('people: CSV', () => {
  it('reads the columns, splits audiences on ";" and applies defaults', () => {
    const csv = `${HEADER}\nbo,Bo Berg,bo@example.com,,,ops; users,\ncy,"Young, Cy",,U0CY,Europe/Oslo,,nb-NO\n`;
    expect(validPlan(withCsv(), { 'people.csv': csv }).people.slice(1)).toEqual([
      { id: 'bo', name: 'Bo Berg', email: 'bo@example.com', timezone: 'America/Chicago', audiences: ['ops', 'users'], locale: 'en-US' },
      { id: 'cy', name: 'Young, Cy', slack: 'U0CY', timezone: 'Europe/Oslo', audiences: [], locale: 'nb-NO' },
    ]);
  });

  it('accepts a subset of the columns in any order', () => {
    expect(validPlan(withCsv(), { 'people.csv': 'email,id,name\nbo@example.com,bo,Bo\n' }).people[1]).toMatchObject({ id: 'bo', email: 'bo@example.com' });
  });

  it('reports each bad row at its own CSV line, with the row id in the path', () => {
    const csv = `${HEADER}\nok,Ok,ok@example.com,,,,\nbad,Bad,bad@,,Nowhere/City,execs,\n\ndana,Dup,d2@example.com,,,,\nnone,None,,,,,\nshort,Short\n`;
    const o = run(withCsv(), { 'people.csv': csv });
    expect(o.errors.map((i) => `${i.file}:${i.line}: ${i.path}: ${i.message}`)).toEqual([
      'people.csv:3: people.csv[bad].email: "bad@" is not an email address: use name@example.com',
      'people.csv:3: people.csv[bad].timezone: "Nowhere/City" is not an IANA time zone: use a name like America/Chicago, Europe/London or UTC',
      'people.csv:3: people.csv[bad].audiences: unknown audience "execs" (known: ops, users)',
      'people.csv:5: people.csv[dana].id: duplicate person id "dana" (first defined at plan.yaml:13); ids must be unique across inline people and CSV files',
      'people.csv:6: people.csv[none]: needs an email or a slack id (or both) so Herald can reach them',
      'people.csv:7: people.csv[short]: row has 2 values but the header has 7; quote values that contain commas',
    ]);
  });

  it('checks the header: unknown and missing columns', () => {
    expect(errorsOf(withCsv(), { 'people.csv': 'id,nmae,mail\nbo,Bo,bo@example.com\n' })).toEqual([
      'people.csv.nmae: unknown column "nmae" (did you mean "name"? columns: id, name, email, slack, timezone, audiences, locale, country, region, workDays)',
      'people.csv.mail: unknown column "mail" (did you mean "email"? columns: id, name, email, slack, timezone, audiences, locale, country, region, workDays)',
      'people.csv: missing column "name" in the header (columns: id,name,email,slack,timezone,audiences,locale,country,region,workDays)',
      'people.csv: the header needs an "email" or a "slack" column so people can be reached',
      'people.csv[bo].name: missing name: give the name messages address the person by',
      'people.csv[bo]: needs an email or a slack id (or both) so Herald can reach them',
    ]);
  });

  it('reports a missing or empty CSV file at the csv: line of the plan', () => {
    const missing = run(withCsv('nope.csv'));
    expect(missing.errors.map((i) => `${i.file}:${i.line}: ${i.path}: ${i.message}`)).toEqual([
      'plan.yaml:14: people.csv: cannot read people file "nope.csv" (paths are relative to the plan file)',
    ]);
    expect(errorsOf(withCsv(), { 'people.csv': '' })).toEqual([
      'people.csv: people file "people.csv" is empty: its first line must be the header id,name,email,slack,timezone,audiences,locale',
    ]);
  });

  it('the default sections stay valid (guards the helpers)', () => {
    expect(run(planYaml({ people: SECTIONS.people })).errors).toEqual([]);
  });
});
