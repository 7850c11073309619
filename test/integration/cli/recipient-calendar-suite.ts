/**
 * Recipient calendars, blackouts and explanations through `herald apply`, `calendar --format json`,
 * `calendar --explain` and `milestone move`, run once per database backend (one file each).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarEntry } from '../../../src/app/calendar-view.ts';
import { runCli } from '../../support/cli.ts';
import type { Backend } from './apply-suite.ts';
import { EXAMPLE, ok, okJson, PROJECT } from './cli-fixtures.ts';

/**
 * The example plan with the rule on, raj (inline) in India, jonas (inline) in Bavaria, kai.vargas
 * (CSV columns country,region,workDays) in India, and a cutover blackout of 86 hours that only
 * ops-impact comms may break.
 */
function calendarPlan(): { file: string; dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'herald-t-rc-'));
  const plan = readFileSync(EXAMPLE, 'utf8')
    .replace(
      '  catchUp: skip\n',
      '  catchUp: skip\n  recipientCalendar: { holidays: true, workDays: true }\n' +
        '  blackouts:\n    - { from: { at: cutover }, to: { at: cutover, offset: "+86 hours" }, label: Cutover weekend, allow: [ops-impact] }\n',
    )
    .replace('timezone: Asia/Kolkata, audiences: [ops, service-desk] }', 'timezone: Asia/Kolkata, country: IN, audiences: [ops, service-desk] }')
    .replace(
      '    - { id: lee,',
      '    - { id: jonas, name: Jonas Weber, email: jonas.weber@northwind.example, timezone: Europe/Berlin, country: DE, region: BY, audiences: [end-users] }\n    - { id: lee,',
    );
  const csv = readFileSync('examples/people.csv', 'utf8')
    .split('\n')
    .map((line, i) =>
      line === '' ? line : i === 0 ? `${line},country,region,workDays` : line.startsWith('kai.vargas,') ? `${line},IN,,mon;tue;wed;thu;fri` : `${line},,,`,
    )
    .join('\n');
  writeFileSync(join(dir, 'plan.yaml'), plan);
  writeFileSync(join(dir, 'people.csv'), csv);
  return { file: join(dir, 'plan.yaml'), dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const local = (e: CalendarEntry | undefined): string | undefined => e?.localAt.slice(0, 16);

export function recipientCalendarSuite(name: string, open: () => Promise<Backend>): void {
  describe(`recipient calendars and blackouts on ${name}`, () => {
    let backend: Backend;
    let plan: ReturnType<typeof calendarPlan>;
    const calendar = (...args: string[]) => okJson<CalendarEntry[]>(['calendar', PROJECT, '--format', 'json', ...args], backend.env);
    beforeAll(async () => {
      backend = await open();
      plan = calendarPlan();
      await ok(['apply', plan.file], backend.env);
    });
    afterAll(async () => {
      plan?.remove();
      await backend?.dispose();
    });

    it('kai.vargas (IN, from the CSV): the first tip (Tue 19 Jan 10:30 IST = Mon 23:00 Chicago) is inside the blackout, so the series starts Wed 20 Jan; none on Republic Day, Tue 26 Jan', async () => {
      const tips = (await calendar('--person', 'kai.vargas')).filter((e) => e.comm === 'adoption-tips');
      expect(tips.map(local)).toEqual([
        '2027-01-20T10:30',
        '2027-01-21T10:30',
        '2027-01-22T10:30',
        '2027-01-25T10:30',
        '2027-01-27T10:30',
        '2027-01-28T10:30',
        '2027-01-29T10:30',
        '2027-02-01T10:30',
        '2027-02-02T10:30',
        '2027-02-03T10:30',
      ]);
      expect(tips[0]!.explain!.find((s) => s.rule === 'blackout')).toMatchObject({ from: '2027-01-19', to: '2027-01-20' });
      const step = tips[4]!.explain!.find((s) => s.rule === 'step');
      expect(step).toEqual({
        rule: 'step',
        from: '2027-01-25',
        to: '2027-01-27',
        reason: "step 4: 1 business day after the previous step, counted on the recipient's working days = Wed 27 Jan",
      });
    });

    it("calendar JSON carries each message's explanation; --explain prints it for raj's cutover-ops-impact #0", async () => {
      const [raj] = await calendar('--person', 'raj', '--comm', 'cutover-ops-impact');
      expect(raj?.explain?.map((s) => s.rule)).toEqual(['anchor', 'offset', 'local-time', 'recipient-calendar', 'blackout', 'quiet-hours']);
      const r = await ok(['calendar', PROJECT, '--explain', '--person', 'raj', '--comm', 'cutover-ops-impact'], backend.env);
      expect(r.stdout.split('\n')[0]).toBe(
        'Cutover ops impact 1 of 2 → Raj Patel (e-mail): anchor cutover = Fri 15 Jan 2027 18:00 America/Chicago → −5 business days on the project calendar = Fri 8 Jan → ' +
          '09:00 in Asia/Kolkata (03:30 UTC) → Fri 8 Jan is not a holiday or day off for the recipient (IN public holidays, works Mon–Fri) → ' +
          'outside every blackout → outside quiet hours 19:00–08:00 local → due Fri 8 Jan 2027 09:00 GMT+5:30 (Asia/Kolkata)',
      );
    });

    it("a message inside the blackout moves to its end: jonas's check-in Tue 19 Jan 14:00 Berlin (07:00 Chicago) goes at 15:00 Berlin", async () => {
      const checkin = (await calendar('--person', 'jonas', '--comm', 'hypercare-checkin'))[0];
      expect(local(checkin)).toBe('2027-01-19T15:00');
      expect(checkin?.explain?.find((s) => s.rule === 'blackout')).toMatchObject({ from: '2027-01-19T14:00+01:00', to: '2027-01-19T15:00+01:00' });
    });

    it('re-applying the same plan changes nothing, explanations included', async () => {
      const r = await ok(['apply', plan.file], backend.env);
      expect(r.stdout).toMatch(/\nadded 0, moved 0, cancelled 0, unchanged \d+\n/);
    });

    it("moving cutover a week earlier moves the window with it: jonas's check-in comes back out, maria's Mon 11 Jan digest moves in to its end", async () => {
      const maria = (await calendar('--person', 'maria', '--comm', 'exec-weekly')).find((e) => e.localAt.startsWith('2027-01-11'));
      expect(local(maria)).toBe('2027-01-11T08:00');
      await ok(['milestone', 'move', PROJECT, 'cutover', '2027-01-08'], backend.env);
      const checkin = (await calendar('--person', 'jonas', '--comm', 'hypercare-checkin'))[0];
      expect(local(checkin)).toBe('2027-01-19T14:00');
      expect(checkin?.explain).toContainEqual({ rule: 'blackout', from: null, to: null, reason: 'outside every blackout' });
      const digests = (await calendar('--person', 'maria', '--comm', 'exec-weekly')).map(local);
      expect(digests).toContain('2027-01-12T08:00'); // window Fri 8 Jan 18:00 – Tue 12 Jan 08:00 Chicago
      expect(digests).not.toContain('2027-01-11T08:00');
    });

    it('validate rejects an unknown country and region with a suggestion, at its file:line', async () => {
      const text = readFileSync(plan.file, 'utf8').replace('country: IN, audiences', 'country: INN, audiences').replace('region: BY', 'region: BYY');
      const bad = join(plan.dir, 'bad.yaml');
      writeFileSync(bad, text);
      const r = await runCli(['validate', bad], backend.env);
      expect(r.code).toBe(1);
      const line = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
      expect(r.stderr).toContain(
        `bad.yaml:${line('country: INN')}: people.inline[2].country: unknown holiday country "INN": use an ISO 3166 code known to date-holidays (did you mean "IN"?`,
      );
      expect(r.stderr).toContain(`bad.yaml:${line('region: BYY')}: people.inline[3].region: unknown region "BYY" for DE (did you mean "BY"?`);
    });
  });
}
