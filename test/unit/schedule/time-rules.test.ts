import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { buildCalendar } from '../../../src/domain/schedule/calendar.ts';
import { toEpochDay } from '../../../src/domain/schedule/local-date.ts';
import { pushOutOfQuietHours } from '../../../src/domain/schedule/quiet-hours.ts';
import { wallToInstant } from '../../../src/domain/schedule/zone-time.ts';
import type { PersonSpec, Plan, Schedule } from '../../../src/domain/plan/model.ts';
import { forPerson, localByKey, localText, NOW, offset, planWith } from './helpers.ts';

const HM = (h: number, m = 0) => (h * 60 + m) * 60_000;
const iso = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toISO();

function person(id: string, timezone: string): PersonSpec {
  return { id, name: id, email: `${id}@example.test`, timezone, audiences: ['end-users'], locale: 'en-US' };
}
function only(plan: Plan, people: PersonSpec[]): Plan {
  return { ...plan, people };
}
function dues(plan: Plan): Record<string, string> {
  return localByKey(plan, buildCalendar(plan, { now: NOW }));
}

describe('quiet hours (19:00 → 08:00 recipient-local, wrapping midnight)', () => {
  const pilotMinusOneDay: Schedule = { type: 'anchored', at: 'pilot', offset: offset('-1 day') };

  it('a notice without `time`, -1 day from pilot (Tue 2027-01-05 09:00 Chicago), is Mon 2027-01-04 09:00 Chicago = 15:00Z for everyone awake', () => {
    const d = dues(planWith(pilotMinusOneDay));
    expect(d['probe#0:alex.khan:email']).toBe('Mon 2027-01-04 09:00'); // Chicago
    expect(d['probe#0:omar.price:email']).toBe('Mon 2027-01-04 10:00'); // New York: same instant
    expect(d['probe#0:gia.garcia:email']).toBe('Mon 2027-01-04 15:00'); // London: same instant
    expect(d['probe#0:lia.olsen:email']).toBe('Mon 2027-01-04 08:00'); // Phoenix: 08:00 is the window's end
  });

  it('…but for Asia/Kolkata it is 20:30, inside quiet hours, so it moves to the window end on the next local date: Tue 2027-01-05 08:00 IST', () => {
    const d = dues(planWith(pilotMinusOneDay));
    expect(d['probe#0:jun.lopez:email']).toBe('Tue 2027-01-05 08:00');
    expect(d['probe#0:kai.vargas:email']).toBe('Tue 2027-01-05 08:00');
  });

  it('…and for Pacific/Honolulu it is 05:00, inside the window before its end, so it moves to 08:00 the same day', () => {
    expect(dues(planWith(pilotMinusOneDay))['probe#0:noor.quist:email']).toBe('Mon 2027-01-04 08:00');
  });

  it('a `time` inside quiet hours (06:30) moves to 08:00 local for every recipient', () => {
    const d = dues(planWith({ type: 'anchored', at: 'cutover', offset: offset('-1 business day'), time: '06:30' }));
    for (const id of ['alex.khan', 'jun.lopez', 'gia.garcia', 'noor.quist']) expect(d[`probe#0:${id}:email`]).toBe('Thu 2027-01-14 08:00');
  });

  it('a `time` of 19:00 (the window start) on Fri 2027-01-15 (go-live -1 business day) moves to Sat 2027-01-16 08:00: no business-day re-check after the push', () => {
    const d = dues(planWith({ type: 'anchored', at: 'go-live', offset: offset('-1 business day'), time: '19:00' }));
    expect(d['probe#0:alex.khan:email']).toBe('Sat 2027-01-16 08:00');
  });

  it('a window that does not wrap (12:00 → 13:00) pushes 12:15 to 13:00 and leaves 13:00 alone', () => {
    const w = { start: HM(12), end: HM(13) };
    const zone = 'Europe/London';
    const at1215 = wallToInstant(zone, toEpochDay('2027-01-14'), HM(12, 15));
    expect(iso(pushOutOfQuietHours(zone, at1215, w), zone)).toBe('2027-01-14T13:00:00.000+00:00');
    const at1300 = wallToInstant(zone, toEpochDay('2027-01-14'), HM(13));
    expect(pushOutOfQuietHours(zone, at1300, w)).toBe(at1300);
  });

  it('a wrapping window 22:00 → 06:00: 23:30 moves to 06:00 the next day, 05:59 to 06:00 the same day, 21:59 stays', () => {
    const w = { start: HM(22), end: HM(6) };
    const zone = 'America/New_York';
    const day = toEpochDay('2027-01-14');
    expect(iso(pushOutOfQuietHours(zone, wallToInstant(zone, day, HM(23, 30)), w), zone)).toBe('2027-01-15T06:00:00.000-05:00');
    expect(iso(pushOutOfQuietHours(zone, wallToInstant(zone, day, HM(5, 59)), w), zone)).toBe('2027-01-14T06:00:00.000-05:00');
    const t = wallToInstant(zone, day, HM(21, 59));
    expect(pushOutOfQuietHours(zone, t, w)).toBe(t);
  });

  it('without quiet hours nothing moves: a 03:00 `time` stays 03:00', () => {
    const d = dues(planWith({ type: 'anchored', at: 'cutover', offset: offset('-1 business day'), time: '03:00' }, { project: { quietHours: undefined } }));
    expect(d['probe#0:jun.lopez:email']).toBe('Thu 2027-01-14 03:00');
  });
});

