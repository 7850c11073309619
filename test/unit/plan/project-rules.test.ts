import { describe, expect, it } from 'vitest';
import { errorsOf, planYaml, run, validPlan } from './plan-helpers.ts';

const project = (body: string): string => planYaml({ project: `project:\n  key: p\n  name: P\n  timezone: America/Chicago\n${body}` });

describe('project rules', () => {
  it('applies defaults: mon–fri, no holidays, catchUp skip, no quiet hours', () => {
    expect(validPlan(planYaml()).project).toEqual({
      key: 'p',
      name: 'P',
      timezone: 'America/Chicago',
      businessDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
      holidays: { extra: [] },
      catchUp: 'skip',
      sender: {},
    });
  });

  it('requires the section and its key, name and timezone', () => {
    expect(errorsOf('comms: []\n')).toEqual([': missing required section "project" (key, name, timezone)']);
    expect(errorsOf(planYaml({ project: 'project: { name: P }' }))).toEqual([
      'project: missing required key "key" (for example key: northwind-m365)',
      'project: missing required key "timezone" (for example timezone: America/Chicago)',
    ]);
  });

  it('checks IANA zones', () => {
    expect(errorsOf(planYaml({ project: 'project: { key: p, name: P, timezone: CST }' }))).toEqual([
      'project.timezone: "CST" is not an IANA time zone: use a name like America/Chicago, Europe/London or UTC',
    ]);
    expect(validPlan(planYaml({ project: 'project: { key: p, name: P, timezone: Asia/Kolkata }' })).project.timezone).toBe('Asia/Kolkata');
  });

  it('reports unknown keys with a suggestion', () => {
    expect(errorsOf(project('  timezon: UTC\n'))).toEqual([
      'project.timezon: unknown key "timezon" (did you mean "timezone"? allowed: key, name, timezone, businessDays, holidays, quietHours, catchUp, sender, recipientCalendar, blackouts, escalation, owner, approval)',
    ]);
  });

  it('reads business days mon..sun (full names accepted) and rejects duplicates', () => {
    expect(validPlan(project('  businessDays: [sun, Monday, tue]\n')).project.businessDays).toEqual(['mon', 'tue', 'sun']);
    expect(errorsOf(project('  businessDays: [mon, mon]\n'))).toEqual(['project.businessDays[1]: "mon" is listed twice; list each day once']);
    expect(errorsOf(project('  businessDays: []\n'))).toEqual(['project.businessDays: expected a non-empty list of weekdays, e.g. [mon, tue, wed, thu, fri]']);
  });

  it('reads holidays as a list of dates or as a country/region with extras', () => {
    expect(validPlan(project('  holidays: [2027-01-01, 2027-12-25]\n')).project.holidays).toEqual({ extra: ['2027-01-01', '2027-12-25'] });
    expect(validPlan(project('  holidays: { country: us, state: CA, extra: [2026-12-24] }\n')).project.holidays).toEqual({
      country: 'US',
      region: 'CA',
      extra: ['2026-12-24'],
    });
    expect(validPlan(project('  holidays: { country: DE, region: BY }\n')).project.holidays).toEqual({ country: 'DE', region: 'BY', extra: [] });
    expect(errorsOf(project('  holidays: { country: US, region: ZZ }\n'))[0]).toMatch(/^project\.holidays\.region: unknown region "ZZ" for US \(known: /);
    expect(errorsOf(project('  holidays: { region: CA }\n'))).toEqual(['project.holidays.region: a region needs a country: add country: US (for example)']);
    expect(errorsOf(project('  holidays: [2027-13-01, tomorrow]\n'))).toEqual([
      'project.holidays[0]: "2027-13-01" is not a date: there is no month 13: months go from 01 to 12',
      'project.holidays[1]: "tomorrow" is not a date: use YYYY-MM-DD, e.g. 2027-01-15',
    ]);
    expect(errorsOf(project('  holidays: { country: Narnia }\n'))[0]).toMatch(/^project\.holidays\.country: unknown holiday country "Narnia"/);
  });

  it('reads quiet hours as HH:mm and rejects an empty window', () => {
    expect(validPlan(project('  quietHours: { start: "19:00", end: "8:00" }\n')).project.quietHours).toEqual({ start: '19:00', end: '08:00' });
    expect(errorsOf(project('  quietHours: { start: "7pm", end: "08:00" }\n'))).toEqual([
      'project.quietHours.start: "7pm" is not a time: use 24-hour HH:mm, e.g. "09:00" or "18:30" (quote it in YAML)',
    ]);
    expect(errorsOf(project('  quietHours: { start: "08:00", end: "08:00" }\n'))[0]).toMatch(/^project\.quietHours: quiet hours start and end are equal/);
    expect(errorsOf(project('  quietHours: { start: "19:00" }\n'))).toEqual(['project.quietHours: missing required key "end" (for example end: "08:00")']);
  });

  it('reads catchUp skip|send', () => {
    expect(validPlan(project('  catchUp: send\n')).project.catchUp).toBe('send');
    expect(errorsOf(project('  catchUp: sned\n'))).toEqual(['project.catchUp: "sned" is not allowed (did you mean "send"? use one of: skip, send)']);
  });

  it('accepts sender addresses with a display name', () => {
    expect(validPlan(project('  sender: { email: "IT PMO <pmo@example.com>", replyTo: pmo@example.com }\n')).project.sender).toEqual({
      email: 'IT PMO <pmo@example.com>',
      replyTo: 'pmo@example.com',
    });
    expect(validPlan(project('  sender: { email: \'"PMO, IT" <pmo@example.com>\' }\n')).project.sender.email).toBe('"PMO, IT" <pmo@example.com>');
    expect(errorsOf(project('  sender: { replyTo: "pmo at example.com" }\n'))).toEqual([
      'project.sender.replyTo: "pmo at example.com" is not an email address: use name@example.com or "Name <name@example.com>"',
    ]);
  });

  it('accepts a replyTo local part of up to 20 characters and refuses a longer one (its reply token would pass 64 octets)', () => {
    expect(validPlan(project('  sender: { replyTo: "PMO <project-office-2027@example.com>" }\n')).project.sender.replyTo).toBe(
      'PMO <project-office-2027@example.com>',
    );
    expect(errorsOf(project('  sender: { replyTo: project-management-office@example.com }\n'))).toEqual([
      'project.sender.replyTo: the replyTo local part "project-management-office" is too long: with its reply token (43 characters) the address passes the 64-octet limit; use a local part of at most 20 characters (an alias of the mailbox)',
    ]);
  });

  it('rejects a project key that cannot be used on the command line', () => {
    expect(errorsOf(planYaml({ project: 'project: { key: "my project", name: P, timezone: UTC }' }))).toEqual([
      'project.key: "my project" is not a valid key: use letters, digits, ".", "_" or "-", starting with a letter or digit',
    ]);
  });

  it('reports YAML syntax errors with their line and stops there', () => {
    const o = run('project:\n  key: p\n  name: [unclosed\n');
    expect(o.errors.length).toBeGreaterThan(0);
    expect(o.errors[0]?.message).toMatch(/^YAML: /);
    expect(o.errors[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('treats empty people and comms sections as empty, warning that nothing will be sent', () => {
    const o = run('project: { key: p, name: P, timezone: UTC }\npeople:\ncomms:\n');
    expect(o.plan?.people).toEqual([]);
    expect(o.warnings.map((w) => `${w.line}: ${w.message}`)).toEqual(['3: the plan has no comms: nothing will be sent']);
  });

  it('reports unknown top-level sections', () => {
    expect(errorsOf(`${planYaml()}mielstones: {}\n`)).toEqual([
      'mielstones: unknown key "mielstones" (did you mean "milestones"? allowed: project, milestones, workstreams, audiences, people, comms)',
    ]);
  });
});
