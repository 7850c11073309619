import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/domain/plan/model.ts';
import { ProjectCalendar } from '../../../src/domain/schedule/business-calendar.ts';
import { buildCalendar } from '../../../src/domain/schedule/calendar.ts';
import { toEpochDay } from '../../../src/domain/schedule/local-date.ts';
import type { Occurrence } from '../../../src/domain/schedule/occurrence.ts';
import { pushOutOfQuietHours } from '../../../src/domain/schedule/quiet-hours.ts';
import { wallToInstant } from '../../../src/domain/schedule/zone-time.ts';
import { examplePlan } from '../../fixtures/example-plan.ts';
import { businessDaysArb, dateArb, instantArb, minuteOfDayArb, planArb, wallTimeArb, weekdayArb, zoneArb, ZONES } from './arbitraries.ts';
import { NOW } from './helpers.ts';

const MIN = 60_000;
const localMinute = (ms: number, zone: string): number => {
  const dt = DateTime.fromMillis(ms, { zone });
  return dt.hour * 60 + dt.minute;
};
const localDate = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toISODate() ?? '';
const inWindow = (m: number, start: number, end: number): boolean => (start < end ? m >= start && m < end : m >= start || m < end);
const toMinutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const offsetAt = (zone: string, ms: number): number => IANAZone.create(zone).offset(ms);
const zoneOfPerson = (plan: Plan, id: string): string => plan.people.find((p) => p.id === id)?.timezone ?? '';

