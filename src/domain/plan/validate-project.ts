import { isSeq } from 'yaml';
import { WEEKDAYS, type HolidaySpec, type ProjectSpec, type Weekday } from './model.ts';
import { mailboxAddress } from './addresses.ts';
import { REPLY_TOKEN_LENGTH } from '../tokens.ts';
import { isValidZone, parseIsoDate, parseWallTime, parseWeekday, zoneError } from './calendar-values.ts';
import { readEscalation } from './validate-escalation.ts';
import { checkKeyName, readEnum, readMap, readString, type Reader } from './read-values.ts';
import { checkCountry, checkRegion } from './holiday-codes.ts';
import { readRecipientCalendar } from './validate-blackouts.ts';
import type { Loc } from './yaml-locate.ts';
import { HolidaysShape, keysOf, ProjectShape, QuietHoursShape, SenderShape } from './plan-shape.ts';

const PROJECT_KEYS = keysOf(ProjectShape);
const DEFAULT_BUSINESS_DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** Reads `project:`. Always returns a value (with defaults) so later sections can still be checked. */
export function readProject(r: Reader, loc: Loc | undefined, rootLoc: Loc): ProjectSpec {
  const project: ProjectSpec = {
    key: '',
    name: '',
    timezone: 'UTC',
    businessDays: DEFAULT_BUSINESS_DAYS,
    holidays: { extra: [] },
    catchUp: 'skip',
    sender: {},
  };
  if (loc === undefined) {
    r.sink.error(rootLoc, 'missing required section "project" (key, name, timezone)');
    return project;
  }
  const f = readMap(r, loc, PROJECT_KEYS, 'project: { key: my-project, name: …, timezone: America/Chicago }');
  if (f === undefined) return project;

  const key = f.need('key', 'northwind-m365');
  if (key !== undefined) {
    const s = readString(r, key, 'a project key');
    if (s !== undefined && checkKeyName(r, key, s)) project.key = s;
  }
  const name = f.need('name', 'Northwind Microsoft 365 migration');
  if (name !== undefined) project.name = readString(r, name, 'a project name') ?? '';

  const tz = f.need('timezone', 'America/Chicago');
  if (tz !== undefined) {
    const s = readString(r, tz, 'an IANA time zone');
    if (s !== undefined) {
      if (isValidZone(s)) project.timezone = s;
      else r.sink.error(tz, zoneError(s));
    }
  }

  const bd = f.get('businessDays');
  if (bd !== undefined) project.businessDays = readBusinessDays(r, bd);
  const hol = f.get('holidays');
  if (hol !== undefined) project.holidays = readHolidays(r, hol);
  const qh = f.get('quietHours');
  if (qh !== undefined) {
    const q = readQuietHours(r, qh);
    if (q !== undefined) project.quietHours = q;
  }
  const cu = f.get('catchUp');
  if (cu !== undefined) project.catchUp = readEnum(r, cu, ['skip', 'send'] as const) ?? 'skip';
  const sender = f.get('sender');
  if (sender !== undefined) project.sender = readSender(r, sender);
  const rc = f.get('recipientCalendar');
  const recipientCalendar = rc === undefined ? undefined : readRecipientCalendar(r, rc);
  if (recipientCalendar !== undefined) project.recipientCalendar = recipientCalendar;
  // `blackouts` may name milestones: parsePlan reads it once they are known.
  const esc = f.get('escalation');
  if (esc !== undefined) {
    const e = readEscalation(r, esc);
    if (e !== undefined) project.escalation = e;
  }
  return project;
}

function readBusinessDays(r: Reader, loc: Loc): Weekday[] {
  const items = r.src.items(loc);
  if (items === undefined || items.length === 0) {
    r.sink.error(loc, 'expected a non-empty list of weekdays, e.g. [mon, tue, wed, thu, fri]');
    return DEFAULT_BUSINESS_DAYS;
  }
  const days = new Set<Weekday>();
  for (const item of items) {
    const s = readString(r, item, 'a weekday (mon…sun)');
    if (s === undefined) continue;
    const d = parseWeekday(s);
    if (!d.ok) r.sink.error(item, d.error);
    else if (days.has(d.value)) r.sink.error(item, `"${s}" is listed twice; list each day once`);
    else days.add(d.value);
  }
  return WEEKDAYS.filter((d) => days.has(d));
}

