/**
 * `herald init`: each starter, generated for three go-live dates and zones (one just after the US
 * clock change, one just after the EU one on Easter Monday, one in Israel with its Sunday–Thursday
 * week), validates, applies, keeps every message off the recipient's days off and out of quiet
 * hours, and reads well: every message has its subject, its call to action and a help line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPlanFile, type LoadedPlan } from '../../../src/app/load-plan.ts';
import { pastDatesNote } from '../../../src/app/past-dates-note.ts';
import { renderOccurrence } from '../../../src/app/render-message.ts';
import { init } from '../../../src/cli/actions/init.ts';
import type { CliBasics, CliContext } from '../../../src/cli/context.ts';
import { streamAsk } from '../../../src/cli/prompt.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { cliServices } from '../../../src/main/cli.ts';
import { ProjectCalendar } from '../../../src/domain/schedule/business-calendar.ts';
import { buildCalendar } from '../../../src/domain/schedule/calendar.ts';
import { withReminders } from '../../../src/domain/survey/reminders.ts';
import { STARTERS } from '../../../src/domain/starters/starter-catalogue.ts';
import { buildEngine } from '../../../src/templates/builtin.ts';
import { runCli } from '../../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';

/** Fixed, so nothing here depends on today's date: before every generated plan's kickoff. */
const NOW = new Date('2026-12-07T15:00:00Z');
const PUBLIC_URL = 'http://localhost:3000';

const SCENARIOS = [
  // US clocks go forward Sun 14 Mar 2027: the plan runs in EST before go-live and EDT after.
  { label: 'New York, after the US clock change', goLive: '2027-03-15', timezone: 'America/New_York', country: 'US' },
  // EU clocks go forward Sun 28 Mar 2027; Mon 29 Mar is Easter Monday, a public holiday in Germany.
  { label: 'Berlin, after the EU clock change, on Easter Monday', goLive: '2027-03-29', timezone: 'Europe/Berlin', country: 'DE' },
  // Israel works Sunday to Thursday; its clocks go forward Fri 26 Mar 2027. The zone comes from --country.
  { label: 'Israel, Sunday–Thursday week', goLive: '2027-04-11', timezone: undefined, country: 'IL' },
] as const;

function context(cwd: string, out: string[], err: string[] = [], now = NOW): CliContext {
  const config = loadConfig({});
  const basics: CliBasics = {
    config: () => config,
    output: { out: (t) => void out.push(t), err: (t) => void err.push(t), isTTY: false },
    clock: { now: () => now },
    cwd,
  };
  return { ...basics, ...cliServices(basics) };
}

let work: string;
let db: TestDatabase;
beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'herald-t-init-'));
  db = await createTestDatabase();
});
afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await db?.drop();
});

