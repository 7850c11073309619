import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CalendarEntry } from '../../../src/app/calendar-view.ts';
import { runCli } from '../../support/cli.ts';
import { EXAMPLE, ok, okJson, PROJECT, useAppliedDatabase } from './cli-fixtures.ts';

const ZONE = 'America/Chicago';
const STATUSES = ['planned', 'queued', 'sending', 'sent', 'failed', 'cancelled', 'skipped'];

let all: CalendarEntry[];
const t = useAppliedDatabase(EXAMPLE);
beforeAll(async () => {
  all = await okJson<CalendarEntry[]>(['calendar', PROJECT, '--format', 'json'], t.env);
});

const projectDay = (e: CalendarEntry) => DateTime.fromISO(e.at, { zone: ZONE }).toISODate()!;

describe('herald calendar --format json', () => {
  it('lists every stored message with UTC and person-local instants', async () => {
    expect(all.length).toBe(await t.db.prisma.message.count({ where: { status: { not: 'cancelled' } } }));
    for (const e of all) {
      expect(e).toMatchObject({ comm: expect.any(String), person: expect.any(String), channel: expect.stringMatching(/^(slack|email)$/) });
      expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      expect(e.localAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}$/);
      expect(Date.parse(e.localAt)).toBe(Date.parse(e.at));
      expect(STATUSES).toContain(e.status);
    }
    // In time order.
    expect(all.map((e) => e.at)).toEqual(all.map((e) => e.at).sort());
  });

  it("numbers each comm's occurrences from 0 (a digest's by its ISO week)", () => {
    const byComm = new Map<string, number[]>();
    for (const e of all) byComm.set(e.comm, [...(byComm.get(e.comm) ?? []), e.occurrence]);
    expect(byComm.size).toBeGreaterThanOrEqual(8);
    for (const [comm, occ] of byComm) {
      if (comm === 'exec-weekly') expect(occ.every((n) => /^20\d\d(0[1-9]|[1-4]\d|5[0-3])$/.test(String(n)))).toBe(true);
      else expect(Math.min(...occ)).toBe(0);
      expect(occ.every((n) => Number.isInteger(n))).toBe(true);
    }
  });

  it('--person keeps one person, in their own offset (Dana in New York: -05:00 all winter)', async () => {
    const dana = await okJson<CalendarEntry[]>(['calendar', PROJECT, '--format', 'json', '--person', 'dana'], t.env);
    expect(dana).toEqual(all.filter((e) => e.person === 'dana'));
    expect(dana.length).toBeGreaterThan(10);
    for (const e of dana) expect(e.localAt).toMatch(/-05:00$/);
    // workstream-status is at 11:00 in each recipient's zone.
    const status = dana.filter((e) => e.comm === 'workstream-status' && e.kind === undefined);
    expect(status.length).toBeGreaterThan(0);
    for (const e of status) expect(e.localAt).toMatch(/T11:00:00-05:00$/);
    // Its reminders (survey.remind after "4 hours") are calendar rows too.
    const reminders = dana.filter((e) => e.comm === 'workstream-status' && e.kind === 'reminder');
    expect(reminders.length).toBe(status.length);
    for (const e of reminders) expect(e.localAt).toMatch(/T15:00:00-05:00$/);
  });

  it('--from and --to are inclusive days in the project zone', async () => {
    // Cutover Friday: ops notices, user prep, weekly status across four zones.
    const day = await okJson<CalendarEntry[]>(['calendar', PROJECT, '--format', 'json', '--from', '2027-01-14', '--to', '2027-01-15'], t.env);
    expect(day.length).toBeGreaterThan(0);
    expect(day).toEqual(all.filter((e) => ['2027-01-14', '2027-01-15'].includes(projectDay(e)!)));
    // Raj's (Kolkata) 09:00 ops notice on the 14th is 21:30 on the 13th in Chicago: outside the range.
    expect(day.some((e) => e.person === 'raj' && e.comm === 'cutover-ops-impact')).toBe(false);

    const from = await okJson<CalendarEntry[]>(['calendar', PROJECT, '--format', 'json', '--from', '2027-02-01'], t.env);
    expect(from).toEqual(all.filter((e) => projectDay(e)! >= '2027-02-01'));
  });

  it('says so when the range holds nothing', async () => {
    const r = await ok(['calendar', PROJECT, '--from', '2030-01-01'], t.env);
    expect(r.stdout).toBe('no messages in this range\n');
  });
});