function readHolidays(r: Reader, loc: Loc): HolidaySpec {
  if (isSeq(loc.node)) return { extra: readDates(r, loc) };
  const f = readMap(r, loc, keysOf(HolidaysShape), 'holidays: { country: US, extra: [2026-12-24] } or a list of dates');
  if (f === undefined) return { extra: [] };
  const spec: HolidaySpec = { extra: [] };
  const country = f.get('country');
  if (country !== undefined) {
    const c = readString(r, country, 'a country code such as US');
    if (c !== undefined) {
      const checked = checkCountry(c);
      if (checked.ok) spec.country = checked.value;
      else r.sink.error(country, checked.error);
    }
  }
  const regionLoc = f.get('region') ?? f.get('state');
  if (f.has('region') && f.has('state')) r.sink.error(regionLoc ?? loc, 'give either "region" or "state", not both');
  if (regionLoc !== undefined) {
    const reg = readString(r, regionLoc, 'a region code such as CA');
    if (reg !== undefined) {
      if (country === undefined) r.sink.error(regionLoc, 'a region needs a country: add country: US (for example)');
      else if (spec.country !== undefined) {
        const checked = checkRegion(spec.country, reg);
        if (checked.ok) spec.region = checked.value;
        else r.sink.error(regionLoc, checked.error);
      }
    }
  }
  const extra = f.get('extra');
  if (extra !== undefined) spec.extra = readDates(r, extra);
  return spec;
}

function readDates(r: Reader, loc: Loc): string[] {
  const items = r.src.items(loc);
  if (items === undefined) {
    r.sink.error(loc, 'expected a list of dates, e.g. [2026-12-24, 2026-12-31]');
    return [];
  }
  const out: string[] = [];
  for (const item of items) {
    const s = readString(r, item, 'a date YYYY-MM-DD');
    if (s === undefined) continue;
    const d = parseIsoDate(s);
    if (d.ok) out.push(d.value);
    else r.sink.error(item, d.error);
  }
  return out;
}

function readQuietHours(r: Reader, loc: Loc): { start: string; end: string } | undefined {
  const f = readMap(r, loc, keysOf(QuietHoursShape), 'quietHours: { start: "19:00", end: "08:00" }');
  if (f === undefined) return undefined;
  const times: string[] = [];
  for (const k of ['start', 'end'] as const) {
    const v = f.need(k, k === 'start' ? '"19:00"' : '"08:00"');
    if (v === undefined) continue;
    const s = readString(r, v, 'a time HH:mm');
    if (s === undefined) continue;
    const t = parseWallTime(s);
    if (t.ok) times.push(t.value);
    else r.sink.error(v, t.error);
  }
  const [start, end] = times;
  if (start === undefined || end === undefined) return undefined;
  if (start === end) {
    r.sink.error(loc, 'quiet hours start and end are equal: give a window such as start "19:00", end "08:00", or remove quietHours');
    return undefined;
  }
  return { start, end };
}

function readSender(r: Reader, loc: Loc): { email?: string; replyTo?: string } {
  const f = readMap(r, loc, keysOf(SenderShape), 'sender: { email: "IT PMO <pmo@example.com>" }');
  const out: { email?: string; replyTo?: string } = {};
  if (f === undefined) return out;
  for (const k of ['email', 'replyTo'] as const) {
    const v = f.get(k);
    if (v === undefined) continue;
    const s = readString(r, v, 'an email address');
    if (s === undefined) continue;
    const address = mailboxAddress(s);
    if (address === undefined) {
      r.sink.error(v, `"${s}" is not an email address: use name@example.com or "Name <name@example.com>"`);
      continue;
    }
    out[k] = s;
    const local = address.slice(0, address.lastIndexOf('@'));
    // Replies come back to `local+<token>@domain`, and RFC 5321 caps a local part at 64 octets.
    if (k === 'replyTo' && Buffer.byteLength(`${local}+`, 'utf8') + REPLY_TOKEN_LENGTH > 64) {
      r.sink.error(
        v,
        `the replyTo local part "${local}" is too long: with its reply token (${REPLY_TOKEN_LENGTH} characters) the address passes the 64-octet limit; use a local part of at most ${64 - REPLY_TOKEN_LENGTH - 1} characters (an alias of the mailbox)`,
      );
    }
  }
  return out;
}