describe('DST: America/Chicago springs forward Sun 2027-03-14 02:00→03:00 and falls back Sun 2026-11-01 02:00→01:00', () => {
  const noQuiet = { project: { quietHours: undefined } };
  const chicago = [person('cz', 'America/Chicago')];

  it('luxon alone resolves the ambiguous 2026-11-01 01:30 Chicago to the later instant (CST): Herald corrects it', () => {
    const luxon = DateTime.fromObject({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, { zone: 'America/Chicago' });
    expect(luxon.offset).toBe(-360);
    expect(iso(wallToInstant('America/Chicago', toEpochDay('2026-11-01'), HM(1, 30)), 'America/Chicago')).toBe('2026-11-01T01:30:00.000-05:00');
  });

  it('`time: "02:30"` on 2027-03-14 does not exist in Chicago: it moves forward by the gap to 03:30 CDT (08:30Z)', () => {
    const p = only(planWith({ type: 'anchored', at: 'go-live', offset: offset('+55 days'), time: '02:30' }, noQuiet), chicago);
    const [o] = buildCalendar(p, { now: NOW });
    expect(o?.dueAt.toISOString()).toBe('2027-03-14T08:30:00.000Z');
    expect(localText(o!.dueAt, 'America/Chicago')).toBe('Sun 2027-03-14 03:30');
  });

  it('`time: "01:30"` on 2026-11-01 happens twice in Chicago: the first (CDT, 06:30Z) is taken', () => {
    const p = only(planWith({ type: 'anchored', at: 'kickoff', offset: offset('-30 days'), time: '01:30' }, noQuiet), chicago);
    const [o] = buildCalendar(p, { now: NOW });
    expect(o?.dueAt.toISOString()).toBe('2026-11-01T06:30:00.000Z');
  });

  it("Europe/London (east of UTC in luxon's guess) also takes the first 01:30 on Sun 2026-10-25: 00:30Z (BST)", () => {
    expect(new Date(wallToInstant('Europe/London', toEpochDay('2026-10-25'), HM(1, 30))).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it("day offsets without `time` keep the anchor's wall time across DST: go-live 08:00 CST +56 days = Mon 2027-03-15 08:00 CDT (a 23-hour day between)", () => {
    const p = only(planWith({ type: 'anchored', at: 'go-live', offset: offset('+56 days') }, noQuiet), chicago);
    const [o] = buildCalendar(p, { now: NOW });
    expect(o?.dueAt.toISOString()).toBe('2027-03-15T13:00:00.000Z');
  });

  it('hour offsets are exact durations: kickoff Tue 2026-12-01 10:00 CST -744 hours (31 × 24 h) crosses the 25-hour 2026-11-01 and lands Sat 2026-10-31 11:00 CDT', () => {
    const p = only(planWith({ type: 'anchored', at: 'kickoff', offset: offset('-744 hours') }, noQuiet), chicago);
    const [o] = buildCalendar(p, { now: NOW });
    expect(o?.dueAt.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(localText(o!.dueAt, 'America/Chicago')).toBe('Sat 2026-10-31 11:00');
  });

  it('-31 days (calendar days) from the same kickoff keeps the wall time instead: Sat 2026-10-31 10:00 CDT', () => {
    const p = only(planWith({ type: 'anchored', at: 'kickoff', offset: offset('-31 days') }, noQuiet), chicago);
    expect(localText(buildCalendar(p, { now: NOW })[0]!.dueAt, 'America/Chicago')).toBe('Sat 2026-10-31 10:00');
  });

  it('minute offsets: cutover -90 minutes is 16:30 Chicago for everyone (same instant), Kolkata then is 04:00 → pushed to 08:00', () => {
    const d = dues(planWith({ type: 'anchored', at: 'cutover', offset: offset('-90 minutes') }));
    expect(d['probe#0:alex.khan:email']).toBe('Fri 2027-01-15 16:30');
    expect(d['probe#0:jun.lopez:email']).toBe('Sat 2027-01-16 08:00');
  });
});

describe('zones with half- and quarter-hour offsets', () => {
  it('Asia/Kolkata (+05:30): cutover-user-prep at 10:00 IST on Tue 2027-01-12 is 04:30Z', () => {
    const d = buildCalendar(planWith({ type: 'anchored', at: 'cutover', offset: offset('-3 business days'), time: '10:00' }), { now: NOW });
    expect(forPerson(d, 'jun.lopez')[0]?.dueAt.toISOString()).toBe('2027-01-12T04:30:00.000Z');
  });

  it('Asia/Kathmandu (+05:45): 10:00 on Tue 2027-01-12 is 04:15Z', () => {
    const p = only(planWith({ type: 'anchored', at: 'cutover', offset: offset('-3 business days'), time: '10:00' }), [person('k', 'Asia/Kathmandu')]);
    expect(buildCalendar(p, { now: NOW })[0]?.dueAt.toISOString()).toBe('2027-01-12T04:15:00.000Z');
  });

  it('Australia/Adelaide (+10:30 in January, DST): 10:00 Tue 2027-01-12 is 23:30Z the day before; its 2026-10-04 02:30 gap becomes 03:30', () => {
    const p = only(planWith({ type: 'anchored', at: 'cutover', offset: offset('-3 business days'), time: '10:00' }), [person('a', 'Australia/Adelaide')]);
    expect(buildCalendar(p, { now: NOW })[0]?.dueAt.toISOString()).toBe('2027-01-11T23:30:00.000Z');
    expect(iso(wallToInstant('Australia/Adelaide', toEpochDay('2026-10-04'), HM(2, 30)), 'Australia/Adelaide')).toBe('2026-10-04T03:30:00.000+10:30');
  });

  it('Australia/Lord_Howe moves its clocks by 30 minutes: 02:15 on 2026-10-04 does not exist and becomes 02:45', () => {
    expect(iso(wallToInstant('Australia/Lord_Howe', toEpochDay('2026-10-04'), HM(2, 15)), 'Australia/Lord_Howe')).toBe('2026-10-04T02:45:00.000+11:00');
  });
});

describe('schedule forms beyond the example plan', () => {
  it('weekly every 2 weeks on Monday from kickoff: Mon 2026-12-07, 12-21, 2027-01-04, 01-18 (MLK → Tue 01-19), 02-01', () => {
    const p = planWith({
      type: 'recurring',
      every: { unit: 'week', n: 2, raw: '2 weeks' },
      on: 'mon',
      time: '09:00',
      from: { milestone: 'kickoff' },
      until: { milestone: 'hypercare-end' },
    });
    const times = forPerson(buildCalendar(p, { now: NOW }), 'alex.khan').map((o) => localText(o.dueAt, 'America/Chicago'));
    expect(times).toEqual(['Mon 2026-12-07 09:00', 'Mon 2026-12-21 09:00', 'Mon 2027-01-04 09:00', 'Tue 2027-01-19 09:00', 'Mon 2027-02-01 09:00']);
  });

  it('monthly from a date: 2026-10-31 → Mon 11-30 (day clamped), Thu 12-31 is an extra holiday → Mon 2027-01-04… until 2027-02-28', () => {
    const p = planWith({
      type: 'recurring',
      every: { unit: 'month', n: 1, raw: 'month' },
      time: '09:00',
      from: { date: '2026-10-31' },
      until: { date: '2027-02-28' },
    });
    const times = forPerson(buildCalendar(p, { now: NOW }), 'alex.khan').map((o) => localText(o.dueAt, 'America/Chicago'));
    // Sat 2026-10-31 → Mon 11-02; Mon 11-30; Thu 12-31 (extra) → Fri 01-01 (New Year) → Mon 01-04; Sun 01-31 → Mon 02-01; Sat 02-28 → Mon 03-01.
    expect(times).toEqual(['Mon 2026-11-02 09:00', 'Mon 2026-11-30 09:00', 'Mon 2027-01-04 09:00', 'Mon 2027-02-01 09:00', 'Mon 2027-03-01 09:00']);
  });

  it('daily from 2027-01-15 to 2027-01-18 includes both ends and weekends: 4 occurrences', () => {
    const p = planWith({
      type: 'recurring',
      every: { unit: 'day', n: 1, raw: 'day' },
      time: '12:00',
      from: { date: '2027-01-15' },
      until: { date: '2027-01-18' },
    });
    expect(forPerson(buildCalendar(p, { now: NOW }), 'alex.khan').map((o) => localText(o.dueAt, 'America/Chicago'))).toEqual([
      'Fri 2027-01-15 12:00',
      'Sat 2027-01-16 12:00',
      'Sun 2027-01-17 12:00',
      'Mon 2027-01-18 12:00',
    ]);
  });

  it("recurring without `time` keeps `from`'s wall time in the project zone (kickoff 10:00 Chicago) for everyone", () => {
    const p = planWith({ type: 'recurring', every: { unit: 'week', n: 1, raw: 'week' }, from: { milestone: 'kickoff' }, until: { date: '2026-12-10' } });
    const d = dues(p);
    expect(d['probe#0:alex.khan:email']).toBe('Tue 2026-12-01 10:00');
    expect(d['probe#1:alex.khan:email']).toBe('Tue 2026-12-08 10:00');
    expect(d['probe#0:gia.garcia:email']).toBe('Tue 2026-12-01 16:00');
  });

  it('stepped with `count` and no series: +1 business day from go-live, then weekly, 3 times: Tue 01-19, Tue 01-26, Tue 02-02', () => {
    const p = planWith({
      type: 'stepped',
      at: 'go-live',
      offset: offset('+1 business day'),
      every: { unit: 'week', n: 1, raw: 'week' },
      count: 3,
      time: '09:00',
    });
    const occ = forPerson(buildCalendar(p, { now: NOW }), 'alex.khan');
    expect(occ.map((o) => localText(o.dueAt, 'America/Chicago'))).toEqual(['Tue 2027-01-19 09:00', 'Tue 2027-01-26 09:00', 'Tue 2027-02-02 09:00']);
    expect(occ.every((o) => o.seriesItem === undefined)).toBe(true);
  });

  it('+2 weeks offset from cutover without time = Fri 2027-01-29 18:00 Chicago (weeks are 7 calendar days)', () => {
    expect(dues(planWith({ type: 'anchored', at: 'cutover', offset: offset('+2 weeks') }))['probe#0:alex.khan:email']).toBe('Fri 2027-01-29 18:00');
  });
});

describe('quiet hours that end inside a DST gap', () => {
  it('window 02:01 → 02:00 in Chicago: a message at 02:01 Sat 2027-03-13 cannot end at the skipped 02:00 Sun, so it waits for 02:00 Mon 2027-03-15', () => {
    const zone = 'America/Chicago';
    const w = { start: HM(2, 1), end: HM(2) };
    const t = wallToInstant(zone, toEpochDay('2027-03-13'), HM(2, 1));
    expect(iso(pushOutOfQuietHours(zone, t, w), zone)).toBe('2027-03-15T02:00:00.000-05:00');
  });

  it('window 01:00 → 02:30 in Chicago: 01:15 on Sun 2027-03-14 ends at the skipped 02:30, i.e. 03:30 CDT, outside the window', () => {
    const zone = 'America/Chicago';
    const t = wallToInstant(zone, toEpochDay('2027-03-14'), HM(1, 15));
    expect(iso(pushOutOfQuietHours(zone, t, { start: HM(1), end: HM(2, 30) }), zone)).toBe('2027-03-14T03:30:00.000-05:00');
  });
});
