import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/domain/plan/model.ts';
import { ProjectCalendar } from '../../../src/domain/schedule/business-calendar.ts';
import { buildCalendar } from '../../../src/domain/schedule/calendar.ts';
import { toEpochDay } from '../../../src/domain/schedule/local-date.ts';
import { quietWindowOf } from '../../../src/domain/schedule/quiet-hours.ts';
import { answerKey, reminderDueAt, reminderKey, reminderOccurrences, withReminders } from '../../../src/domain/survey/reminders.ts';
import { examplePlan } from '../../fixtures/example-plan.ts';
import { instantArb, zoneArb } from '../schedule/arbitraries.ts';
import { localText, NOW, offset } from '../schedule/helpers.ts';

const calendar = buildCalendar(examplePlan, { now: NOW });

describe('survey reminders on the example plan', () => {
  const reminders = reminderOccurrences(examplePlan, calendar);
  const byKey = new Map(reminders.map((r) => [r.key, r]));

  it('hypercare-checkin reminds 2 business days later at the same local time (Tue 19 Jan → Thu 21 Jan)', () => {
    const bea = byKey.get('hypercare-checkin#0~r1:bea.meyer:slack')!;
    expect(localText(bea.dueAt, 'America/Chicago')).toBe('Thu 2027-01-21 14:00');
    expect(bea).toMatchObject({ comm: 'hypercare-checkin', occurrence: 0, personId: 'bea.meyer', channel: 'slack', reminder: 1 });
    const jun = byKey.get('hypercare-checkin#0~r1:jun.lopez:email')!;
    expect(localText(jun.dueAt, 'Asia/Kolkata')).toBe('Thu 2027-01-21 14:00');
  });

  it('workstream-status reminds exactly 4 hours after its 11:00 question (15:00 for Raj in Kolkata)', () => {
    const raj = reminders.filter((r) => r.comm === 'workstream-status' && r.personId === 'raj');
    expect(raj.length).toBeGreaterThan(5);
    const originals = new Map(calendar.map((o) => [o.key, o]));
    for (const r of raj) {
      const original = originals.get(r.key.replace('~r1', ''))!;
      expect(r.dueAt.getTime() - original.dueAt.getTime()).toBe(4 * 3_600_000);
      expect(localText(r.dueAt, 'Asia/Kolkata').slice(-5)).toBe('15:00');
    }
  });

  it('comms without survey.remind get none, and every reminder has its own stable key', () => {
    expect(new Set(reminders.map((r) => r.comm))).toEqual(new Set(['hypercare-checkin', 'workstream-status']));
    expect(byKey.size).toBe(reminders.length);
    expect(reminderKey({ comm: 'c', occurrence: 2, personId: 'p', channel: 'email' }, 3)).toBe('c#2~r3:p:email');
  });

  it('an answered occurrence gets no reminder; other occurrences of the same person still do', () => {
    const answered = new Set([answerKey('hypercare-checkin', 0, 'bea.meyer')]);
    const keys = new Set(reminderOccurrences(examplePlan, calendar, { answered }).map((r) => r.key));
    expect(keys.has('hypercare-checkin#0~r1:bea.meyer:slack')).toBe(false);
    expect(keys.has('hypercare-checkin#1~r1:bea.meyer:slack')).toBe(true);
  });

  it('a pause (out of office) holds reminders until it ends, then quiet hours apply', () => {
    const until = new Date('2027-01-23T03:00:00Z'); // Fri 22 Jan 21:00 in Chicago, inside quiet hours
    const r = reminderOccurrences(examplePlan, calendar, { pausedUntil: new Map([['bea.meyer', until]]) }).find(
      (x) => x.key === 'hypercare-checkin#0~r1:bea.meyer:slack',
    )!;
    expect(localText(r.dueAt, 'America/Chicago')).toBe('Sat 2027-01-23 08:00');
  });

  it('counts from the instant a survey actually went out when that differs from the plan', () => {
    const sent = new Map([['hypercare-checkin#0:bea.meyer:slack', new Date('2027-01-20T20:00:00Z')]]); // Wed 14:00 Chicago
    const r = reminderOccurrences(examplePlan, calendar, { sentDueAt: sent }).find((x) => x.key === 'hypercare-checkin#0~r1:bea.meyer:slack')!;
    expect(localText(r.dueAt, 'America/Chicago')).toBe('Fri 2027-01-22 14:00');
  });

  it('times: 2 makes two reminders, each `after` later than the one before', () => {
    const plan: Plan = {
      ...examplePlan,
      comms: examplePlan.comms.map((c) =>
        c.key === 'hypercare-checkin' ? { ...c, survey: { ...c.survey!, remind: { after: offset('+1 week'), times: 2 } } } : c,
      ),
    };
    const rs = reminderOccurrences(plan, buildCalendar(plan, { now: NOW })).filter(
      (r) => r.key.startsWith('hypercare-checkin#0~') && r.personId === 'bea.meyer',
    );
    expect(rs.map((r) => localText(r.dueAt, 'America/Chicago'))).toEqual(['Tue 2027-01-26 14:00', 'Tue 2027-02-02 14:00']);
  });

  it('withReminders merges them in due order and keeps every original', () => {
    const merged = withReminders(examplePlan, calendar);
    expect(merged.length).toBe(calendar.length + reminders.length);
    for (let i = 1; i < merged.length; i++) expect(merged[i - 1]!.dueAt.getTime()).toBeLessThanOrEqual(merged[i]!.dueAt.getTime());
  });
});

describe('reminder timing (property)', () => {
  const project = examplePlan.project;
  const cal = new ProjectCalendar(project);
  const quiet = quietWindowOf(project);
  const unitArb = fc.constantFrom('minutes' as const, 'hours' as const, 'days' as const, 'business days' as const, 'weeks' as const);

  it('never before the survey, never in quiet hours, never before a pause; business days land on business days', () => {
    fc.assert(
      fc.property(
        zoneArb,
        instantArb,
        fc.integer({ min: 1, max: 30 }),
        unitArb,
        fc.integer({ min: 1, max: 3 }),
        fc.option(instantArb),
        (zone, due, amount, unit, n, paused) => {
          const at = reminderDueAt(cal, quiet, zone, due, { sign: 1, amount, unit, raw: `${amount} ${unit}` }, n, paused ?? undefined);
          expect(at).toBeGreaterThan(due);
          if (paused !== null) expect(at).toBeGreaterThanOrEqual(paused);
          const local = DateTime.fromMillis(at, { zone });
          const minute = local.hour * 60 + local.minute;
          expect(minute >= 19 * 60 || minute < 8 * 60).toBe(false);
          if (unit === 'business days' && paused === null) {
            // Quiet hours can push a late-evening survey's reminder to the next morning only.
            const before = DateTime.fromMillis(at - 12 * 3_600_000, { zone }).toISODate()!;
            expect(cal.isBusinessEpochDay(toEpochDay(local.toISODate()!)) || cal.isBusinessEpochDay(toEpochDay(before))).toBe(true);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
