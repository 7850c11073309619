import { describe, expect, it } from 'vitest';
import { ProjectCalendar } from '../../../src/domain/schedule/business-calendar.ts';
import { examplePlan } from '../../fixtures/example-plan.ts';

const cal = new ProjectCalendar(examplePlan.project);

describe('ProjectCalendar on the example plan (US holidays + Dec 24 and Dec 31)', () => {
  it('uses the project zone', () => {
    expect(cal.zone).toBe('America/Chicago');
  });

  it('date-holidays says Mon 2027-01-18 is Martin Luther King Jr. Day: not a business day', () => {
    expect(cal.isHoliday('2027-01-18')).toBe(true);
    expect(cal.isBusinessDay('2027-01-18')).toBe(false);
    expect(cal.addBusinessDays('2027-01-15', 1)).toBe('2027-01-19'); // Fri → (weekend, MLK) → Tue
    expect(cal.addBusinessDays('2027-01-18', 1)).toBe('2027-01-19');
  });

  it('the extra holidays Thu 2026-12-24 and Thu 2026-12-31 plus Christmas (Fri 12-25) and New Year (Fri 01-01) close both weeks after Wednesday', () => {
    for (const d of ['2026-12-24', '2026-12-25', '2026-12-31', '2027-01-01']) expect(cal.isBusinessDay(d), d).toBe(false);
    expect(cal.addBusinessDays('2026-12-23', 1)).toBe('2026-12-28');
    expect(cal.addBusinessDays('2026-12-30', 1)).toBe('2027-01-04');
    expect(cal.addBusinessDays('2027-01-04', -1)).toBe('2026-12-30');
    expect(cal.addBusinessDays('2026-12-28', -2)).toBe('2026-12-22');
  });

  it('only type "public" counts: Washington\'s Birthday Mon 2027-02-15 is a holiday, the Tax Day observance Thu 2027-04-15 is not', () => {
    expect(cal.isBusinessDay('2027-02-15')).toBe(false);
    expect(cal.isBusinessDay('2027-04-15')).toBe(true);
  });

  it('substitute days are holidays: Christmas 2027 on a Saturday is observed Fri 2027-12-24', () => {
    expect(cal.isBusinessDay('2027-12-24')).toBe(false);
  });

  it('weekends are not business days; a zero step stays put even on a weekend', () => {
    expect(cal.isBusinessDay('2027-01-16')).toBe(false);
    expect(cal.addBusinessDays('2027-01-16', 0)).toBe('2027-01-16');
    expect(cal.addBusinessDays('2027-01-16', -1)).toBe('2027-01-15');
    expect(cal.nextBusinessDayOnOrAfter('2027-01-16')).toBe('2027-01-19');
    expect(cal.nextBusinessDayOnOrAfter('2027-01-19')).toBe('2027-01-19');
  });

  it('addDays counts calendar days across months and years', () => {
    expect(cal.addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(cal.addDays('2027-03-01', -1)).toBe('2027-02-28');
  });
});

describe('ProjectCalendar options', () => {
  it('a Sunday–Thursday week with no country has only the extra dates as holidays', () => {
    const c = new ProjectCalendar({ timezone: 'Asia/Dubai', businessDays: ['sun', 'mon', 'tue', 'wed', 'thu'], holidays: { extra: ['2027-01-03'] } });
    expect(c.isBusinessDay('2027-01-01')).toBe(false); // Friday
    expect(c.isBusinessDay('2027-01-03')).toBe(false); // extra
    expect(c.addBusinessDays('2027-01-02', 1)).toBe('2027-01-04');
  });

  it('a region adds its public holidays: US-CA has César Chávez Day Wed 2027-03-31 and the day after Thanksgiving Fri 2027-11-26', () => {
    const c = new ProjectCalendar({
      timezone: 'America/Los_Angeles',
      businessDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
      holidays: { country: 'US', region: 'CA', extra: [] },
    });
    expect(c.isBusinessDay('2027-01-18')).toBe(false);
    expect(c.isBusinessDay('2027-03-31')).toBe(false);
    expect(c.isBusinessDay('2027-11-26')).toBe(false);
    expect(cal.isBusinessDay('2027-11-26')).toBe(true);
  });

  it('unknown countries and regions and empty weeks are refused', () => {
    expect(() => new ProjectCalendar({ timezone: 'UTC', businessDays: ['mon'], holidays: { country: 'ZZ', extra: [] } })).toThrow(/country "ZZ"/);
    expect(() => new ProjectCalendar({ timezone: 'UTC', businessDays: ['mon'], holidays: { country: 'US', region: 'XX', extra: [] } })).toThrow(/region "XX"/);
    expect(() => new ProjectCalendar({ timezone: 'UTC', businessDays: [], holidays: { extra: [] } })).toThrow(/no business days/);
  });
});
