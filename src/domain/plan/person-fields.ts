import { WEEKDAYS, type PersonSpec, type Weekday } from './model.ts';
import { isEmail } from './addresses.ts';
import { isValidZone, parseWeekday, zoneError } from './calendar-values.ts';
import { checkCountry, checkRegion } from './holiday-codes.ts';
import { hint } from './suggest.ts';
import { keysOf, PersonShape } from './plan-shape.ts';

export const PERSON_FIELDS = keysOf(PersonShape);
/** Fields that hold several values: a YAML list inline, `;`-separated in CSV. */
export const PERSON_LIST_FIELDS = ['audiences', 'workDays'] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];

/** A person as written (inline YAML or a CSV row), before checks; empty values are absent. */
export interface RawPerson {
  id?: string;
  name?: string;
  email?: string;
  slack?: string;
  timezone?: string;
  audiences: string[];
  locale?: string;
  country?: string;
  region?: string;
  workDays?: string[];
}

export interface PersonDefaults {
  timezone: string;
  locale: string;
  audiences: ReadonlySet<string>;
}

/** Reports a problem on one field of the person (`undefined` = the person as a whole). */
export type PersonReport = (field: PersonField | undefined, message: string, severity?: 'error' | 'warning') => void;

const localeCache = new Map<string, boolean>();
function isLocale(tag: string): boolean {
  let ok = localeCache.get(tag);
  if (ok === undefined) {
    try {
      ok = Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      ok = false;
    }
    localeCache.set(tag, ok);
  }
  return ok;
}

const SLACK_ID_RE = /^[UW][A-Z0-9]{2,}$/;

/** The checks shared by inline people and CSV rows; returns the person when it is valid. */
export function checkPerson(raw: RawPerson, defaults: PersonDefaults, report: PersonReport): PersonSpec | undefined {
  let ok = true;
  const fail = (field: PersonField | undefined, message: string): void => {
    ok = false;
    report(field, message);
  };
  if (raw.id === undefined) fail('id', 'missing id: every person needs a unique id such as dana or dana.ruiz');
  else if (!/^[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(raw.id)) fail('id', `"${raw.id}" is not a valid person id: use letters, digits, ".", "_", "-" or "@"`);
  if (raw.name === undefined) fail('name', 'missing name: give the name messages address the person by');
  if (raw.email === undefined && raw.slack === undefined) fail(undefined, 'needs an email or a slack id (or both) so Herald can reach them');
  if (raw.email !== undefined && !isEmail(raw.email)) fail('email', `"${raw.email}" is not an email address: use name@example.com`);
  if (raw.slack !== undefined && !SLACK_ID_RE.test(raw.slack)) {
    report('slack', `"${raw.slack}" does not look like a Slack user id (U… or W…); leave it empty to look the user up by email`, 'warning');
  }
  const timezone = raw.timezone ?? defaults.timezone;
  if (raw.timezone !== undefined && !isValidZone(raw.timezone)) fail('timezone', zoneError(raw.timezone));
  const locale = raw.locale ?? defaults.locale;
  if (raw.locale !== undefined && !isLocale(raw.locale)) fail('locale', `"${raw.locale}" is not a locale: use a BCP 47 tag such as en-US or fr-FR`);
  const audiences: string[] = [];
  for (const a of raw.audiences) {
    if (!defaults.audiences.has(a)) fail('audiences', `unknown audience "${a}"${hint(a, defaults.audiences)}`);
    else if (!audiences.includes(a)) audiences.push(a);
  }
  const own = checkOwnCalendar(raw, fail);
  if (!ok || raw.id === undefined || raw.name === undefined) return undefined;
  const p: PersonSpec = { id: raw.id, name: raw.name, timezone, audiences, locale, ...own };
  if (raw.email !== undefined) p.email = raw.email;
  if (raw.slack !== undefined) p.slack = raw.slack;
  return p;
}

/** `country`, `region` and `workDays`: the person's own calendar, checked against date-holidays. */
function checkOwnCalendar(raw: RawPerson, fail: (field: PersonField, message: string) => void): Pick<PersonSpec, 'country' | 'region' | 'workDays'> {
  const out: Pick<PersonSpec, 'country' | 'region' | 'workDays'> = {};
  if (raw.country !== undefined) {
    const c = checkCountry(raw.country);
    if (c.ok) out.country = c.value;
    else fail('country', c.error);
  }
  if (raw.region !== undefined) {
    if (raw.country === undefined) fail('region', `region "${raw.region}" needs a country: add country (for example DE with region BY)`);
    else if (out.country !== undefined) {
      const r = checkRegion(out.country, raw.region);
      if (r.ok) out.region = r.value;
      else fail('region', r.error);
    }
  }
  if (raw.workDays !== undefined) {
    const days = new Set<Weekday>();
    for (const d of raw.workDays) {
      const w = parseWeekday(d);
      if (!w.ok) fail('workDays', w.error);
      else if (days.has(w.value)) fail('workDays', `"${d}" is listed twice in workDays; list each day once`);
      else days.add(w.value);
    }
    if (raw.workDays.length === 0) fail('workDays', 'workDays is empty: list the days the person works, e.g. sun;mon;tue;wed;thu');
    else out.workDays = WEEKDAYS.filter((d) => days.has(d));
  }
  return out;
}
