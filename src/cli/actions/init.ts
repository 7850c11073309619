import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadPlanFile } from '../../app/load-plan.ts';
import { HeraldError } from '../../domain/errors.ts';
import { isValidZone, parseIsoDate, zoneError } from '../../domain/plan/calendar-values.ts';
import { checkCountry } from '../../domain/plan/holiday-codes.ts';
import { planJsonSchema } from '../../domain/plan/plan-json-schema.ts';
import { hint } from '../../domain/plan/suggest.ts';
import { ProjectCalendar } from '../../domain/schedule/business-calendar.ts';
import { buildCalendar } from '../../domain/schedule/calendar.ts';
import { defaultCutover, defaultGoLive } from '../../domain/starters/anchor-dates.ts';
import { fillStarter, type StarterValues } from '../../domain/starters/fill-starter.ts';
import { STARTERS, starterNamed, type StarterInfo } from '../../domain/starters/starter-catalogue.ts';
import { workingWeekOf, zoneOfCountry } from '../../domain/starters/working-week.ts';
import { packagePath } from '../../package-root.ts';
import type { CliContext } from '../context.ts';
import { plural } from '../output.ts';
import { streamAsk, type Ask } from '../prompt.ts';

export interface InitOptions {
  starter?: string;
  goLive?: string;
  cutover?: string;
  timezone?: string;
  country?: string;
  name?: string;
  yes?: boolean;
  force?: boolean;
}

/** The files `herald init` writes, beside each other so the plan's relative paths hold. */
export const INIT_FILES = { plan: 'plan.yaml', people: 'people.csv', schema: 'plan.schema.json' } as const;

const DEFAULT_HELP = 'the IT service desk, servicedesk@example.com, or #it-help in Slack';

/**
 * `herald init [DIR]`: writes a starter plan anchored to the dates given, its people CSV and the
 * plan's JSON Schema, then validates what it wrote. Asks on a terminal when no option is given.
 */
export async function init(ctx: CliContext, dir: string | undefined, opts: InitOptions, ask?: Ask): Promise<void> {
  const flagsGiven = [opts.starter, opts.goLive, opts.cutover, opts.timezone, opts.country, opts.name].some((v) => v !== undefined);
  if (ask === undefined && !flagsGiven && !opts.yes && process.stdin.isTTY && process.stdout.isTTY) {
    const terminal = streamAsk(process.stdin, process.stdout);
    try {
      return await init(ctx, dir, opts, terminal.ask);
    } finally {
      terminal.close();
    }
  }
  const o = ask === undefined ? opts : await askFor(opts, ask, ctx.clock.now());
  // --yes takes every default, the starter too.
  const starter = pickStarter(o.starter ?? (o.yes ? STARTERS[0]!.name : undefined));
  const country = o.country === undefined ? undefined : checked('--country', checkCountry(o.country));
  const timezone = o.timezone ?? (country === undefined ? undefined : zoneOfCountry(country)) ?? systemZone();
  if (!isValidZone(timezone)) throw new HeraldError('INPUT_INVALID', `--timezone: ${zoneError(timezone)}`);
  const businessDays = workingWeekOf(country);
  const calendar = new ProjectCalendar({ timezone, businessDays: [...businessDays], holidays: { extra: [], country } });
  const goLive = o.goLive === undefined ? defaultGoLive(ctx.clock.now(), calendar) : checked('--go-live', parseIsoDate(o.goLive));
  const cutover = readCutover(starter, o.cutover, goLive, calendar);
  if (!calendar.isBusinessDay(goLive)) {
    const why = calendar.isHoliday(goLive) ? 'a public holiday' : `not in the working week (${businessDays.join(', ')})`;
    ctx.output.err(`warning: go-live ${weekdayDate(goLive)} is ${why}; messages tied to it move to the next working day`);
  }
  const name = o.name ?? defaultName(starter);
  const values: StarterValues = {
    projectKey: keyOf(name),
    projectName: name,
    timezone,
    businessDays,
    goLive,
    help: DEFAULT_HELP,
    country,
    cutover,
  };

  const target = path.resolve(ctx.cwd, dir ?? '.');
  const files = Object.values(INIT_FILES).map((f) => path.join(target, f));
  const existing = files.filter((f) => existsSync(f));
  if (existing.length > 0 && !o.force) {
    throw new HeraldError(
      'INPUT_INVALID',
      `${existing.map((f) => path.relative(ctx.cwd, f) || f).join(', ')} already exist${existing.length === 1 ? 's' : ''}`,
      {
        hint: 'choose another folder, or add --force to overwrite',
      },
    );
  }
  const source = (file: string) => readFileSync(packagePath('starters', starter.name, file), 'utf8');
  mkdirSync(target, { recursive: true });
  writeFileSync(path.join(target, INIT_FILES.plan), fillStarter(source(INIT_FILES.plan), values, calendar));
  writeFileSync(path.join(target, INIT_FILES.people), fillStarter(source(INIT_FILES.people), values, calendar));
  writeFileSync(path.join(target, INIT_FILES.schema), `${JSON.stringify(planJsonSchema(), null, 2)}\n`);

  // What was written must validate as it is: check it the way `herald validate` does.
  const planFile = path.relative(ctx.cwd, path.join(target, INIT_FILES.plan)) || INIT_FILES.plan;
  const loaded = await loadPlanFile(planFile, { cwd: ctx.cwd, checkTemplate: await ctx.planTemplateCheck() });
  const messages = buildCalendar(loaded.plan, { now: ctx.clock.now() }).length;
  ctx.output.out(
    [
      `wrote ${planFile}, ${INIT_FILES.people} and ${INIT_FILES.schema} in ${path.relative(ctx.cwd, target) || '.'} (starter ${starter.name})`,
      `go-live ${weekdayDate(goLive)}${cutover ? `, ${starter.cutover!.label.replace(/ \(.*\)$/, '')} ${weekdayDate(cutover)}` : ''}` +
        `, zone ${timezone}, working week ${businessDays.join('–').replace(/–.*–/, '–')}${country ? `, ${country} public holidays` : ''}`,
      `${plural(loaded.plan.comms.length, 'comm')}, ${plural(messages, 'scheduled message')}` +
        ` for the sample people; edit people.csv and the texts under each comm's data, then:`,
      `  herald simulate ${planFile}    # what everyone receives, in order`,
      `  herald apply ${planFile}       # store it and build the calendar`,
    ].join('\n'),
  );
}

