/** The browser tests' "labels, not keys" check (test/support/labels.ts) on plain text: what it flags and what it lets through. */
import { describe, expect, it } from 'vitest';
import { keysIn } from '../../support/labels.ts';

const RULES = { personKeys: ['bea.meyer', 'raj'], optionValues: ['minor', 'good'], optionLabels: ['Some issues', 'All good'], commKeys: ['hypercare-checkin'] };

describe('keysIn', () => {
  it('flags keys, option values, occurrence indexes, ISO instants and times with no zone', () => {
    const problems = keysIn('Escalated → raj\nbea.meyer answered minor to hypercare-checkin #0 at 2030-02-11T14:00:00Z\nDue 14:00', RULES);
    expect(problems.map((p) => p.replace(/ in ".*/, ''))).toEqual([
      'shows a person key "bea.meyer"',
      'shows a person key "raj"',
      'shows an option value "minor"',
      'shows a comm key "hypercare-checkin"',
      'shows an occurrence index "#0"',
      'shows an ISO instant "2030-02-11T14:00"',
      'shows a time with no zone "14:00"',
    ]);
  });

  it('lets names, labels, addresses, links, zoned times and zone offsets through', () => {
    const text = [
      'Raj Patel (raj.patel@northwind.example) answered Some issues to Hypercare check-in 1',
      'Mail to bea.meyer@northwind.example; feed /calendar/northwind-m365/bea.meyer.ics',
      'Mon 11 Feb 2030 08:00 CST · Tue 12 Feb 2030 19:30 GMT+5:30 · 8:48 PM CST · 09:00 (UTC) · 10:00 America/Chicago',
      'minority, rajah, hypercare-checkins, All good, 08:00 local, 08:00 for them (Europe/London), 08:00–09:30 CST, 23:00–Tue 01:00 CST',
    ].join('\n');
    expect(keysIn(text, RULES)).toEqual([]);
  });
});
