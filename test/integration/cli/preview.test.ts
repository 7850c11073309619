import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { EXAMPLE_CLOCK_ENV } from '../../fixtures/example-now.ts';
import { EXAMPLE, ok, okJson } from './cli-fixtures.ts';

// simulate and preview read the plan file only; no database.
const env = { ...EXAMPLE_CLOCK_ENV };
const PREVIEW = ['preview', EXAMPLE, '--comm', 'hypercare-checkin', '--person', 'bea.meyer'];

interface SimulatedRow {
  at: string;
  localAt: string;
  person: string;
  comm: string;
  occurrence: number;
  channel: string;
  reminder?: number;
  firstLine: string;
}

describe('herald simulate', () => {
  it("dates each weekly digest's subject by its own week, not by today", async () => {
    const text = await ok(['simulate', EXAMPLE, '--comm', 'exec-weekly', '--person', 'maria'], env);
    const subjects = text.stdout
      .trimEnd()
      .split('\n')
      .slice(0, -1)
      .filter((l) => l.includes(' · e-mail · '));
    expect(subjects.length).toBeGreaterThan(4);
    for (const l of subjects) {
      // "Mon 2026-12-07 08:00 CST  Maria Lopez · e-mail · Exec weekly week 50  … weekly status, 7 Dec"
      const [, month, day] = /^\w{3} \d{4}-(\d\d)-(\d\d) /.exec(l)!;
      const monthName = new Date(Date.UTC(2026, Number(month) - 1, 1)).toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
      expect(l).toMatch(new RegExp(`, ${Number(day)} ${monthName}$`));
    }
  });

  it('marks messages already due as apply will treat them (catchUp: skip), and counts them', async () => {
    const later = { HERALD_TEST_NOW: '2027-01-10T12:00:00Z' };
    const rows = await okJson<Array<SimulatedRow & { past?: string }>>(['simulate', EXAMPLE, '--person', 'dana', '--format', 'json'], later);
    const past = rows.filter((r) => Date.parse(r.at) < Date.parse(later.HERALD_TEST_NOW));
    expect(past.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.past === 'skipped')).toEqual(past);
    const text = await ok(['simulate', EXAMPLE, '--person', 'dana'], later);
    expect(text.stdout.split('\n').filter((l) => l.includes('(already due: skipped)'))).toHaveLength(past.length);
    expect(text.stdout).toContain(`; ${past.length} already due: apply stores them as skipped and sends none (catchUp: skip)`);
  });

  it('--person lists what Dana receives, in time order, with each rendered first line', async () => {
    const rows = await okJson<SimulatedRow[]>(['simulate', EXAMPLE, '--person', 'dana', '--format', 'json'], env);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => r.person === 'dana')).toBe(true);
    expect(rows.map((r) => r.at)).toEqual(rows.map((r) => r.at).sort());
    for (const r of rows) {
      expect(r.firstLine.trim()).not.toBe('');
      expect(r.firstLine).not.toContain('\n');
      expect(r.localAt).toMatch(/-05:00$/);
    }
    expect(rows.find((r) => r.comm === 'workstream-status')?.firstLine).toBe('Weekly status check: Northwind Microsoft 365 migration');
    expect(rows.find((r) => r.comm === 'cutover-ops-impact')?.firstLine).toContain('Mailbox cutover weekend');

    const text = await ok(['simulate', EXAMPLE, '--person', 'dana'], env);
    const lines = text.stdout.trimEnd().split('\n');
    const reminders = rows.filter((r) => r.reminder);
    expect(lines.at(-1)).toBe(
      `${rows.length} messages (${reminders.length} of them survey reminders, cancelled when the person answers); sent on events, not listed: Cutover moved, Exec go live`,
    );
    expect(lines.slice(0, -1)).toEqual(
      // Names and titles, not ids and keys: "Dana Ruiz · e-mail · Weekly status check 3 …".
      rows.map((r) =>
        expect.stringMatching(
          new RegExp(
            `^\\w{3} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d EST {2}Dana Ruiz · ${r.channel === 'email' ? 'e-mail' : 'Slack'} · [A-Z][^#]*${r.reminder ? ` \\(reminder ${r.reminder}\\)` : ''} {2}`,
          ),
        ),
      ),
    );
    lines.slice(0, -1).forEach((l, i) => expect(l.endsWith(`  ${rows[i]!.firstLine}`)).toBe(true));
  });

  it('shows survey reminders as their own rows, after the survey they remind of', async () => {
    const rows = await okJson<SimulatedRow[]>(['simulate', EXAMPLE, '--person', 'dana', '--comm', 'workstream-status', '--format', 'json'], env);
    const reminders = rows.filter((r) => r.reminder === 1);
    expect(reminders.length).toBeGreaterThan(0);
    for (const r of reminders) {
      const survey = rows.find((x) => !x.reminder && x.occurrence === r.occurrence && x.channel === r.channel)!;
      expect(r.at > survey.at).toBe(true);
      expect(r.firstLine).toBe(`Reminder: ${survey.firstLine}`);
    }
  });

  it('a bad --format exits 1', async () => {
    const r = await runCli(['simulate', EXAMPLE, '--format', 'yaml'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('use --format text or json');
  });

  it('an unknown person exits 1', async () => {
    const r = await runCli(['simulate', EXAMPLE, '--person', 'nobody'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('person "nobody" is not in the plan');
  });
});

describe('herald preview', () => {
  it('--channel slack prints the text and Block Kit with one survey button per option', async () => {
    const r = await ok([...PREVIEW, '--channel', 'slack'], env);
    expect(r.stdout).toMatch(/^To: Bea Meyer \(bea\.meyer\) via slack, \w+ \d+ \w+ \d{4} at 14:00 \S+\nSubject: \S/);
    const [text, blockJson] = r.stdout.split('\n--- Block Kit ---\n');
    expect(text).toContain('Hi Bea');
    const blocks = JSON.parse(blockJson!) as Array<{ type: string; elements?: Array<{ type: string; text?: { text: string }; value?: string }> }>;
    const buttons = blocks.flatMap((b) => b.elements ?? []).filter((e) => e.type === 'button');
    expect(buttons.map((b) => b.text?.text)).toEqual(['Working well', 'Some issues', "I can't work"]);
    expect(new Set(buttons.map((b) => b.value)).size).toBe(3);
  });

  it('lists the survey reminders, and --reminder N renders one, marked, at its own time', async () => {
    const r = await ok([...PREVIEW, '--channel', 'slack'], env);
    expect(r.stdout).toMatch(/\nReminder 1: \w+ \d+ \w+ \d{4} at 14:00 \S+, unless answered before \(--reminder 1 to see it\)\n/);
    const first = r.stdout.match(/^Subject: (.*)$/m)![1]!;
    const reminded = await ok([...PREVIEW, '--channel', 'slack', '--reminder', '1'], env);
    expect(reminded.stdout).toMatch(/^To: Bea Meyer \(bea\.meyer\) via slack, [^\n]* \(reminder 1\)\n/);
    expect(reminded.stdout).toContain(`Subject: Reminder: ${first}`);
    expect(reminded.stdout).toContain('--- Block Kit ---');
    const none = await runCli([...PREVIEW, '--channel', 'slack', '--reminder', '2'], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('has no reminder 2 for bea.meyer');
  });

  it('--channel email prints the subject and HTML with one /r/ link per option', async () => {
    const r = await ok([...PREVIEW, '--channel', 'email'], { PUBLIC_URL: 'https://herald.example.org' });
    expect(r.stdout).toMatch(/\nSubject: \S[^\n]*\n/);
    const html = r.stdout.split('\n--- HTML ---\n')[1]!;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    const links = [...html.matchAll(/href="([^"]*\/r\/[^"]*)"/g)].map((m) => m[1]!);
    expect(links).toHaveLength(3);
    expect(new Set(links).size).toBe(3);
    // PUBLIC_URL of this run, even though an earlier run in this process used the default.
    for (const l of links) expect(l.startsWith('https://herald.example.org/r/')).toBe(true);
  });

  it('--out writes the HTML to a file and keeps the text on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-t-preview-'));
    try {
      const file = join(dir, 'mail.html');
      const r = await ok([...PREVIEW, '--channel', 'email', '--out', file], env);
      expect(r.stdout).toContain(`(HTML written to ${file})`);
      expect(r.stdout).not.toContain('<!DOCTYPE html>');
      expect(readFileSync(file, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*\/r\//);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--json prints the rendered message as JSON', async () => {
    const slack = await okJson<{ channel: string; subject: string; text: string; blocks: unknown[] }>([...PREVIEW, '--channel', 'slack', '--json'], env);
    expect(slack).toMatchObject({ channel: 'slack', subject: expect.any(String), text: expect.stringContaining('Hi Bea') });
    expect(slack.blocks.length).toBeGreaterThan(0);
    const email = await okJson<{ channel: string; html: string }>([...PREVIEW, '--channel', 'email', '--json'], env);
    expect(email.channel).toBe('email');
    expect(email.html).toMatch(/^<!DOCTYPE html>/);
  });

  it('--occurrence picks a later occurrence of a scheduled comm', async () => {
    const r = await ok([...PREVIEW, '--channel', 'slack', '--occurrence', '2'], env);
    // Go-live Mon 18 Jan + 21 days = Mon 8 Feb, 14:00 in Chicago.
    expect(r.stdout).toMatch(/^To: Bea Meyer \(bea\.meyer\) via slack, Monday 8 February 2027 at 14:00 /);
  });

  it('a triggered comm renders for any firing', async () => {
    const r = await ok(['preview', EXAMPLE, '--comm', 'exec-go-live', '--person', 'maria', '--channel', 'email', '--occurrence', '1'], env);
    expect(r.stdout).toMatch(/^To: Maria Lopez \(maria\) via email, when triggered\n/);
  });

  it('--audience renders for a member of that audience', async () => {
    const r = await ok(['preview', EXAMPLE, '--comm', 'exec-weekly', '--audience', 'executives', '--channel', 'email'], env);
    expect(r.stdout).toMatch(/^To: Maria Lopez \(maria\) via email/);
  });

  it.each([
    [['--channel', 'sms'], 'use --channel slack or --channel email'],
    [['--channel', 'slack', '--comm', 'nope'], 'comm "nope" is not in the plan'],
    [['--channel', 'slack', '--audience', 'ops'], 'give exactly one of --person ID or --audience KEY'],
    [['--channel', 'slack', '--occurrence', 'two'], '--occurrence two is not a whole number from 0'],
    // hypercare-checkin is sent three times (+1 business day, +7 and +21 days after go-live).
    [['--channel', 'slack', '--occurrence', '3'], 'hypercare-checkin has no occurrence 3 for bea.meyer\n  hint: use --occurrence 0 to 2'],
  ])('bad options %j exit 1', async (extra, message) => {
    const r = await runCli([...PREVIEW, ...extra], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
  });

  it('an audience that does not receive the comm exits 1 naming who does', async () => {
    const r = await runCli(['preview', EXAMPLE, '--comm', 'hypercare-checkin', '--audience', 'executives', '--channel', 'email'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no one in audience "executives" receives hypercare-checkin');
    expect(r.stderr).toContain('hypercare-checkin goes to: end-users');
  });
});