describe.each(STARTERS.map((s) => s.name))('herald init --starter %s', (starter) => {
  describe.each(SCENARIOS)('$label', (sc) => {
    let dir: string;
    let loaded: LoadedPlan;
    beforeAll(async () => {
      dir = path.join(work, `${starter}-${sc.country}`);
      const args = ['init', dir, '--starter', starter, '--go-live', sc.goLive, '--country', sc.country, '--name', `${starter} ${sc.country}`];
      if (sc.timezone) args.push('--timezone', sc.timezone);
      const r = await runCli(args, {});
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(
        `go-live ${new Date(`${sc.goLive}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })}`,
      );
      loaded = await loadPlanFile(path.join(dir, 'plan.yaml'));
    });

    it('validates with `herald validate` and with ajv against the plan.schema.json it wrote', async () => {
      const r = await runCli(['validate', path.join(dir, 'plan.yaml')], {});
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      const schema = JSON.parse(readFileSync(path.join(dir, 'plan.schema.json'), 'utf8')) as object;
      const check = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
      const ok = check(parse(readFileSync(path.join(dir, 'plan.yaml'), 'utf8')));
      expect(check.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      expect(loaded.plan.milestones.find((m) => m.key === 'go-live')?.at).toBe(`${sc.goLive}T08:00`);
      expect(loaded.plan.project.timezone).toBe(sc.timezone ?? 'Asia/Jerusalem');
      expect(loaded.plan.project.businessDays).toEqual(sc.country === 'IL' ? ['mon', 'tue', 'wed', 'thu', 'sun'] : ['mon', 'tue', 'wed', 'thu', 'fri']);
    });

    it('applies', async () => {
      const r = await runCli(['apply', path.join(dir, 'plan.yaml')], { DATABASE_URL: db.url });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^applied ${loaded.plan.project.key} \\(version 1\\)\\nadded [1-9]\\d*, moved 0, cancelled 0, unchanged 0`));
    });

    it("puts no message on a recipient's day off or holiday, or in quiet hours", () => {
      const plan = loaded.plan;
      const calendar = new ProjectCalendar(plan.project);
      const occurrences = withReminders(plan, buildCalendar(plan, { now: NOW }));
      expect(occurrences.length).toBeGreaterThan(40);
      const zones = new Map(plan.people.map((p) => [p.id, p.timezone]));
      const bad: string[] = [];
      for (const x of occurrences) {
        const local = DateTime.fromJSDate(x.dueAt, { zone: zones.get(x.personId)! });
        const day = local.toISODate()!;
        const hhmm = local.toFormat('HH:mm');
        const where = `${x.comm}#${x.occurrence}${x.reminder ? ` reminder ${x.reminder}` : ''} → ${x.personId} at ${local.toISO()}`;
        if (x.dueAt < NOW) bad.push(`${where}: in the past`);
        if (!calendar.isBusinessDay(day)) bad.push(`${where}: not a working day (${local.toFormat('cccc')}${calendar.isHoliday(day) ? ', holiday' : ''})`);
        if (hhmm < '08:00' || hhmm >= '19:00') bad.push(`${where}: in quiet hours 19:00–08:00`);
      }
      expect(bad).toEqual([]);
    });

    it('reads well: every message has its subject, its call to action and a help line', async () => {
      const r = await runCli(['simulate', path.join(dir, 'plan.yaml'), '--format', 'json'], {});
      expect(r.code, r.stderr).toBe(0);
      const rows = JSON.parse(r.stdout) as Array<{ firstLine: string; comm: string }>;
      expect(rows.length).toBeGreaterThan(40);
      for (const row of rows) expect(row.firstLine, row.comm).toMatch(/\S{3}/);

      const plan = loaded.plan;
      const engine = buildEngine({ PUBLIC_URL });
      const problems: string[] = [];
      for (const x of buildCalendar(plan, { now: NOW })) {
        const comm = plan.comms.find((c) => c.key === x.comm)!;
        const m = renderOccurrence(engine, plan, x, NOW, PUBLIC_URL);
        const where = `${x.comm}#${x.occurrence} ${x.channel} → ${x.personId}`;
        const body = m.text;
        if (!/\S{3}/.test(m.subject) || /undefined|\[object/.test(m.subject + body)) problems.push(`${where}: subject "${m.subject}"`);
        const [action, help] =
          comm.template === 'starter-message'
            ? [/What to do:\*? \S/, /Help:\*? \S/]
            : comm.template === 'adoption-tip'
              ? [/Try it now/, /Learn more:/]
              : comm.template === 'exec-digest'
                ? [/Reply to this email/, /project office/]
                : [/^$/, /^$/];
        if (!action.test(body)) problems.push(`${where}: no call to action`);
        if (!help.test(body)) problems.push(`${where}: no help line`);
        if (comm.survey && !body.includes(comm.survey.options[0]!.label) && m.channel === 'email') problems.push(`${where}: no answer links`);
      }
      expect(problems).toEqual([]);
    });
  });
});

