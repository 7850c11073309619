import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { BlackoutSpec, Plan, RecipientCalendarSpec, Weekday } from '../../../src/domain/plan/model.ts';
import { WEEKDAYS } from '../../../src/domain/plan/model.ts';
import { allows, resolveBlackouts } from '../../../src/domain/schedule/blackouts.ts';
import { ProjectCalendar } from '../../../src/domain/schedule/business-calendar.ts';
import { buildCalendar } from '../../../src/domain/schedule/calendar.ts';
import { toEpochDay } from '../../../src/domain/schedule/local-date.ts';
import type { Occurrence } from '../../../src/domain/schedule/occurrence.ts';
import { planArb } from './arbitraries.ts';
import { NOW } from './helpers.ts';

const offsetArb = fc
  .record({
    sign: fc.constantFrom(1 as const, -1 as const),
    amount: fc.integer({ min: 0, max: 4 }),
    unit: fc.constantFrom('hours' as const, 'days' as const, 'business days' as const),
  })
  .map((o) => ({ ...o, raw: `${o.sign < 0 ? '-' : '+'}${o.amount} ${o.unit}` }));
const boundArb = fc
  .record({ milestone: fc.constantFrom('m0', 'm1', 'm2'), offset: fc.option(offsetArb, { nil: undefined }) })
  .map(({ milestone, offset }) => (offset ? { milestone, offset } : { milestone }));
const blackoutArb: fc.Arbitrary<BlackoutSpec> = fc.record({ from: boundArb, to: boundArb, allow: fc.subarray(['k', 'x']) }).map((b) => ({ ...b, label: 'w' }));
const ownArb = fc.record({
  country: fc.constantFrom(undefined, 'US', 'IN', 'DE', 'IL'),
  workDays: fc.option(fc.subarray([...WEEKDAYS] as Weekday[], { minLength: 1 }), { nil: undefined }),
});
const ruleArb: fc.Arbitrary<RecipientCalendarSpec> = fc.record({ holidays: fc.boolean(), workDays: fc.boolean() });

/** Generated plans with people's own calendars, the rule on (or per comm), blackouts and urgent comms. */
const calendarPlanArb: fc.Arbitrary<Plan> = fc
  .record({
    plan: planArb,
    own: fc.array(ownArb, { minLength: 8, maxLength: 8 }),
    rule: ruleArb,
    commRule: fc.option(ruleArb, { nil: undefined }),
    blackouts: fc.array(blackoutArb, { maxLength: 2 }),
    urgent: fc.boolean(),
  })
  .map(({ plan, own, rule, commRule, blackouts, urgent }) => ({
    ...plan,
    project: { ...plan.project, recipientCalendar: rule, blackouts },
    people: plan.people.map((p, i) => {
      const o = own[i % own.length]!;
      return { ...p, ...(o.country ? { country: o.country } : {}), ...(o.workDays ? { workDays: o.workDays } : {}) };
    }),
    comms: plan.comms.map((c, i) => ({
      ...c,
      ...(i === 0 && commRule ? { recipientCalendar: commRule } : {}),
      ...(i === 1 && urgent ? { urgent: true } : {}),
    })),
  }));

const localDay = (o: Occurrence, zone: string): number => toEpochDay(DateTime.fromJSDate(o.dueAt, { zone }).toISODate()!);

describe('recipient calendars (property)', () => {
  it("with the rule on, no message of a comm that is not urgent lands on its recipient's holiday or non-working day", () => {
    fc.assert(
      fc.property(calendarPlanArb, (plan) => {
        const cals = new Map<string, ProjectCalendar>();
        for (const o of buildCalendar(plan, { now: NOW })) {
          const comm = plan.comms.find((c) => c.key === o.comm)!;
          const rule = comm.recipientCalendar ?? plan.project.recipientCalendar!;
          if (comm.urgent) continue;
          const p = plan.people.find((x) => x.id === o.personId)!;
          let cal = cals.get(p.id);
          if (!cal) {
            const h = plan.project.holidays;
            const country = p.country ?? h.country;
            cal = new ProjectCalendar({
              timezone: p.timezone,
              businessDays: p.workDays ?? plan.project.businessDays,
              holidays: { extra: h.extra, ...(country ? { country } : {}) },
            });
            cals.set(p.id, cal);
          }
          const day = localDay(o, p.timezone);
          if (rule.workDays) expect(cal.isWorkdayEpochDay(day), `${o.key} on a day off`).toBe(true);
          if (rule.holidays) expect(cal.isHolidayEpochDay(day), `${o.key} on a holiday`).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  }, 240_000);

  it('the anchor and offset of an anchored or series occurrence are the same for every recipient', () => {
    fc.assert(
      fc.property(calendarPlanArb, (plan) => {
        const heads = new Map<string, string>();
        for (const o of buildCalendar(plan, { now: NOW })) {
          const type = plan.comms.find((c) => c.key === o.comm)!.schedule!.type;
          if (type !== 'anchored' && type !== 'series') continue;
          const head = JSON.stringify(o.explain.slice(0, 2));
          const k = `${o.comm}#${o.occurrence}`;
          expect(heads.get(k) ?? head).toBe(head);
          heads.set(k, head);
          expect(o.explain.map((s) => s.rule).slice(0, 2)).toEqual(['anchor', 'offset']);
        }
      }),
      { numRuns: 100 },
    );
  }, 240_000);

  it("a stepped series never puts two steps on one of its recipient's local days", () => {
    fc.assert(
      fc.property(calendarPlanArb, (plan) => {
        const seen = new Map<string, number>();
        const cal = buildCalendar(plan, { now: NOW })
          .slice()
          .sort((a, b) => a.occurrence - b.occurrence);
        for (const o of cal) {
          const comm = plan.comms.find((c) => c.key === o.comm)!;
          if (comm.schedule?.type !== 'stepped' || comm.urgent || comm.schedule.every.unit === 'month') continue;
          const zone = plan.people.find((x) => x.id === o.personId)!.timezone;
          const k = `${o.comm}:${o.personId}:${o.channel}`;
          const day = localDay(o, zone);
          const prev = seen.get(k);
          if (prev !== undefined) expect(day, `${o.key} stacked`).toBeGreaterThan(prev);
          seen.set(k, day);
        }
      }),
      { numRuns: 100 },
    );
  }, 240_000);

  it('no message is inside a blackout that does not allow it, and a re-plan after its milestone moves takes messages back out', () => {
    fc.assert(
      fc.property(calendarPlanArb, fc.integer({ min: -10, max: 10 }), (plan, shift) => {
        const moved: Plan = {
          ...plan,
          milestones: plan.milestones.map((m) =>
            m.key === 'm0'
              ? {
                  ...m,
                  at: DateTime.fromISO(m.at)
                    .plus({ days: shift })
                    .toFormat(m.at.includes('T') ? "yyyy-MM-dd'T'HH:mm" : 'yyyy-MM-dd'),
                }
              : m,
          ),
        };
        for (const p of [plan, moved]) {
          const windows = resolveBlackouts(p, new ProjectCalendar(p.project));
          for (const o of buildCalendar(p, { now: NOW })) {
            const comm = p.comms.find((c) => c.key === o.comm)!;
            if (comm.urgent) continue;
            const t = o.dueAt.getTime();
            for (const w of windows) if (!allows(w, comm)) expect(t >= w.from && t < w.to, `${o.key} inside ${w.text}`).toBe(false);
          }
        }
      }),
      { numRuns: 100 },
    );
  }, 240_000);
});
