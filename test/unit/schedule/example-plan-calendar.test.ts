import { describe, expect, it } from 'vitest';
import { buildCalendar, commMilestones, triggeredOccurrences } from '../../../src/domain/schedule/calendar.ts';
import { milestoneInstant } from '../../../src/domain/schedule/milestones.ts';
import { examplePlan as plan } from '../../fixtures/example-plan.ts';
import { forPerson, localText, NOW } from './helpers.ts';

const calendar = buildCalendar(plan, { now: NOW });
const of = (comm: string) => calendar.filter((o) => o.comm === comm);
/** Local due times of one comm for one person, in that person's zone, in occurrence order. */
function localTimes(comm: string, personId: string, channel?: string): string[] {
  const zone = plan.people.find((p) => p.id === personId)?.timezone ?? '';
  return forPerson(of(comm), personId, channel)
    .sort((a, b) => a.occurrence - b.occurrence)
    .map((o) => localText(o.dueAt, zone));
}

describe('milestones of the example plan', () => {
  it('cutover 2027-01-15T18:00 is 18:00 Chicago time (CST, UTC-6) = 2027-01-16T00:00Z', () => {
    expect(milestoneInstant(plan, 'cutover').toUTC().toISO()).toBe('2027-01-16T00:00:00.000Z');
    expect(milestoneInstant(plan, 'cutover').zoneName).toBe('America/Chicago');
  });

  it('a date-only milestone is 00:00 in the project zone', () => {
    const p = { ...plan, milestones: [{ key: 'd', at: '2027-03-14' }] };
    expect(milestoneInstant(p, 'd').toISO()).toBe('2027-03-14T00:00:00.000-06:00');
  });
});

describe('anchored and series offsets of the example plan', () => {
  it("cutover-ops-impact -5 business days from Fri 2027-01-15 lands Fri 2027-01-08 09:00 in each person's zone (Jan 14, 13, 12, 11, 8)", () => {
    expect(localTimes('cutover-ops-impact', 'raj', 'email')[0]).toBe('Fri 2027-01-08 09:00'); // Asia/Kolkata
    expect(localTimes('cutover-ops-impact', 'dana', 'slack')[0]).toBe('Fri 2027-01-08 09:00'); // America/New_York
    expect(localTimes('cutover-ops-impact', 'sam', 'email')[0]).toBe('Fri 2027-01-08 09:00'); // Europe/London
    expect(localTimes('cutover-ops-impact', 'bea.meyer', 'email')[0]).toBe('Fri 2027-01-08 09:00'); // America/Chicago
    // Same wall time, so different instants: Kolkata's 09:00 comes first.
    const raj = forPerson(of('cutover-ops-impact'), 'raj', 'email')[0];
    expect(raj?.dueAt.toISOString()).toBe('2027-01-08T03:30:00.000Z');
  });

  it('cutover-ops-impact -1 business day lands Thu 2027-01-14 09:00, on slack and email for a person with both', () => {
    expect(localTimes('cutover-ops-impact', 'dana', 'slack')).toEqual(['Fri 2027-01-08 09:00', 'Thu 2027-01-14 09:00']);
    expect(localTimes('cutover-ops-impact', 'dana', 'email')).toEqual(['Fri 2027-01-08 09:00', 'Thu 2027-01-14 09:00']);
  });

  it('cutover-ops-impact reaches raj (email only) on slack too: his Slack id is looked up by email at send time', () => {
    expect(
      forPerson(of('cutover-ops-impact'), 'raj')
        .map((o) => o.channel)
        .sort(),
    ).toEqual(['email', 'email', 'slack', 'slack']);
  });

  it('cutover-user-prep -3 business days from Fri 2027-01-15 lands Tue 2027-01-12 10:00 local, via preferred channel', () => {
    expect(localTimes('cutover-user-prep', 'noor.quist')).toEqual(['Tue 2027-01-12 10:00']); // Pacific/Honolulu
    expect(forPerson(of('cutover-user-prep'), 'noor.quist')[0]?.channel).toBe('slack');
    expect(forPerson(of('cutover-user-prep'), 'jun.lopez')[0]?.channel).toBe('email');
    expect(forPerson(of('cutover-user-prep'), 'sven.meyer')[0]?.channel).toBe('slack');
  });

  it('mfa-enrollment -10/-3/-1 business days from Fri 2026-12-18 land Fri 2026-12-04, Tue 2026-12-15, Thu 2026-12-17 at 10:00', () => {
    expect(localTimes('mfa-enrollment', 'lia.olsen')).toEqual(['Fri 2026-12-04 10:00', 'Tue 2026-12-15 10:00', 'Thu 2026-12-17 10:00']);
    expect(localTimes('mfa-enrollment', 'gia.garcia')).toEqual(['Fri 2026-12-04 10:00', 'Tue 2026-12-15 10:00', 'Thu 2026-12-17 10:00']);
  });

  it('go-live Mon 2027-01-18 is itself MLK Day (a US public holiday in date-holidays); +1 business day counts from it and lands Tue 2027-01-19', () => {
    expect(localTimes('hypercare-checkin', 'max.tanaka')[0]).toBe('Tue 2027-01-19 14:00');
  });

  it('hypercare-checkin +1 business day / +7 days / +21 days from Mon 2027-01-18 land Tue 01-19, Mon 01-25, Mon 02-08 at 14:00 (calendar days ignore the holiday)', () => {
    expect(localTimes('hypercare-checkin', 'kai.vargas')).toEqual(['Tue 2027-01-19 14:00', 'Mon 2027-01-25 14:00', 'Mon 2027-02-08 14:00']);
    expect(localTimes('hypercare-checkin', 'omar.price')).toEqual(['Tue 2027-01-19 14:00', 'Mon 2027-01-25 14:00', 'Mon 2027-02-08 14:00']);
  });
});

