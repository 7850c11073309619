import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, parseEscalationDelay, type EscalationDelay } from '../../../src/domain/escalation/business-time.ts';
import { batchDueAt, escalationTargets, onAnswer, transition, urgencyOf } from '../../../src/domain/escalation/rules.ts';
import { ProjectCalendar } from '../../../src/domain/schedule/business-calendar.ts';
import { examplePlan } from '../../fixtures/example-plan.ts';
import { instantArb, zoneArb } from '../schedule/arbitraries.ts';

const cal = new ProjectCalendar(examplePlan.project);
const hours = { start: 9 * 3_600_000, end: 17 * 3_600_000 };
const fourBh: EscalationDelay = { unit: 'business hours', amount: 4, raw: '4 business hours' };
const at = (iso: string, zone: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const local = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

describe('business time', () => {
  it('4 business hours from Thursday 15:00 is Friday 11:00; from Friday 15:00 it is Monday 11:00', () => {
    expect(local(addBusinessTime(cal, hours, 'Asia/Kolkata', at('2027-01-21T15:00', 'Asia/Kolkata'), fourBh), 'Asia/Kolkata')).toBe('Fri 2027-01-22 11:00');
    expect(local(addBusinessTime(cal, hours, 'Asia/Kolkata', at('2027-01-22T15:00', 'Asia/Kolkata'), fourBh), 'Asia/Kolkata')).toBe('Mon 2027-01-25 11:00');
  });

  it('skips the project holidays (Martin Luther King Jr. Day, Mon 18 Jan 2027) and counts from the next opening', () => {
    expect(local(addBusinessTime(cal, hours, 'America/Chicago', at('2027-01-16T22:00', 'America/Chicago'), fourBh), 'America/Chicago')).toBe(
      'Tue 2027-01-19 13:00',
    );
  });

  it('exact units are plain durations', () => {
    const from = at('2027-01-16T22:00', 'America/Chicago');
    expect(addBusinessTime(cal, hours, 'America/Chicago', from, { unit: 'hours', amount: 2, raw: '2 hours' })).toBe(from + 7_200_000);
  });

  it('parses delays and rejects others with the fix', () => {
    expect(parseEscalationDelay('4 business hours')).toEqual({ ok: true, value: fourBh });
    expect(parseEscalationDelay('1 business day')).toMatchObject({ ok: true, value: { unit: 'business days', amount: 1 } });
    expect(parseEscalationDelay('soon')).toMatchObject({ ok: false, error: expect.stringContaining('"4 business hours"') });
  });

  it('(property) lands inside working hours on a business day, and exactly N working hours of overlap later', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, fc.integer({ min: 1, max: 30 }), (zone, from, n) => {
        const due = addBusinessTime(cal, hours, zone, from, { unit: 'business hours', amount: n, raw: '' });
        expect(due).toBeGreaterThan(from);
        const d = DateTime.fromMillis(due, { zone });
        const minutes = d.hour * 60 + d.minute;
        expect(minutes).toBeGreaterThan(9 * 60 - 1);
        expect(minutes).toBeLessThanOrEqual(17 * 60);
        expect(cal.isBusinessDay(d.toISODate()!)).toBe(true);
      }),
      { numRuns: 800 },
    );
  });
});

describe('escalation rules', () => {
  const checkin = examplePlan.comms.find((c) => c.key === 'hypercare-checkin')!;

  it('escalate: true is normal, urgent is urgent, no flag opens nothing', () => {
    expect(checkin.survey!.options.map((o) => urgencyOf(o))).toEqual([undefined, 'normal', 'urgent']);
  });

  it('goes to the workstream owner, then its escalation person; escalateTo names someone else', () => {
    expect(escalationTargets(examplePlan, checkin, 'bea.meyer')).toEqual({ owner: 'raj', second: 'maria' });
    const to = { ...checkin, survey: { ...checkin.survey!, escalateTo: 'lee' } };
    expect(escalationTargets(examplePlan, to, 'bea.meyer')).toEqual({ owner: 'lee', second: 'maria' });
  });

  it("a workstream-status answer by an owner goes to their workstream's escalation person", () => {
    const status = examplePlan.comms.find((c) => c.key === 'workstream-status')!;
    expect(escalationTargets(examplePlan, status, 'raj')).toEqual({ owner: 'maria' });
    expect(escalationTargets(examplePlan, status, 'fatima.singh')).toBeUndefined();
  });

  it('a changed answer that no longer escalates closes nothing; one that became urgent raises it', () => {
    expect(onAnswer({ urgency: 'normal' }, undefined)).toBe('none');
    expect(onAnswer(undefined, 'normal')).toBe('open');
    expect(onAnswer({ urgency: 'normal' }, 'urgent')).toBe('raise');
    expect(onAnswer({ urgency: 'urgent' }, 'normal')).toBe('update');
  });

  it('acknowledge, then resolve; repeats and going back change nothing', () => {
    expect(transition('open', 'acknowledge')).toBe('acknowledged');
    expect(transition('acknowledged', 'acknowledge')).toBeUndefined();
    expect(transition('acknowledged', 'resolve')).toBe('resolved');
    expect(transition('open', 'resolve')).toBe('resolved');
    expect(transition('resolved', 'acknowledge')).toBeUndefined();
    expect(transition('resolved', 'resolve')).toBeUndefined();
  });

  it('normal escalations wait for the next full hour, then quiet hours; urgent ones go at once', () => {
    const now = Date.parse('2027-01-19T15:07:00Z');
    expect(batchDueAt('urgent', now, () => 0)).toBe(now);
    expect(batchDueAt('normal', now, (t) => t)).toBe(Date.parse('2027-01-19T16:00:00Z'));
    expect(batchDueAt('normal', now + 50 * 60_000, (t) => t)).toBe(Date.parse('2027-01-19T16:00:00Z'));
  });
});