describe('herald calendar (table)', () => {
  it('with --copies, groups rows under one heading per project-zone day, in order', async () => {
    const r = await ok(['calendar', PROJECT, '--copies'], t.env);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .filter((l) => l !== '');
    const headings = lines.filter((l) => !l.startsWith('  '));
    for (const h of headings) expect(h).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-\d{2}-\d{2} \(America\/Chicago\)$/);
    const days = headings.map((h) => h.split(' ')[1]!);
    expect(days).toEqual([...new Set(all.map(projectDay))]);
    expect(lines.length - headings.length).toBe(all.length);
    // A row shows the person's local time with its zone, the expected send time and zone, the comm's title and number, the person's name, channel and status.
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}Fri 11:00 EST +→ 11:00 +America\/New_York +Workstream status \d+ +Dana \S+ · Slack · planned$/));
  });
});

describe('herald calendar (table, by comm occurrence)', () => {
  it('prints one line per comm occurrence with its people and copies per channel, which add up to the messages', async () => {
    const r = await ok(['calendar', PROJECT, '--from', '2027-01-11', '--to', '2027-01-24'], t.env);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .filter((l) => l !== '');
    const headings = lines.filter((l) => !l.startsWith('  '));
    for (const h of headings) expect(h).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4} \(America\/Chicago, C[SD]T\)$/);
    const rows = lines.filter((l) => /→ \d+ (person|people): /.test(l));
    const inRange = all.filter((e) => projectDay(e) >= '2027-01-11' && projectDay(e) <= '2027-01-24');
    const copies = rows.map((l) => [...l.matchAll(/(Slack|e-mail) (\d+)/g)].reduce((n, m) => n + Number(m[2]), 0));
    expect(copies.reduce((a, b) => a + b, 0)).toBe(inRange.length);
    expect(rows.length).toBe(new Set(inRange.map((e) => `${e.comm}#${e.occurrence}/${e.kind ?? ''}/${e.seriesItem ?? ''}`)).size);
    // Words, not keys: no comm#occurrence, no person ids.
    expect(r.stdout).not.toMatch(/#\d/);
    expect(r.stdout).not.toContain('dana');
    // Each person gets it at 14:00 their time; the first copy leaves earlier in Chicago.
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}14:00 local \(first \d\d:\d\d CST\) +Hypercare checkin 1 of 3 → 40 people: Slack 29, e-mail 11$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}08:00 local +Exec weekly week 3 → 1 person: Slack 1, e-mail 1$/));
  });
});

describe('herald calendar --format ics', () => {
  it('is a VCALENDAR with one VEVENT per comm occurrence', async () => {
    const r = await ok(['calendar', PROJECT, '--format', 'ics'], t.env);
    // Unfold continuation lines (RFC 5545 3.1) before reading properties.
    const lines = r.stdout
      .replace(/\r?\n[ \t]/g, '')
      .split(/\r?\n/)
      .filter((l) => l !== '');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    const events: string[][] = [];
    for (const l of lines) {
      if (l === 'BEGIN:VEVENT') events.push([]);
      else events.at(-1)?.push(l);
    }
    expect(lines.filter((l) => l === 'END:VEVENT').length).toBe(events.length);
    expect(events.length).toBe(new Set(all.map((e) => `${e.comm}#${e.occurrence}`)).size);
    const uids = events.map((ev) => ev.find((l) => l.startsWith('UID:')));
    expect(new Set(uids).size).toBe(events.length);
    for (const ev of events) {
      expect(ev.some((l) => /^DTSTART:\d{8}T\d{6}Z$/.test(l))).toBe(true);
      expect(ev.some((l) => l.startsWith('SUMMARY:'))).toBe(true);
    }
    expect(uids).toContain(`UID:${PROJECT}/cutover-ops-impact#0@herald`);
  });
});

describe('herald calendar errors', () => {
  it('an unknown project exits 1 naming the known ones', async () => {
    const r = await runCli(['calendar', 'northwind', '--format', 'json'], t.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('project "northwind" not found');
    expect(r.stderr).toContain(`known projects: ${PROJECT}`);
  });

  it('a bad --format exits 1 with the choices', async () => {
    const r = await runCli(['calendar', PROJECT, '--format', 'xml'], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--format xml is not known');
    expect(r.stderr).toContain('use --format table, json or ics');
  });

  it('an unknown --person exits 1 with a suggestion rather than printing an empty calendar', async () => {
    const r = await runCli(['calendar', PROJECT, '--person', 'dnaa'], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('person "dnaa" in project northwind-m365 not found');
    expect(r.stderr).toContain('did you mean "dana"?');
  });

  it('--from after --to exits 1', async () => {
    const r = await runCli(['calendar', PROJECT, '--from', '2027-02-01', '--to', '2027-01-31'], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--from 2027-02-01 is after --to 2027-01-31');
  });

  it('a bad --from exits 1 with the format', async () => {
    const r = await runCli(['calendar', PROJECT, '--from', '2027-02-30'], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hint: write --from YYYY-MM-DD');
  });
});
