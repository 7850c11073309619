import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../src/domain/plan/model.ts';
import { commsYaml, errorsOf, planYaml, run, validPlan } from './plan-helpers.ts';

const withSchedule = (s: string, ...extra: string[]): string => planYaml({ comms: commsYaml(`schedule: ${s}`, ...extra) });
const scheduleOf = (s: string, ...extra: string[]): Schedule | undefined => validPlan(withSchedule(s, ...extra)).comms[0]?.schedule;
const errs = (s: string, ...extra: string[]): string[] => errorsOf(withSchedule(s, ...extra));
const off = (raw: string, sign: 1 | -1, amount: number, unit: string) => ({ raw, sign, amount, unit });

describe('schedule: anchored', () => {
  it('reads at, offset and an optional recipient-local time', () => {
    expect(scheduleOf('{ at: cutover, offset: "-3 business days", time: "09:00" }')).toEqual({
      type: 'anchored',
      at: 'cutover',
      offset: off('-3 business days', -1, 3, 'business days'),
      time: '09:00',
    });
    expect(scheduleOf('{ at: cutover, offset: "+4 hours" }')).toEqual({ type: 'anchored', at: 'cutover', offset: off('+4 hours', 1, 4, 'hours') });
  });

  it('checks the milestone, the offset sign and the time', () => {
    expect(errs('{ at: cutovr, offset: "3 days", time: "9am" }')).toEqual([
      'comms[0].schedule.time: "9am" is not a time: use 24-hour HH:mm, e.g. "09:00" or "18:30" (quote it in YAML)',
      'comms[0].schedule.at: unknown milestone "cutovr" (did you mean "cutover"? known: kickoff, cutover, go-live)',
      'comms[0].schedule.offset: "3 days" needs a sign: "-3 days" (before) or "+3 days" (after)',
    ]);
    expect(errs('{ at: cutover }')).toEqual([
      'comms[0].schedule: missing required key "offset" (for example offset: "-3 business days" (or "+0 days" for the milestone itself))',
    ]);
    expect(errs('{ at: cutover, offset: "-1 day", tiem: "09:00" }')).toEqual([
      'comms[0].schedule.tiem: unknown key "tiem" (did you mean "time"? allowed: at, offset, time)',
    ]);
  });

  it('warns when a date-only milestone and no time put the message at midnight', () => {
    const o = run(withSchedule('{ at: go-live, offset: "+1 day" }'));
    expect(o.errors).toEqual([]);
    expect(o.warnings.map((w) => w.message)).toEqual([
      'milestone "go-live" has no time of day and this schedule has no "time": messages are due at 00:00; add time: "09:00" (for example)',
    ]);
  });
});

describe('schedule: series', () => {
  it('reads a list of signed offsets', () => {
    expect(scheduleOf('{ at: go-live, offsets: ["+1 business day", "+7 days"], time: "14:00" }')).toEqual({
      type: 'series',
      at: 'go-live',
      offsets: [off('+1 business day', 1, 1, 'business days'), off('+7 days', 1, 7, 'days')],
      time: '14:00',
    });
  });

  it('rejects an empty list and bad offsets, each at its index', () => {
    expect(errs('{ at: go-live, offsets: [], time: "14:00" }')).toEqual([
      'comms[0].schedule.offsets: expected a non-empty list of offsets, e.g. ["-5 business days", "-1 business day"]',
    ]);
    expect(errs('{ at: go-live, offsets: ["+1 day", "7 days"], time: "14:00" }')).toEqual([
      'comms[0].schedule.offsets[1]: "7 days" needs a sign: "-7 days" (before) or "+7 days" (after)',
    ]);
  });
});

