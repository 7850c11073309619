import fc from 'fast-check';
import type { ChannelChoice, CommSpec, Every, Offset, PersonSpec, Plan, Schedule, Weekday } from '../../../src/domain/plan/model.ts';
import { WEEKDAYS } from '../../../src/domain/plan/model.ts';
import { fromEpochDay, toEpochDay } from '../../../src/domain/schedule/local-date.ts';

/** Zones with 23/25-hour days, half- and quarter-hour offsets, a 30-minute DST and none at all. */
export const ZONES = [
  'America/Chicago',
  'America/New_York',
  'America/Phoenix',
  'Pacific/Honolulu',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/St_Johns',
  'UTC',
] as const;

export const zoneArb = fc.constantFrom(...ZONES);
const FIRST = toEpochDay('2026-01-01');
const LAST = toEpochDay('2028-12-31');
export const dateArb = fc.integer({ min: FIRST, max: LAST }).map(fromEpochDay);
export const minuteOfDayArb = fc.integer({ min: 0, max: 1439 });
export const wallTimeArb = minuteOfDayArb.map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
export const instantArb = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 11, 31) });
export const weekdayArb = fc.constantFrom(...WEEKDAYS);
export const businessDaysArb = fc.subarray([...WEEKDAYS] as Weekday[], { minLength: 1 });

const offsetArb: fc.Arbitrary<Offset> = fc
  .record({
    sign: fc.constantFrom(1 as const, -1 as const),
    amount: fc.integer({ min: 0, max: 40 }),
    unit: fc.constantFrom('minutes' as const, 'hours' as const, 'days' as const, 'business days' as const, 'weeks' as const),
  })
  .map((o) => ({ ...o, raw: `${o.sign < 0 ? '-' : '+'}${o.amount} ${o.unit}` }));

const everyArb: fc.Arbitrary<Every> = fc
  .record({ unit: fc.constantFrom('day' as const, 'business day' as const, 'week' as const, 'month' as const), n: fc.integer({ min: 1, max: 3 }) })
  .map((e) => ({ ...e, raw: `${e.n} ${e.unit}` }));

const MILESTONES = ['m0', 'm1', 'm2'];
const milestoneKeyArb = fc.constantFrom(...MILESTONES);
const timeOptArb = fc.option(wallTimeArb, { nil: undefined });

export const scheduleArb: fc.Arbitrary<Schedule> = fc.oneof(
  fc.record({ type: fc.constant('anchored' as const), at: milestoneKeyArb, offset: offsetArb, time: timeOptArb }),
  fc.record({ type: fc.constant('series' as const), at: milestoneKeyArb, offsets: fc.array(offsetArb, { minLength: 1, maxLength: 4 }), time: timeOptArb }),
  fc.record({
    type: fc.constant('stepped' as const),
    at: milestoneKeyArb,
    offset: offsetArb,
    every: everyArb,
    count: fc.integer({ min: 1, max: 12 }),
    time: timeOptArb,
  }),
  fc
    .record({
      every: everyArb,
      on: fc.option(weekdayArb, { nil: undefined }),
      time: timeOptArb,
      from: dateArb,
      fromTime: timeOptArb,
      span: fc.integer({ min: 0, max: 90 }),
    })
    .map(({ span, from, fromTime, ...r }) => ({
      type: 'recurring' as const,
      ...r,
      from: { date: fromTime ? `${from}T${fromTime}` : from },
      until: { date: fromEpochDay(toEpochDay(from) + span) },
    })),
);

/** ids sometimes hold ':' (and comm keys '#') so the general sort path is exercised too. */
const idArb = fc.stringMatching(/^[a-z][a-z0-9.:-]{0,6}$/);

export const personArb: fc.Arbitrary<Omit<PersonSpec, 'id'>> = fc
  .record({ zone: zoneArb, email: fc.boolean(), slack: fc.boolean(), aud: fc.subarray(['a', 'b', 'c'], { minLength: 1 }) })
  .map(({ zone, email, slack, aud }) => ({
    name: 'x',
    timezone: zone,
    audiences: aud,
    locale: 'en-US',
    ...(email || !slack ? { email: 'x@example.test' } : {}),
    ...(slack ? { slack: 'U1' } : {}),
  }));

export const planArb: fc.Arbitrary<Plan> = fc
  .record({
    zone: zoneArb,
    businessDays: businessDaysArb,
    country: fc.constantFrom(undefined, 'US', 'GB', 'IN'),
    extra: fc.array(dateArb, { maxLength: 5 }),
    quiet: fc.option(fc.tuple(wallTimeArb, wallTimeArb), { nil: undefined }),
    milestones: fc.tuple(dateArb, dateArb, dateArb, fc.array(fc.option(wallTimeArb, { nil: undefined }), { minLength: 3, maxLength: 3 })),
    people: fc.uniqueArray(fc.tuple(idArb, personArb), { minLength: 1, maxLength: 8, selector: ([id]) => id }),
    comms: fc.uniqueArray(
      fc.record({
        key: fc.stringMatching(/^[a-z][a-z#-]{0,5}$/),
        schedule: scheduleArb,
        aud: fc.subarray(['a', 'b', 'c'], { minLength: 1 }),
        channels: fc.subarray<ChannelChoice>(['slack', 'email', 'preferred'], { minLength: 1 }),
        series: fc.option(fc.array(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 3, selector: (c) => c.key },
    ),
  })
  .map((r) => {
    const [d0, d1, d2, times] = r.milestones;
    const milestones = [d0, d1, d2].map((d, i) => ({ key: MILESTONES[i] as string, at: times[i] ? `${d}T${times[i]}` : d }));
    const comms: CommSpec[] = r.comms.map((c) => {
      const schedule = c.schedule;
      const comm: CommSpec = { key: c.key, kind: 'k', audiences: c.aud, channels: c.channels, template: 't', data: {}, optional: false, schedule };
      if (schedule.type === 'stepped' && c.series) comm.series = c.series;
      return comm;
    });
    const plan: Plan = {
      project: {
        key: 'p',
        name: 'p',
        timezone: r.zone,
        businessDays: r.businessDays,
        holidays: { ...(r.country ? { country: r.country } : {}), extra: r.extra },
        ...(r.quiet ? { quietHours: { start: r.quiet[0], end: r.quiet[1] } } : {}),
        catchUp: 'skip',
        sender: {},
      },
      milestones,
      workstreams: [],
      audiences: ['a', 'b', 'c'].map((key) => ({ key })),
      people: r.people.map(([id, p]) => ({ id, ...p })),
      comms,
    };
    return plan;
  });
