import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { formatPlanIssue, PlanInvalidError } from '../../../src/domain/errors.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('a broken plan (test/fixtures/plans/broken.plan.yaml)', () => {
  it('reports every error at once, each at its file:line with the fix', async () => {
    const err = await loadPlanFile('test/fixtures/plans/broken.plan.yaml', { cwd: ROOT }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanInvalidError);
    const lines = (err as PlanInvalidError).issues.map(formatPlanIssue);
    const P = 'test/fixtures/plans/broken.plan.yaml';
    const C = 'test/fixtures/plans/broken-people.csv';
    expect(lines).toEqual([
      `${P}:6: project.businessDays[4]: "fry" is not a weekday: use mon, tue, wed, thu, fri, sat, sun (or monday…sunday)`,
      `${P}:7: project.holidays.country: unknown holiday country "XX": use an ISO 3166 code known to date-holidays (known: AD, AE, AG, AI, AL, AM, AO, AR…)`,
      `${P}:7: project.holidays.extra[0]: "2027-02-30" is not a date: February 2027 has 28 days`,
      `${P}:8: project.quietHours.end: "25:00" is not a time: use 24-hour HH:mm, e.g. "09:00" or "18:30" (quote it in YAML)`,
      `${P}:9: project.catchUp: "later" is not allowed (use one of: skip, send)`,
      `${P}:10: project.sender.email: "IT <not-an-address>" is not an email address: use name@example.com or "Name <name@example.com>"`,
      `${P}:11: project.colour: unknown key "colour" (allowed: key, name, timezone, businessDays, holidays, quietHours, catchUp, sender, recipientCalendar, blackouts, escalation, owner, approval)`,
      `${P}:15: milestones.cutover.at: "2027-03-14T02:30" does not exist in America/Chicago (the clocks skip it); use 2027-03-14T03:30 or another time`,
      `${P}:16: milestones.go-live.lable: unknown key "lable" (did you mean "label"? allowed: at, label)`,
      `${P}:19: workstreams.identity.owner: unknown person "dna" (did you mean "dana"? known: dana, lee, ana, bo, cy)`,
      `${P}:24: audiences.ops: duplicate key "ops" (first at line 22); keys must be unique`,
      `${P}:30: people.inline[1]: needs an email or a slack id (or both) so Herald can reach them`,
      `${P}:30: people.inline[1].timezone: "Mars/Base" is not an IANA time zone: use a name like America/Chicago, Europe/London or UTC`,
      `${P}:30: people.inline[1].audiences: unknown audience "opps" (did you mean "ops"? known: ops, end-users)`,
      `${P}:35: comms[0].audience: unknown audience "end-user" (did you mean "end-users"? known: ops, end-users)`,
      `${P}:36: comms[0].channels[1]: unknown channel "sms" (use: slack, email, preferred)`,
      `${P}:38: comms[0].schedule.at: unknown milestone "cutovr" (did you mean "cutover"? known: kickoff, cutover, go-live)`,
      `${P}:38: comms[0].schedule.offset: "3 business days" needs a sign: "-3 business days" (before) or "+3 business days" (after)`,
      `${P}:39: comms[1].key: duplicate comm key "prep" (first at line 33); comm keys must be unique`,
      `${P}:44: comms[1].schedule.on: "funday" is not a weekday: use mon, tue, wed, thu, fri, sat, sun (or monday…sunday)`,
      `${P}:50: comms[2].schedule: a stepped schedule needs an end: add series: [item, …] to the comm (one message per item) or count: N to the schedule`,
      `${P}:61: comms[3].survey.options[1].value: duplicate option value "green" (first at line 60); values must be unique`,
      `${P}:62: comms[3].survey.remind.after: "-2 days" must not be negative: write "2 days"`,
      `${C}:2: broken-people.csv[ana].email: "ana@example" is not an email address: use name@example.com`,
      `${C}:3: broken-people.csv[bo].audiences: unknown audience "executives" (known: ops, end-users)`,
      `${C}:4: broken-people.csv[dana].id: duplicate person id "dana" (first defined at ${P}:29); ids must be unique across inline people and CSV files`,
      `${C}:5: broken-people.csv[cy]: needs an email or a slack id (or both) so Herald can reach them`,
      `${C}:5: broken-people.csv[cy].timezone: "Not/AZone" is not an IANA time zone: use a name like America/Chicago, Europe/London or UTC`,
    ]);
  });

  it('puts every issue on the line the fixture marks with "error"', async () => {
    const err = (await loadPlanFile('test/fixtures/plans/broken.plan.yaml', { cwd: ROOT }).catch((e: unknown) => e)) as PlanInvalidError;
    const text = (await import('node:fs')).readFileSync(path.join(ROOT, 'test/fixtures/plans/broken.plan.yaml'), 'utf8').split('\n');
    const marked = text.flatMap((l, i) => (/# errors?:?\b/.test(l) && !l.startsWith('#') ? [i + 1] : []));
    const reported = new Set(err.issues.filter((i) => i.file.endsWith('.yaml')).map((i) => i.line));
    expect([...reported].sort((a, b) => a - b)).toEqual(marked);
  });
});
