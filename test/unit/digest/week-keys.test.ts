import { describe, expect, it } from 'vitest';
import { isoWeekOf, mondayOfWeek, weekOccurrence, weekOfOccurrence } from '../../../src/domain/digest/week.ts';
import { buildCalendar } from '../../../src/domain/schedule/calendar.ts';
import type { Plan } from '../../../src/domain/plan/model.ts';
import { examplePlan } from '../../fixtures/example-plan.ts';
import { errorsOf, planYaml, validPlan } from '../plan/plan-helpers.ts';

const digestComm = (schedule: string, extra = ''): string =>
  [
    'comms:',
    '  - key: d',
    '    kind: digest',
    '    audience: ops',
    '    channels: [email]',
    '    template: t',
    `    ${schedule}`,
    ...(extra ? [`    ${extra}`] : []),
  ].join('\n');

describe('ISO weeks', () => {
  it('names the week an instant falls in, in a zone', () => {
    expect(isoWeekOf(new Date('2027-01-18T14:00:00Z'), 'America/Chicago')).toBe('2027-W03');
    // Sunday evening in Chicago is already Monday in Kolkata.
    expect(isoWeekOf(new Date('2027-01-18T03:00:00Z'), 'America/Chicago')).toBe('2027-W02');
    expect(isoWeekOf(new Date('2027-01-18T03:00:00Z'), 'Asia/Kolkata')).toBe('2027-W03');
    expect(isoWeekOf(new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
  });

  it('turns a week into an occurrence number and back', () => {
    expect(weekOccurrence('2027-W03')).toBe(202703);
    expect(weekOfOccurrence(202703)).toBe('2027-W03');
    expect(mondayOfWeek('2026-W53')).toBe('2026-12-28');
    expect(() => mondayOfWeek('2027-W53')).toThrow(/not an ISO week/);
    expect(() => weekOccurrence('2027-3')).toThrow(/"2027-3" is not an ISO week/);
  });
});

describe('digest message keys', () => {
  const keysOf = (plan: Plan): string[] =>
    buildCalendar(plan, { now: new Date('2026-11-01T00:00:00Z'), comms: ['exec-weekly'] })
      .filter((o) => o.channel === 'email')
      .map((o) => o.key);

  it('carry the ISO week of each Monday, so keys do not depend on where the schedule starts', () => {
    const keys = keysOf(examplePlan);
    expect(keys.slice(0, 3)).toEqual(['exec-weekly#202650:maria:email', 'exec-weekly#202651:maria:email', 'exec-weekly#202652:maria:email']);
    // MLK day (Mon 18 Jan) moves to Tuesday but keeps its week.
    expect(keys).toContain('exec-weekly#202703:maria:email');
    const earlier: Plan = { ...examplePlan, milestones: examplePlan.milestones.map((m) => (m.key === 'kickoff' ? { ...m, at: '2026-11-24T10:00' } : m)) };
    const moved = keysOf(earlier);
    expect(moved[0]).toBe('exec-weekly#202649:maria:email');
    expect(moved.slice(1)).toEqual(keys);
  });

  it('other recurring comms keep their position numbers', () => {
    const o = buildCalendar(examplePlan, { now: new Date('2026-11-01T00:00:00Z'), comms: ['workstream-status'] });
    expect(Math.min(...o.map((x) => x.occurrence))).toBe(0);
  });
});

describe('plan rules for digests', () => {
  it('a weekly digest is valid', () => {
    expect(
      validPlan(planYaml({ comms: digestComm('schedule: { every: week, on: monday, time: "08:00", from: kickoff, until: go-live }') })).comms[0]?.kind,
    ).toBe('digest');
  });

  it('a digest that is not weekly is an error that says how to fix it', () => {
    expect(errorsOf(planYaml({ comms: digestComm('schedule: { every: day, time: "08:00", from: kickoff, until: go-live }') }))).toEqual([
      'comms[0].schedule: a digest is weekly: use schedule: { every: week, on: monday, time: "08:00", from: …, until: … } (or every: "2 weeks")',
    ]);
    expect(errorsOf(planYaml({ comms: digestComm('trigger: manual') }))[0]).toMatch(/a digest is sent weekly, not by a trigger/);
  });

  it('a survey option may carry decision: true', () => {
    const comms = [
      'comms:',
      '  - key: s',
      '    kind: workstream-status',
      '    audience: ops',
      '    channels: [email]',
      '    template: t',
      '    schedule: { every: week, on: friday, time: "11:00", from: kickoff, until: go-live }',
      '    survey: { question: Status?, options: [ { value: green, label: OK }, { value: decide, label: Decide, decision: true } ] }',
    ].join('\n');
    expect(validPlan(planYaml({ comms })).comms[0]?.survey?.options[1]).toEqual({ value: 'decide', label: 'Decide', decision: true });
    expect(errorsOf(planYaml({ comms: comms.replace('decision: true', 'decision: maybe') }))).toEqual([
      'comms[0].survey.options[1].decision: decision must be true or false, found "maybe"',
    ]);
  });
});
