/**
 * Worked examples of recipient calendars, blackouts and explanations on the example plan, with
 * `recipientCalendar: { holidays: true, workDays: true }` and people given their own countries:
 * raj and kai.vargas (Kolkata) country IN, jonas (Berlin) country DE region BY, yael (Jerusalem)
 * country IL with a Sunday–Thursday week.
 */
import { describe, expect, it } from 'vitest';
import type { BlackoutSpec, Plan, PersonSpec } from '../../../src/domain/plan/model.ts';
import { buildCalendar, triggeredOccurrences } from '../../../src/domain/schedule/calendar.ts';
import type { Occurrence } from '../../../src/domain/schedule/occurrence.ts';
import { examplePlan } from '../../fixtures/example-plan.ts';
import { localText, NOW, offset } from './helpers.ts';

const jonas: PersonSpec = {
  id: 'jonas',
  name: 'Jonas Weber',
  email: 'jonas@northwind.example',
  slack: 'U0JONAS01',
  timezone: 'Europe/Berlin',
  audiences: ['end-users', 'ops', 'service-desk'],
  locale: 'de-DE',
  country: 'DE',
  region: 'BY',
};
const yael: PersonSpec = {
  id: 'yael',
  name: 'Yael Cohen',
  email: 'yael@northwind.example',
  timezone: 'Asia/Jerusalem',
  audiences: ['ops'],
  locale: 'en-US',
  country: 'IL',
  workDays: ['sun', 'mon', 'tue', 'wed', 'thu'],
};

function withCalendars(extra: Partial<Plan['project']> = {}): Plan {
  const people = examplePlan.people.map((p) => (p.id === 'raj' || p.id === 'kai.vargas' ? { ...p, country: 'IN' } : p));
  return {
    ...examplePlan,
    project: { ...examplePlan.project, recipientCalendar: { holidays: true, workDays: true }, ...extra },
    people: [...people, jonas, yael],
  };
}

const zoneOf = (plan: Plan, id: string): string => plan.people.find((p) => p.id === id)!.timezone;
function times(plan: Plan, cal: readonly Occurrence[], comm: string, person: string, channel?: string): string[] {
  return cal
    .filter((o) => o.comm === comm && o.personId === person && (channel === undefined || o.channel === channel))
    .sort((a, b) => a.occurrence - b.occurrence)
    .map((o) => localText(o.dueAt, zoneOf(plan, person)));
}
const reasons = (o: Occurrence | undefined): string[] => (o?.explain ?? []).map((s) => s.reason);
const find = (cal: readonly Occurrence[], key: string): Occurrence | undefined => cal.find((o) => o.key === key);

const plan = withCalendars();
const cal = buildCalendar(plan, { now: NOW });