describe('schedule: stepped', () => {
  it('reads at, offset, every and a count', () => {
    expect(scheduleOf('{ at: go-live, offset: "+1 business day", every: "business day", count: 5, time: "10:30" }')).toEqual({
      type: 'stepped',
      at: 'go-live',
      offset: off('+1 business day', 1, 1, 'business days'),
      every: { unit: 'business day', n: 1, raw: 'business day' },
      count: 5,
      time: '10:30',
    });
  });

  it('is bounded by the comm series instead of a count', () => {
    const plan = validPlan(withSchedule('{ at: go-live, offset: "+1 day", every: "2 weeks", time: "10:30" }', 'series: [tip-a, tip-b]'));
    expect(plan.comms[0]?.series).toEqual(['tip-a', 'tip-b']);
    expect(plan.comms[0]?.schedule).toMatchObject({ type: 'stepped', every: { unit: 'week', n: 2 } });
  });

  it('is an error when unbounded, or bounded twice', () => {
    expect(errs('{ at: go-live, offset: "+1 day", every: day, time: "10:30" }')).toEqual([
      'comms[0].schedule: a stepped schedule needs an end: add series: [item, …] to the comm (one message per item) or count: N to the schedule',
    ]);
    expect(errs('{ at: go-live, offset: "+1 day", every: day, count: 2, time: "10:30" }', 'series: [a, b]')).toEqual([
      'comms[0].schedule.count: give either "series" on the comm or "count" in the schedule, not both: the series length is the count',
    ]);
    expect(errs('{ at: go-live, offset: "+1 day", every: day, count: 0, time: "10:30" }')).toEqual([
      'comms[0].schedule.count: expected a whole number ≥ 1, found number 0',
    ]);
  });
});

describe('schedule: recurring', () => {
  it('reads every/on/time/from/until with milestone keys or dates', () => {
    expect(scheduleOf('{ every: week, on: monday, time: "08:00", from: kickoff, until: 2027-03-01 }')).toEqual({
      type: 'recurring',
      every: { unit: 'week', n: 1, raw: 'week' },
      on: 'mon',
      time: '08:00',
      from: { milestone: 'kickoff' },
      until: { date: '2027-03-01' },
    });
    expect(scheduleOf('{ every: month, from: 2027-01-01T09:00, until: go-live }')).toMatchObject({
      every: { unit: 'month' },
      from: { date: '2027-01-01T09:00' },
    });
    expect(scheduleOf('{ every: "2 weeks", on: Fri, from: kickoff, until: go-live }')).toMatchObject({ every: { unit: 'week', n: 2 }, on: 'fri' });
  });

  it('requires from and until, and until after from', () => {
    expect(errs('{ every: day }')).toEqual([
      'comms[0].schedule: missing required key "from" (for example from: kickoff)',
      'comms[0].schedule: missing required key "until" (for example until: hypercare-end)',
    ]);
    expect(errs('{ every: day, from: go-live, until: kickoff }')).toEqual([
      'comms[0].schedule.until: "until" is before "from": the schedule would never run; swap them or pick a later end',
    ]);
    expect(errs('{ every: day, from: kickof, until: 2027-02-30 }')).toEqual([
      'comms[0].schedule.from: unknown milestone "kickof" (did you mean "kickoff"? known: kickoff, cutover, go-live)',
      'comms[0].schedule.until: "2027-02-30" is not a date: February 2027 has 28 days',
    ]);
  });

  it('checks every and on', () => {
    expect(errs('{ every: fortnight, from: kickoff, until: go-live }')[0]).toMatch(/^comms\[0\]\.schedule\.every: "fortnight": unknown interval/);
    expect(errs('{ every: day, on: monday, from: kickoff, until: go-live }')).toEqual([
      'comms[0].schedule.on: "on" only applies to weekly schedules (every: week or "2 weeks"); remove it for every: day',
    ]);
  });

  it('cannot be guessed from unrelated keys', () => {
    expect(errs('{ time: "09:00" }')).toEqual([
      'comms[0].schedule: cannot tell which schedule this is: use { at, offset } (anchored), { at, offsets: [...] } (series), { at, offset, every } (stepped) or { every, from, until } (recurring)',
    ]);
    expect(errs('{ at: cutover, offset: "-1 day", from: kickoff }')).toEqual(['comms[0].schedule.from: unknown key "from" (allowed: at, offset, time)']);
  });
});