describe('herald apply of each starter', () => {
  it.each(STARTERS.map((s) => s.name))('%s applies, and applies again unchanged', async (starter) => {
    const dir = path.join(work, `apply-${starter}`);
    const r = await runCli(['init', dir, '--starter', starter, '--go-live', '2027-03-15', '--timezone', 'America/Chicago', '--country', 'US'], {});
    expect(r.code, r.stderr).toBe(0);
    const env = { DATABASE_URL: db.url };
    const first = await runCli(['apply', path.join(dir, 'plan.yaml')], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied /);
    const again = await runCli(['apply', path.join(dir, 'plan.yaml')], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^added 0, moved 0, cancelled 0, unchanged [1-9]\d*$/m);
  });

  it("runs the README quick start as written, on today's date, and shows messages to come", async () => {
    // The commands of the quick start's `herald init` block, with its folder moved under a temp dir.
    const readme = readFileSync(path.join(import.meta.dirname, '../../../README.md'), 'utf8');
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Starters'));
    const block = /```sh\n(npx herald init [^`]*)```/.exec(quick)?.[1];
    expect(block).toBeDefined();
    const commands = block!
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter(Boolean)
      .flatMap((l) => l.split(' && '))
      .map((c) =>
        c
          .replace(/^npx herald /, '')
          .split(/\s+/)
          .map((a) => (a.startsWith('my-plan') ? path.join(work, 'quick', a) : a)),
      );
    expect(commands.map((c) => c[0])).toEqual(['init', 'simulate', 'apply', 'calendar']);
    const env = { DATABASE_URL: db.url };
    let last = '';
    for (const args of commands) {
      const r = await runCli(args, env);
      expect(r.code, `herald ${args.join(' ')}:\n${r.stderr}`).toBe(0);
      expect(r.stderr, `herald ${args.join(' ')}`).toBe('');
      last = r.stdout;
    }
    // The calendar of the quick start's plan, on whatever day this runs: messages to come, none skipped.
    expect(last).toMatch(/Ravi Shah · (e-mail|Slack) · planned/);
    expect(last).not.toMatch(/skipped/);
  });

  it('says in one line when a plan is mostly in the past, and what catchUp will do', async () => {
    // Go-live in January 2026: every message is past on any date this test runs.
    const dir = path.join(work, 'apply-past');
    expect(
      (
        await runCli(
          ['init', dir, '--starter', 'teams-rollout', '--go-live', '2026-01-12', '--timezone', 'Europe/London', '--country', 'GB', '--name', 'Past plan'],
          {},
        )
      ).code,
    ).toBe(0);
    const r = await runCli(['apply', path.join(dir, 'plan.yaml')], { DATABASE_URL: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^note: all \d+ messages are already due \(the last on \w{3} \d+ \w{3} 2026\); catchUp: skip stores them as skipped and sends none of them\. To plan ahead instead, move the milestones \(herald milestone move\) or start from herald init\.\n$/,
    );
    expect(r.stdout).toMatch(/^added (\d+), moved 0, cancelled 0, unchanged 0 \(\1 already past: skipped\)$/m);
  });
});

describe('the past-dates note', () => {
  const at = (iso: string) => ({ dueAt: new Date(iso) });
  const calendar = [at('2027-01-04T15:00:00Z'), at('2027-01-11T15:00:00Z'), at('2027-02-01T15:00:00Z')];
  it('stays silent while at least half the messages are to come', () => {
    expect(pastDatesNote(calendar, new Date('2027-01-05T00:00:00Z'), 'skip', 'UTC')).toBeUndefined();
    expect(pastDatesNote([], NOW, 'skip', 'UTC')).toBeUndefined();
  });
  it('counts the past ones and says what catchUp: send will do', () => {
    expect(pastDatesNote(calendar, new Date('2027-01-12T00:00:00Z'), 'send', 'America/Chicago')).toBe(
      'note: 2 of 3 messages are already due (the last on Mon 1 Feb 2027); catchUp: send sends every one of them as soon as a worker runs. To plan ahead instead, move the milestones (herald milestone move) or start from herald init.',
    );
  });
});

describe('herald init defaults, prompts and mistakes', () => {
  it('puts go-live on the first business day after six weeks from today in the zone, skipping holidays', async () => {
    // The first business day after 7 Dec 2026 + 42 days (Mon 18 Jan 2027, Martin Luther King Jr. Day): Tue 19 Jan.
    const out: string[] = [];
    const dir = path.join(work, 'default-us');
    await init(context(work, out), dir, { starter: 'm365-mail-migration', timezone: 'America/Chicago', country: 'US' });
    const plan = (await loadPlanFile(path.join(dir, 'plan.yaml'))).plan;
    expect(plan.milestones.find((m) => m.key === 'go-live')?.at).toBe('2027-01-19T08:00');
    // The cutover is the business day before go-live (Fri 15 Jan: Monday is the holiday).
    expect(plan.milestones.find((m) => m.key === 'cutover')?.at).toBe('2027-01-15T18:00');
    expect(plan.milestones.find((m) => m.key === 'kickoff')?.at).toBe('2026-12-08T10:00');
    expect(out.join('\n')).toContain('go-live Tue, 19 Jan 2027, mailbox cutover Fri, 15 Jan 2027, zone America/Chicago');
  });

  it('counts the six weeks on a Sunday–Thursday week in Israel', async () => {
    // Thu 11 Feb 2027 + 42 days = Thu 25 Mar 2027; the next day, Friday, and Saturday are days off there: Sun 28 Mar.
    // The registration deadline is 5 business days before, counted on the Sunday–Thursday week.
    const dir = path.join(work, 'default-il');
    await init(context(work, [], [], new Date('2027-02-11T06:00:00Z')), dir, { starter: 'mfa-rollout', country: 'IL' });
    const plan = (await loadPlanFile(path.join(dir, 'plan.yaml'))).plan;
    expect(plan.project.timezone).toBe('Asia/Jerusalem');
    expect(plan.milestones.find((m) => m.key === 'go-live')?.at).toBe('2027-03-28T08:00');
    expect(plan.milestones.find((m) => m.key === 'registration-deadline')?.at).toBe('2027-03-21T17:00');
  });

  it('asks for what it needs on a terminal, offering the defaults', async () => {
    const input = new PassThrough();
    const shown = new PassThrough();
    let transcript = '';
    shown.on('data', (b: Buffer) => (transcript += b.toString()));
    const terminal = streamAsk(input, shown);
    // starter, name, country, zone (default taken), go-live, cutover (default taken)
    input.write('teams-rollout\nContoso Teams\nGB\n\n2027-02-01\n');
    const dir = path.join(work, 'prompted');
    const out: string[] = [];
    await init(context(work, out), dir, {}, terminal.ask);
    terminal.close();
    expect(transcript).toContain('Starter (m365-mail-migration, mfa-rollout, teams-rollout) [m365-mail-migration]: ');
    expect(transcript).toContain('Time zone [Europe/London]: ');
    expect(transcript).toMatch(/Go-live date \(first business day after six weeks from today\) \[2027-01-19\]: /);
    const plan = (await loadPlanFile(path.join(dir, 'plan.yaml'))).plan;
    expect(plan.project).toMatchObject({ key: 'contoso-teams', name: 'Contoso Teams', timezone: 'Europe/London', holidays: { country: 'GB' } });
    expect(plan.milestones.find((m) => m.key === 'go-live')?.at).toBe('2027-02-01T08:00');
  });

  it('asks on a real terminal (a pseudo-terminal from script(1)) when run without options', async () => {
    const dir = path.join(work, 'pty');
    const bin = path.join(import.meta.dirname, '../../../bin/herald.js');
    const child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} init ${JSON.stringify(dir)}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let shown = '';
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.on('data', (b: Buffer) => {
      shown += b.toString();
      // Once it has answered, let script(1) see the end of its input so it exits.
      if (/scheduled messages/.test(shown)) child.stdin.end();
    });
    child.stdin.write('mfa-rollout\nPTY Test\nUS\nAmerica/Chicago\n2027-03-15\n\n');
    expect(await done, shown).toBe(0);
    expect(shown).toContain('Starter (m365-mail-migration, mfa-rollout, teams-rollout) [m365-mail-migration]: ');
    expect(shown).toContain('Registration deadline date [2027-03-08]: ');
    const plan = (await loadPlanFile(path.join(dir, 'plan.yaml'))).plan;
    expect(plan.project).toMatchObject({ key: 'pty-test', timezone: 'America/Chicago', holidays: { country: 'US' } });
    expect(plan.milestones.find((m) => m.key === 'registration-deadline')?.at).toBe('2027-03-08T17:00');
  }, 60_000);

  it('takes every default with --yes, the first starter included', async () => {
    const out: string[] = [];
    await init(context(work, out), path.join(work, 'yes'), { yes: true, timezone: 'Europe/Paris' });
    expect(out[0]).toMatch(/\(starter m365-mail-migration\)$/m);
    expect(out[0]).toContain('go-live Tue, 19 Jan 2027, mailbox cutover Mon, 18 Jan 2027, zone Europe/Paris, working week mon–fri');
  });

  it('warns when go-live is not a working day', async () => {
    const err: string[] = [];
    await init(context(work, [], err), path.join(work, 'holiday'), {
      starter: 'teams-rollout',
      goLive: '2027-01-01',
      country: 'US',
      timezone: 'America/Chicago',
    });
    expect(err).toEqual(['warning: go-live Fri, 1 Jan 2027 is a public holiday; messages tied to it move to the next working day']);
  });

  it.each<[string, string[], RegExp]>([
    ['an unknown starter, with a suggestion', ['--starter', 'mfa-rolout'], /--starter: no starter "mfa-rolout" \(did you mean "mfa-rollout"\?/],
    ['no starter and no terminal', ['--go-live', '2027-03-01'], /which starter\? give --starter NAME/],
    ['a bad date', ['--starter', 'teams-rollout', '--go-live', '2027-02-30'], /--go-live: "2027-02-30" is not a date/],
    ['a bad zone', ['--starter', 'teams-rollout', '--timezone', 'Mars/Base'], /--timezone: "Mars\/Base" is not an IANA time zone/],
    ['an unknown country', ['--starter', 'teams-rollout', '--country', 'XX'], /--country: unknown holiday country "XX"/],
    [
      'a cutover after go-live',
      ['--starter', 'm365-mail-migration', '--go-live', '2027-03-01', '--cutover', '2027-03-05'],
      /--cutover 2027-03-05 is after go-live 2027-03-01/,
    ],
    ['a cutover for a starter without one', ['--starter', 'teams-rollout', '--cutover', '2027-03-05'], /--cutover: the teams-rollout starter has no cutover/],
  ])('rejects %s with one clear line', async (_what, args, message) => {
    const r = await runCli(['init', path.join(work, 'rejected'), ...args], {});
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('never overwrites a plan unless told to', async () => {
    const dir = path.join(work, 'existing');
    const args = ['init', dir, '--starter', 'teams-rollout', '--go-live', '2027-03-01', '--timezone', 'UTC'];
    expect((await runCli(args, {})).code).toBe(0);
    writeFileSync(path.join(dir, 'plan.yaml'), '# mine\n');
    const r = await runCli(args, {});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plan\.yaml, .*people\.csv, .*plan\.schema\.json already exist/);
    expect(r.stderr).toContain('--force');
    expect(readFileSync(path.join(dir, 'plan.yaml'), 'utf8')).toBe('# mine\n');
    expect((await runCli([...args, '--force'], {})).code).toBe(0);
  });

  it('fills every placeholder of every starter file', () => {
    for (const s of STARTERS) {
      for (const f of ['plan.yaml', 'people.csv']) {
        const text = readFileSync(path.join(import.meta.dirname, '../../../starters', s.name, f), 'utf8');
        for (const m of text.matchAll(/@([A-Z_]+)(?:[+-]\d+)?@/g)) {
          expect(['GO_LIVE', 'CUTOVER', 'PROJECT_KEY', 'PROJECT_NAME', 'TIMEZONE', 'BUSINESS_DAYS', 'HOLIDAYS', 'HELP']).toContain(m[1]);
        }
      }
    }
  });
});