describe('recipient calendars on the example plan', () => {
  it('raj (IN): Tue 26 Jan 2027 is Republic Day, so his daily service-desk summary skips it; Mon 18 Jan (MLK Day, a US holiday only) is a working day for him', () => {
    const raj = times(plan, cal, 'hypercare-service-desk', 'raj').slice(0, 8);
    expect(raj).toEqual([
      'Mon 2027-01-18 08:30', // the project calendar skips MLK Day; raj's own calendar does not
      'Tue 2027-01-19 08:30',
      'Wed 2027-01-20 08:30',
      'Thu 2027-01-21 08:30',
      'Fri 2027-01-22 08:30',
      'Mon 2027-01-25 08:30',
      'Wed 2027-01-27 08:30', // Tue 26 Jan: Republic Day
      'Thu 2027-01-28 08:30',
    ]);
    // Chicago's service desk keeps the project calendar (no own country): from Tue 19 Jan.
    expect(times(plan, cal, 'hypercare-service-desk', 'bea.meyer')[0]).toBe('Tue 2027-01-19 08:30');
  });

  it('kai.vargas (IN): one adoption tip per working day, none on Republic Day (Tue 26 Jan) and none stacked: the series ends a day later, Wed 3 Feb', () => {
    expect(times(plan, cal, 'adoption-tips', 'kai.vargas')).toEqual([
      'Tue 2027-01-19 10:30',
      'Wed 2027-01-20 10:30',
      'Thu 2027-01-21 10:30',
      'Fri 2027-01-22 10:30',
      'Mon 2027-01-25 10:30',
      'Wed 2027-01-27 10:30',
      'Thu 2027-01-28 10:30',
      'Fri 2027-01-29 10:30',
      'Mon 2027-02-01 10:30',
      'Tue 2027-02-02 10:30',
    ]);
    const republic = find(cal, 'adoption-tips#5:kai.vargas:slack');
    expect(reasons(republic)).toContain("step 5: 1 business day after the previous step, counted on the recipient's working days = Wed 27 Jan");
  });

  it('yael (IL, Sun–Thu): cutover-ops-impact −5 business days lands on Fri 8 Jan, her day off, so it moves to Sun 10 Jan 09:00 Jerusalem', () => {
    expect(times(plan, cal, 'cutover-ops-impact', 'yael', 'email')).toEqual(['Sun 2027-01-10 09:00', 'Thu 2027-01-14 09:00']);
    expect(reasons(find(cal, 'cutover-ops-impact#0:yael:email'))).toContain(
      'Fri 8 Jan is not a working day (works Sun–Thu) → next working day Sun 10 Jan, same local time',
    );
  });

  it("the anchor date never depends on the recipient: every recipient's chain counts −5 business days on the project calendar to Fri 8 Jan", () => {
    const firsts = cal.filter((o) => o.comm === 'cutover-ops-impact' && o.occurrence === 0);
    expect(new Set(firsts.map((o) => JSON.stringify(o.explain.slice(0, 2)))).size).toBe(1);
    expect(firsts[0]!.explain[1]).toEqual({
      rule: 'offset',
      from: '2027-01-15',
      to: '2027-01-08',
      reason: '−5 business days on the project calendar = Fri 8 Jan',
    });
  });

  it('jonas (DE-BY): Wed 6 Jan 2027 is Epiphany in Bavaria, so a notice due that day moves to Thu 7 Jan at the same local time', () => {
    const p = withCalendars();
    p.comms = [
      {
        key: 'probe',
        kind: 'announcement',
        audiences: ['end-users'],
        channels: ['email'],
        template: 'probe',
        data: {},
        optional: false,
        schedule: { type: 'anchored', at: 'pilot', offset: offset('+1 day'), time: '10:00' },
      },
    ];
    const c = buildCalendar(p, { now: NOW });
    expect(times(p, c, 'probe', 'jonas')).toEqual(['Thu 2027-01-07 10:00']);
    expect(times(p, c, 'probe', 'bea.meyer')).toEqual(['Wed 2027-01-06 10:00']);
    expect(reasons(find(c, 'probe#0:jonas:email'))).toContain(
      'Wed 6 Jan is Heilige Drei Könige, a public holiday in DE-BY → next working day Thu 7 Jan, same local time',
    );
  });

  it('a comm can turn the rule off: yael then gets the Friday notice', () => {
    const p = withCalendars();
    p.comms = p.comms.map((c) => (c.key === 'cutover-ops-impact' ? { ...c, recipientCalendar: { holidays: false, workDays: false } } : c));
    expect(times(p, buildCalendar(p, { now: NOW }), 'cutover-ops-impact', 'yael', 'email')[0]).toBe('Fri 2027-01-08 09:00');
  });

  it("without the rule nothing changes: the example plan's calendar is the same with or without people's countries", () => {
    const plain = buildCalendar(examplePlan, { now: NOW });
    const withCountries = buildCalendar(
      { ...plan, project: examplePlan.project, people: plan.people.filter((p) => p.id !== 'jonas' && p.id !== 'yael') },
      { now: NOW },
    );
    expect(withCountries.map((o) => [o.key, o.dueAt.toISOString()])).toEqual(plain.map((o) => [o.key, o.dueAt.toISOString()]));
  });

  it('explains the example from the issue: cutover-ops-impact #0 to raj', () => {
    expect(find(cal, 'cutover-ops-impact#0:raj:email')?.explain).toEqual([
      { rule: 'anchor', from: null, to: '2027-01-15T18:00-06:00', reason: 'anchor cutover = Fri 15 Jan 2027 18:00 America/Chicago' },
      { rule: 'offset', from: '2027-01-15', to: '2027-01-08', reason: '−5 business days on the project calendar = Fri 8 Jan' },
      { rule: 'local-time', from: null, to: '2027-01-08T09:00+05:30', reason: '09:00 in Asia/Kolkata (03:30 UTC)' },
      {
        rule: 'recipient-calendar',
        from: null,
        to: null,
        reason: 'Fri 8 Jan is not a holiday or day off for the recipient (IN public holidays, works Mon–Fri)',
      },
      { rule: 'quiet-hours', from: null, to: null, reason: 'outside quiet hours 19:00–08:00 local' },
    ]);
  });
});

describe('time-critical comms', () => {
  it('cutover-moved (milestone-moved) fired on Republic Day reaches raj that day, after his quiet hours only', () => {
    // Tue 26 Jan 2027 01:00 UTC = 06:30 in Kolkata: quiet until 08:00, but not moved off the holiday.
    const fired = triggeredOccurrences(plan, 'cutover-moved', new Date('2027-01-26T01:00:00Z'), 0);
    const raj = fired.find((o) => o.personId === 'raj')!;
    expect(localText(raj.dueAt, 'Asia/Kolkata')).toBe('Tue 2027-01-26 08:00');
    expect(reasons(raj)).toContain('milestone-moved notice (time-critical): recipient holidays, days off and blackouts do not apply (quiet hours still do)');
  });

  it("urgent: true ignores yael's Friday off and a blackout, but not quiet hours", () => {
    const blackout: BlackoutSpec = { from: { date: '2027-01-07T00:00' }, to: { date: '2027-01-09T00:00' }, label: 'Freeze', allow: [] };
    const p = withCalendars({ blackouts: [blackout] });
    p.comms = p.comms.map((c) => (c.key === 'cutover-ops-impact' ? { ...c, urgent: true } : c));
    const c = buildCalendar(p, { now: NOW });
    expect(times(p, c, 'cutover-ops-impact', 'yael', 'email')[0]).toBe('Fri 2027-01-08 09:00');
    expect(reasons(find(c, 'cutover-ops-impact#0:yael:email'))[3]).toBe(
      'urgent: true: recipient holidays, days off and blackouts do not apply (quiet hours still do)',
    );
  });
});