describe('stepped series: adoption tips', () => {
  it('one tip per business day from Tue 2027-01-19 (go-live is MLK Day) to Mon 2027-02-01, skipping the weekend, each with its own item', () => {
    const tips = forPerson(of('adoption-tips'), 'bea.meyer').sort((a, b) => a.occurrence - b.occurrence);
    expect(tips.map((o) => [o.occurrence, localText(o.dueAt, 'America/Chicago'), o.seriesItem])).toEqual([
      [0, 'Tue 2027-01-19 10:30', 'teams-chat'],
      [1, 'Wed 2027-01-20 10:30', 'outlook-focused-inbox'],
      [2, 'Thu 2027-01-21 10:30', 'onedrive-known-folders'],
      [3, 'Fri 2027-01-22 10:30', 'mfa-number-matching'],
      [4, 'Mon 2027-01-25 10:30', 'sharepoint-sharing'],
      [5, 'Tue 2027-01-26 10:30', 'teams-meetings'],
      [6, 'Wed 2027-01-27 10:30', 'outlook-mobile'],
      [7, 'Thu 2027-01-28 10:30', 'onedrive-restore'],
      [8, 'Fri 2027-01-29 10:30', 'phish-report-button'],
      [9, 'Mon 2027-02-01 10:30', 'where-to-get-help'],
    ]);
  });

  it('tips go to slack only: everyone with a Slack id or an email gets them (email-only jun.lopez by lookup)', () => {
    expect(new Set(of('adoption-tips').map((o) => o.channel))).toEqual(new Set(['slack']));
    expect(forPerson(of('adoption-tips'), 'jun.lopez')).toHaveLength(10);
    expect(forPerson(of('adoption-tips'), 'sven.meyer')).toHaveLength(10);
  });
});

describe('recurring comms of the example plan', () => {
  it('exec-weekly Mondays 08:00 from kickoff Tue 2026-12-01 to hypercare-end Fri 2027-02-12; MLK Mon 2027-01-18 moves to Tue 2027-01-19', () => {
    expect(localTimes('exec-weekly', 'maria', 'email')).toEqual([
      'Mon 2026-12-07 08:00',
      'Mon 2026-12-14 08:00',
      'Mon 2026-12-21 08:00',
      'Mon 2026-12-28 08:00',
      'Mon 2027-01-04 08:00',
      'Mon 2027-01-11 08:00',
      'Tue 2027-01-19 08:00',
      'Mon 2027-01-25 08:00',
      'Mon 2027-02-01 08:00',
      'Mon 2027-02-08 08:00',
    ]);
  });

  it('exec-weekly at 08:00 is exactly the end of quiet hours (19:00→08:00), so it is not moved', () => {
    expect(forPerson(of('exec-weekly'), 'maria', 'email')[0]?.dueAt.toISOString()).toBe('2026-12-07T14:00:00.000Z');
  });

  it('workstream-status Fridays 11:00: Christmas Fri 2026-12-25 and New Year Fri 2027-01-01 move to Mon 2026-12-28 and Mon 2027-01-04', () => {
    expect(localTimes('workstream-status', 'lee')).toEqual([
      'Fri 2026-12-04 11:00',
      'Fri 2026-12-11 11:00',
      'Fri 2026-12-18 11:00',
      'Mon 2026-12-28 11:00',
      'Mon 2027-01-04 11:00',
      'Fri 2027-01-08 11:00',
      'Fri 2027-01-15 11:00',
      'Fri 2027-01-22 11:00',
      'Fri 2027-01-29 11:00',
      'Fri 2027-02-05 11:00',
      'Fri 2027-02-12 11:00',
    ]);
  });

  it('hypercare-service-desk every business day 08:30 from go-live (MLK, skipped) to hypercare-end inclusive: Tue 2027-01-19 .. Fri 2027-02-12, 19 days', () => {
    const times = localTimes('hypercare-service-desk', 'raj');
    expect(times).toHaveLength(19);
    expect(times[0]).toBe('Tue 2027-01-19 08:30');
    expect(times.at(-1)).toBe('Fri 2027-02-12 08:30');
    expect(times.some((t) => t.startsWith('Sat') || t.startsWith('Sun'))).toBe(false);
  });
});

