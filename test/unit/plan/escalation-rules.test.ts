import { describe, expect, it } from 'vitest';
import { errorsOf, planYaml, validPlan } from './plan-helpers.ts';

const project = (body: string): string => planYaml({ project: `project:\n  key: p\n  name: P\n  timezone: America/Chicago\n${body}` });

describe('project.escalation', () => {
  it('is optional; when given, defaults fill what it leaves out', () => {
    expect(validPlan(planYaml()).project.escalation).toBeUndefined();
    expect(validPlan(project('  escalation: { after: "2 hours" }\n')).project.escalation).toEqual({
      after: { unit: 'hours', amount: 2, raw: '2 hours' },
      businessHours: { start: '09:00', end: '17:00' },
    });
    expect(validPlan(project('  escalation: { after: "1 business day", businessHours: { start: "08:30", end: "18:00" } }\n')).project.escalation).toEqual({
      after: { unit: 'business days', amount: 1, raw: '1 business day' },
      businessHours: { start: '08:30', end: '18:00' },
    });
  });

  it('rejects bad delays, times and windows with the fix', () => {
    expect(errorsOf(project('  escalation: { after: "soon" }\n'))).toEqual([
      'project.escalation.after: "soon" is not a delay: write an amount and a unit, e.g. "4 business hours", "2 hours" or "1 business day"',
    ]);
    expect(errorsOf(project('  escalation: { businessHours: { start: "17:00", end: "09:00" } }\n'))).toEqual([
      'project.escalation.businessHours: business hours must start before they end (got 17:00–09:00), e.g. start "09:00", end "17:00"',
    ]);
    expect(errorsOf(project('  escalation: { afterr: "2 hours" }\n'))[0]).toContain('did you mean "after"?');
  });
});