describe('blackouts', () => {
  // "No adoption tips or surveys during the cutover weekend": from cutover to one business day after go-live.
  const weekend: BlackoutSpec = {
    from: { milestone: 'cutover' },
    to: { milestone: 'go-live', offset: offset('+1 business day') },
    label: 'Cutover weekend',
    allow: ['ops-impact'],
  };
  const bp = withCalendars({ blackouts: [weekend] });
  const bc = buildCalendar(bp, { now: NOW });

  it('the window runs Fri 15 Jan 18:00 – Tue 19 Jan 08:00 Chicago; a Chicago hypercare check-in at 14:00 Tue is outside it', () => {
    expect(times(bp, bc, 'hypercare-checkin', 'bea.meyer')[0]).toBe('Tue 2027-01-19 14:00');
    expect(reasons(find(bc, 'hypercare-checkin#0:bea.meyer:slack'))).toContain('outside every blackout');
  });

  it('jonas (Berlin): 14:00 Tue is 07:00 in Chicago, inside the window, so the check-in moves to its end, 15:00 Berlin', () => {
    expect(times(bp, bc, 'hypercare-checkin', 'jonas')[0]).toBe('Tue 2027-01-19 15:00');
  });

  it("kai.vargas (Kolkata): moved to the window's end (19:30 IST), which is quiet there, so Wed 20 Jan 08:00", () => {
    expect(times(bp, bc, 'hypercare-checkin', 'kai.vargas')[0]).toBe('Wed 2027-01-20 08:00');
    const r = reasons(find(bc, 'hypercare-checkin#0:kai.vargas:slack'));
    expect(r).toContain('inside blackout "Cutover weekend" (Fri 15 Jan 18:00 – Tue 19 Jan 08:00 America/Chicago) → moved to its end');
    expect(r).toContain('19:30 is inside quiet hours 19:00–08:00 local → Wed 20 Jan 08:00');
  });

  it('a tip step inside the window is taken on the next allowed day and the later steps follow (kai: from Wed 20 Jan, Republic Day still skipped)', () => {
    expect(times(bp, bc, 'adoption-tips', 'kai.vargas')).toEqual([
      'Wed 2027-01-20 10:30',
      'Thu 2027-01-21 10:30',
      'Fri 2027-01-22 10:30',
      'Mon 2027-01-25 10:30',
      'Wed 2027-01-27 10:30',
      'Thu 2027-01-28 10:30',
      'Fri 2027-01-29 10:30',
      'Mon 2027-02-01 10:30',
      'Tue 2027-02-02 10:30',
      'Wed 2027-02-03 10:30',
    ]);
  });

  it('allowed comms go out inside the window: the ops-impact service-desk summary for raj on Mon 18 Jan 08:30 IST (Sun 21:00 Chicago)', () => {
    expect(times(bp, bc, 'hypercare-service-desk', 'raj')[0]).toBe('Mon 2027-01-18 08:30');
    expect(reasons(find(bc, 'hypercare-service-desk#0:raj:slack'))).toContain(
      'inside blackout "Cutover weekend" (Fri 15 Jan 18:00 – Tue 19 Jan 08:00 America/Chicago) but allowed there',
    );
  });

  it('the window moves with its milestones: cutover and go-live a week later free Tue 19 Jan again for Berlin', () => {
    const moved: Plan = {
      ...bp,
      milestones: bp.milestones.map((m) =>
        m.key === 'cutover' ? { ...m, at: '2027-01-22T18:00' } : m.key === 'go-live' ? { ...m, at: '2027-01-25T08:00' } : m,
      ),
    };
    const mc = buildCalendar(moved, { now: NOW });
    // go-live Mon 25 Jan + 1 business day = Tue 26 Jan; the window is Fri 22 Jan 18:00 – Tue 26 Jan 08:00 Chicago.
    expect(times(moved, mc, 'hypercare-checkin', 'jonas')[0]).toBe('Tue 2027-01-26 15:00');
    expect(times(moved, mc, 'cutover-user-prep', 'jonas')).toEqual(['Tue 2027-01-19 10:00']);
  });
});
