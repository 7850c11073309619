/**
 * Errors in a people CSV name the CSV the plan names, in the file prefix and in the path, never a
 * people.csv the plan does not have; and a misspelt zone in it gets a did-you-mean.
 */
import { describe, expect, it } from 'vitest';
import { planYaml, run } from './plan-helpers.ts';

const PEOPLE = 'people:\n  csv: team/staff.csv';

describe('errors in a people CSV', () => {
  it('are reported against that CSV by its own name, with a did-you-mean for a misspelt zone', () => {
    const csv = 'id,name,email,timezone,audiences\ndana,Dana,dana@example.com,Europe/Berln,ops\nlee,Lee,lee@example,UTC,ops\n';
    const { errors } = run(planYaml({ people: PEOPLE }), { 'team/staff.csv': csv });
    expect(errors.map((e) => `${e.file}:${e.line}: ${e.path}: ${e.message}`)).toEqual([
      'team/staff.csv:2: staff.csv[dana].timezone: "Europe/Berln" is not an IANA time zone: did you mean Europe/Berlin? use a name like America/Chicago, Europe/London or UTC',
      'team/staff.csv:3: staff.csv[lee].email: "lee@example" is not an email address: use name@example.com',
    ]);
    expect(errors.map((e) => e.path).join(' ')).not.toContain('people.csv');
  });

  it('name the CSV for a header problem too (an unknown column)', () => {
    const { errors } = run(planYaml({ people: PEOPLE }), { 'team/staff.csv': 'id,name,email,tz\ndana,Dana,dana@example.com,UTC\n' });
    expect(errors.map((e) => `${e.file}:${e.line}: ${e.path}`)).toEqual(['team/staff.csv:1: staff.csv.tz']);
  });
});