describe('quiet hours (property)', () => {
  it('a pushed instant is never inside the window, never earlier, and untouched when it was outside', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, minuteOfDayArb, minuteOfDayArb, (zone, t, start, end) => {
        fc.pre(start !== end);
        const pushed = pushOutOfQuietHours(zone, t, { start: start * MIN, end: end * MIN });
        expect(pushed).toBeGreaterThanOrEqual(t);
        expect(inWindow(localMinute(pushed, zone), start, end)).toBe(false);
        if (!inWindow(localMinute(t, zone), start, end)) expect(pushed).toBe(t);
      }),
      { numRuns: 2000 },
    );
  });

  it("no occurrence of any generated plan is due inside its recipient's quiet hours", () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const q = plan.project.quietHours;
        fc.pre(q !== undefined && q.start !== q.end);
        const [start, end] = [toMinutes(q!.start), toMinutes(q!.end)];
        for (const o of buildCalendar(plan, { now: NOW }))
          expect(inWindow(localMinute(o.dueAt.getTime(), zoneOfPerson(plan, o.personId)), start, end)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('business days (property)', () => {
  it('addBusinessDays(n) then (-n) returns to the same business day', () => {
    fc.assert(
      fc.property(
        businessDaysArb,
        fc.constantFrom(undefined, 'US', 'GB', 'IN'),
        fc.array(dateArb, { maxLength: 10 }),
        dateArb,
        fc.integer({ min: -60, max: 60 }),
        (days, country, extra, date, n) => {
          const cal = new ProjectCalendar({ timezone: 'UTC', businessDays: days, holidays: { ...(country ? { country } : {}), extra } });
          const start = cal.nextBusinessDayOnOrAfter(date);
          const there = cal.addBusinessDays(start, n);
          expect(cal.isBusinessDay(there)).toBe(true);
          expect(cal.addBusinessDays(there, -n)).toBe(start);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every weekly, monthly and business-day recurring occurrence falls on a project business day', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('week' as const, 'month' as const, 'business day' as const),
        fc.integer({ min: 1, max: 3 }),
        fc.option(weekdayArb, { nil: undefined }),
        dateArb,
        fc.integer({ min: 0, max: 120 }),
        businessDaysArb,
        wallTimeArb,
        (unit, n, on, from, span, businessDays, time) => {
          const until = DateTime.fromISO(from).plus({ days: span }).toISODate() ?? from;
          const project = { ...examplePlan.project, businessDays, quietHours: undefined };
          const plan: Plan = {
            ...examplePlan,
            project,
            comms: [
              {
                key: 'r',
                kind: 'k',
                audiences: ['end-users'],
                channels: ['email'],
                template: 't',
                data: {},
                optional: false,
                schedule: { type: 'recurring', every: { unit, n, raw: '' }, on, time, from: { date: from }, until: { date: until } },
              },
            ],
          };
          const cal = new ProjectCalendar(project);
          for (const o of buildCalendar(plan, { now: NOW })) {
            // Without quiet hours the recipient-local date is the project-calendar date.
            expect(cal.isBusinessDay(localDate(o.dueAt.getTime(), zoneOfPerson(plan, o.personId)))).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('wall times and DST (property)', () => {
  it('with `time`, the recipient-local wall time equals `time`, unless a clock change skipped it (then later by the gap) or quiet hours pushed it (then the window end, itself maybe moved by a gap)', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const q = plan.project.quietHours;
        const end = q ? toMinutes(q.end) : -1;
        for (const o of buildCalendar(plan, { now: NOW })) {
          const time = plan.comms.find((c) => c.key === o.comm)?.schedule?.time;
          if (time === undefined) continue;
          const zone = zoneOfPerson(plan, o.personId);
          const t = o.dueAt.getTime();
          const got = localMinute(t, zone);
          if (got === toMinutes(time) || got === end) continue;
          // Otherwise the wall time (`time` or the quiet window's end) was skipped by a clock change.
          const gap = offsetAt(zone, t) - offsetAt(zone, t - 6 * 3_600_000);
          expect(gap).toBeGreaterThan(0);
          expect([toMinutes(time) + gap, end + gap]).toContain(got);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('23- and 25-hour days: every wall time of a transition day maps to that local date, in order (skipped times aside), the earliest instant first', () => {
    // Transition days of each zone in 2026–2028.
    const transitions: { zone: string; day: number }[] = [];
    for (const zone of ZONES) {
      for (let d = toEpochDay('2026-01-01'); d < toEpochDay('2029-01-01'); d++) {
        if (wallToInstant(zone, d + 1, 0) - wallToInstant(zone, d, 0) !== 86_400_000) transitions.push({ zone, day: d });
      }
    }
    expect(transitions.some((t) => t.zone === 'America/Chicago')).toBe(true);
    fc.assert(
      fc.property(fc.constantFrom(...transitions), minuteOfDayArb, minuteOfDayArb, ({ zone, day }, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const tLo = wallToInstant(zone, day, lo * MIN);
        const tHi = wallToInstant(zone, day, hi * MIN);
        // A skipped 02:30 becomes 03:30, after a real 03:00: order holds among times that exist.
        if (localMinute(tLo, zone) === lo && localMinute(tHi, zone) === hi) expect(tLo).toBeLessThanOrEqual(tHi);
        for (const [m, t] of [
          [lo, tLo],
          [hi, tHi],
        ] as const) {
          const local = DateTime.fromMillis(t, { zone });
          expect(toEpochDay(local.toISODate() ?? '')).toBe(day);
          const later = wallToInstant(zone, day, m * MIN, 'later');
          expect(t).toBeLessThanOrEqual(later);
          if (later !== t) {
            // Ambiguous: both instants show the same wall time, and the first was taken.
            expect(localMinute(later, zone)).toBe(localMinute(t, zone));
            expect(localMinute(t, zone)).toBe(m);
          } else if (localMinute(t, zone) !== m) {
            // Skipped: moved forward by the gap.
            expect(localMinute(t, zone)).toBe(m + offsetAt(zone, t) - offsetAt(zone, t - 6 * 3_600_000));
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("the day's length in each DST zone is 23, 24 or 25 hours (Lord Howe: 23.5/24.5)", () => {
    fc.assert(
      fc.property(zoneArb, fc.integer({ min: toEpochDay('2026-01-01'), max: toEpochDay('2028-12-30') }), (zone, day) => {
        const hours = (wallToInstant(zone, day + 1, 0) - wallToInstant(zone, day, 0)) / 3_600_000;
        expect([23, 23.5, 24, 24.5, 25]).toContain(hours);
      }),
      { numRuns: 2000 },
    );
  });
});

function compare(a: Occurrence, b: Occurrence): number {
  return a.dueAt.getTime() - b.dueAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

describe('calendar output (property)', () => {
  it('is sorted by due instant then key, with unique keys', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const out = buildCalendar(plan, { now: NOW });
        for (let i = 1; i < out.length; i++) expect(compare(out[i - 1]!, out[i]!)).toBeLessThan(0);
        expect(new Set(out.map((o) => o.key)).size).toBe(out.length);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same plan, or its people and comms in another order, gives the same calendar', () => {
    fc.assert(
      fc.property(planArb, fc.boolean(), (plan, reverseComms) => {
        const again = { ...plan, people: [...plan.people].reverse(), comms: reverseComms ? [...plan.comms].reverse() : plan.comms };
        expect(buildCalendar(again, { now: NOW })).toEqual(buildCalendar(plan, { now: NOW }));
      }),
      { numRuns: 200 },
    );
  });
});