async function askFor(opts: InitOptions, ask: Ask, now: Date): Promise<InitOptions> {
  const names = STARTERS.map((s) => s.name);
  const starter = opts.starter ?? (await ask(`Starter (${names.join(', ')})`, names[0]!));
  const info = pickStarter(starter);
  const name = await ask('Project name', opts.name ?? defaultName(info));
  const country = await ask('Country for public holidays and the working week (ISO code, or "none")', opts.country ?? 'none');
  const c = country.toLowerCase() === 'none' ? undefined : country;
  const timezone = await ask('Time zone', opts.timezone ?? (c === undefined ? undefined : zoneOfCountry(c)) ?? systemZone());
  const country_ = c === undefined ? undefined : checked('country', checkCountry(c));
  if (!isValidZone(timezone)) throw new HeraldError('INPUT_INVALID', `time zone: ${zoneError(timezone)}`);
  const calendar = new ProjectCalendar({ timezone, businessDays: [...workingWeekOf(country_)], holidays: { extra: [], country: country_ } });
  const goLive = checked(
    'go-live',
    parseIsoDate(await ask('Go-live date (first business day after six weeks from today)', opts.goLive ?? defaultGoLive(now, calendar))),
  );
  const out: InitOptions = { ...opts, starter, name, timezone, goLive, ...(country_ ? { country: country_ } : {}) };
  if (info.cutover) {
    const label = info.cutover.label.replace(/ \(.*\)$/, '');
    out.cutover = await ask(`${label.charAt(0).toUpperCase()}${label.slice(1)} date`, opts.cutover ?? defaultCutover(info, goLive, calendar)!);
  }
  return out;
}

function pickStarter(name: string | undefined): StarterInfo {
  const names = STARTERS.map((s) => s.name);
  if (name === undefined) throw new HeraldError('INPUT_INVALID', 'which starter? give --starter NAME', { hint: `starters: ${names.join(', ')}` });
  const s = starterNamed(name);
  if (s === undefined) throw new HeraldError('INPUT_INVALID', `--starter: no starter "${name}"${hint(name, names, 'starters:')}`);
  return s;
}

function readCutover(starter: StarterInfo, given: string | undefined, goLive: string, calendar: ProjectCalendar): string | undefined {
  if (starter.cutover === undefined) {
    if (given !== undefined) throw new HeraldError('INPUT_INVALID', `--cutover: the ${starter.name} starter has no cutover; its switch-over day is --go-live`);
    return undefined;
  }
  const cutover = given === undefined ? defaultCutover(starter, goLive, calendar)! : checked('--cutover', parseIsoDate(given));
  if (cutover > goLive)
    throw new HeraldError('INPUT_INVALID', `--cutover ${cutover} is after go-live ${goLive}`, {
      hint: 'the cutover comes first: give an earlier --cutover or a later --go-live',
    });
  return cutover;
}

function checked<T>(flag: string, r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new HeraldError('INPUT_INVALID', `${flag}: ${r.error}`);
  return r.value;
}

function defaultName(s: StarterInfo): string {
  return { 'm365-mail-migration': 'Microsoft 365 mail migration', 'mfa-rollout': 'MFA roll-out', 'teams-rollout': 'Teams roll-out' }[s.name] ?? s.name;
}

/** A project key from its name: lower-case words joined by "-". */
function keyOf(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'my-project'
  );
}

function systemZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function weekdayDate(d: string): string {
  return new Date(`${d}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
