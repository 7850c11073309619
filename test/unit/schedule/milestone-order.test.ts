import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/domain/plan/model.ts';
import { commOccurrenceTitle, optionLabel, readableKey } from '../../../src/domain/plan/comm-title.ts';
import { milestoneOrderWarnings } from '../../../src/domain/schedule/milestone-order.ts';
import { commsYaml, planYaml, run } from '../plan/plan-helpers.ts';

const plan = (): Plan => {
  const r = run(
    planYaml({
      comms: commsYaml(
        'title: Hypercare check-in',
        'schedule: { at: go-live, offsets: ["+1 day", "+2 days", "+3 days"], time: "14:00" }',
        'survey: { question: "How?", options: [{ value: good, label: "Working well" }, { value: minor, label: "Some issues" }] }',
      ),
    }),
  );
  expect(r.errors).toEqual([]);
  return r.plan!;
};
const moveTo = (p: Plan, key: string, at: string): Plan => ({ ...p, milestones: p.milestones.map((m) => (m.key === key ? { ...m, at } : m)) });

describe('milestoneOrderWarnings', () => {
  it('says when a move puts the cutover after go-live, with dates in the project zone and the comms that now come first', () => {
    const before = plan();
    const w = milestoneOrderWarnings(before, moveTo(before, 'cutover', '2027-01-22T18:00'), 'cutover');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^cutover \(Fri 22 Jan 2027 18:00 CST\) now comes after go-live \(Mon 18 Jan 2027 00:00 CST\); it was before it\./);
    expect(w[0]).toContain('Comms anchored on go-live (Hypercare check-in) may now go out before cutover');
  });

  it('says nothing when the order stays', () => {
    const before = plan();
    expect(milestoneOrderWarnings(before, moveTo(before, 'cutover', '2027-01-16T18:00'), 'cutover')).toEqual([]);
  });
});

describe('labels', () => {
  it('reads a comm as its title with "n of N", an option as its label, a key as words', () => {
    const p = plan();
    expect(commOccurrenceTitle(p, 'c1', 1)).toBe('Hypercare check-in 2 of 3');
    expect(optionLabel(p, 'c1', 'minor')).toBe('Some issues');
    expect(optionLabel(p, 'c1', 'gone')).toBe('gone');
    expect(readableKey('hypercare-checkin')).toBe('Hypercare checkin');
  });
});

describe('time zone did-you-mean', () => {
  it('names the closest IANA zone for a misspelt one', async () => {
    const { zoneError } = await import('../../../src/domain/plan/calendar-values.ts');
    expect(zoneError('America/Chicgo')).toContain('did you mean America/Chicago?');
    expect(zoneError('europe/london')).toContain('did you mean Europe/London?');
    expect(zoneError('Mars/Olympus')).not.toContain('did you mean');
  });
});