describe('calendar shape', () => {
  it('triggered comms (cutover-moved, exec-go-live) produce nothing in the calendar', () => {
    expect(of('cutover-moved')).toEqual([]);
    expect(of('exec-go-live')).toEqual([]);
  });

  it('occurrences carry the milestones their schedule references', () => {
    expect(of('exec-weekly')[0]?.milestones).toEqual(['kickoff', 'hypercare-end']);
    expect(of('cutover-ops-impact')[0]?.milestones).toEqual(['cutover']);
    expect(of('adoption-tips')[0]?.milestones).toEqual(['go-live']);
  });

  it("commMilestones names the schedule's anchors, or the trigger's milestone", () => {
    const comm = (key: string) => plan.comms.find((c) => c.key === key)!;
    expect(commMilestones(comm('hypercare-service-desk'))).toEqual(['go-live', 'hypercare-end']);
    expect(commMilestones(comm('cutover-moved'))).toEqual(['cutover']);
    expect(commMilestones(comm('mfa-enrollment'))).toEqual(['mfa-deadline']);
  });

  it('keys follow occurrenceKey and only the listed comms are built when asked', () => {
    const only = buildCalendar(plan, { now: NOW, comms: ['cutover-user-prep'] });
    expect(new Set(only.map((o) => o.comm))).toEqual(new Set(['cutover-user-prep']));
    expect(only.find((o) => o.personId === 'gia.garcia')?.key).toBe('cutover-user-prep#0:gia.garcia:email');
  });

  it('an unknown comm is a NotFoundError', () => {
    expect(() => buildCalendar(plan, { now: NOW, comms: ['nope'] })).toThrow(/comm "nope" not found/);
  });
});

describe('triggered firings', () => {
  it('cutover-moved fired at 2027-01-10T02:00Z (Sat 20:00 Chicago) reaches each recipient at once unless it is night there', () => {
    const fired = triggeredOccurrences(plan, 'cutover-moved', new Date('2027-01-10T02:00:00Z'), 0);
    const at = (id: string) => {
      const o = fired.find((x) => x.personId === id);
      return o && localText(o.dueAt, plan.people.find((p) => p.id === id)!.timezone);
    };
    expect(at('bea.meyer')).toBe('Sun 2027-01-10 08:00'); // Chicago 20:00 is quiet → next 08:00
    expect(at('gia.garcia')).toBe('Sun 2027-01-10 08:00'); // London 02:00 is quiet → 08:00
    expect(at('jun.lopez')).toBe('Sun 2027-01-10 08:00'); // Kolkata 07:30 is quiet → 08:00
    expect(at('noor.quist')).toBe('Sat 2027-01-09 16:00'); // Honolulu 16:00 is fine
    expect(fired.every((o) => o.occurrence === 0 && o.milestones.join() === 'cutover')).toBe(true);
    expect(fired.map((o) => o.personId)).toContain('raj'); // ops/service-desk too
  });

  it('a manual comm has no milestones', () => {
    const p = { ...plan, comms: plan.comms.map((c) => (c.key === 'exec-go-live' ? { ...c, trigger: { type: 'manual' as const } } : c)) };
    const fired = triggeredOccurrences(p, 'exec-go-live', new Date('2027-01-18T16:00:00Z'), 2);
    expect(fired.map((o) => o.key)).toEqual(['exec-go-live#2:maria:email']);
    expect(fired[0]?.milestones).toEqual([]);
  });
});
