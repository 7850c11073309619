import type { LocalDate } from '../schedule/local-date.ts';
import { fromEpochDay, toEpochDay } from '../schedule/local-date.ts';

/**
 * The date an out-of-office notice says its sender is back, in English, German or French:
 * "back on 20 January 2027", "out until Friday, January 15", "zurück am 20.01.2027",
 * "bis einschließlich 15. Januar", "de retour le 20/01/2027", "jusqu'au 15 janvier".
 * "Back on X" means X is the first day back and wins over "until X", which means the day after X. A date without
 * a year is the next such date from `today`. Only dates from today to a year ahead count:
 * anything else is more likely a date the notice mentions for another reason.
 */

const MONTHS: Record<string, number> = {};
const monthNames: Array<[number, string[]]> = [
  [1, ['january', 'jan', 'januar', 'jänner', 'janvier', 'janv']],
  [2, ['february', 'feb', 'februar', 'février', 'fevrier', 'févr', 'fevr']],
  [3, ['march', 'mar', 'märz', 'maerz', 'mars']],
  [4, ['april', 'apr', 'avril', 'avr']],
  [5, ['may', 'mai']],
  [6, ['june', 'jun', 'juni', 'juin']],
  [7, ['july', 'jul', 'juli', 'juillet', 'juil']],
  [8, ['august', 'aug', 'août', 'aout']],
  [9, ['september', 'sep', 'sept', 'septembre']],
  [10, ['october', 'oct', 'oktober', 'okt', 'octobre']],
  [11, ['november', 'nov', 'novembre']],
  [12, ['december', 'dec', 'dezember', 'dez', 'décembre', 'decembre', 'déc']],
];
for (const [n, names] of monthNames) for (const name of names) MONTHS[name] = n;
const MONTH = `(${Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|')})(?!\\p{L})\\.?`;

const WEEKDAY =
  '(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|' +
  'montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\\.?,?\\s+(?:the\\s+|den\\s+|le\\s+)?';

type Lang = 'en' | 'de' | 'fr';
interface Trigger {
  re: RegExp;
  /** Days to add to the date found: 0 for "back on", 1 for "until". */
  shift: 0 | 1;
  lang: Lang;
  /** Words that must follow the date for it to count ("ab dem 25.01. wieder erreichbar"). */
  followedBy?: RegExp;
}

const TRIGGERS: Trigger[] = [
  {
    lang: 'en',
    shift: 0,
    re: /\b(?:back|returning|return|returns|available again|in the office again)(?:\s+(?:in|to)\s+the\s+office)?\s+(?:on\s+|from\s+)?(?:the\s+)?/giu,
  },
  { lang: 'en', shift: 1, re: /\b(?:until|till|through|thru)\s+(?:and\s+including\s+)?/giu },
  { lang: 'de', shift: 0, re: /(?:\bzurück|\bwieder\s+(?:im\s+büro|erreichbar|da|verfügbar|im\s+haus))\s*(?:am|ab)?\s*(?:dem\s+)?/giu },
  { lang: 'de', shift: 0, re: /\bab\s+(?:dem\s+)?/giu, followedBy: /^[\s,]*(?:\p{L}+\s+){0,3}(?:wieder|zurück)/iu },
  { lang: 'de', shift: 1, re: /\bbis\s+(?:einschließlich\s+|einschl\.\s+|inkl\.\s+|zum\s+|am\s+)?/giu },
  { lang: 'fr', shift: 0, re: /\b(?:de\s+retour|retour|je\s+reviens)\s+(?:au\s+bureau\s+)?(?:le\s+|à\s+partir\s+du\s+|dès\s+le\s+)?/giu },
  { lang: 'fr', shift: 1, re: /\bjusqu(?:'|’)(?:au|à)\s+(?:le\s+)?(?:inclus\s+)?/giu },
];

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})\b/u;
const NUMERIC = /^(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d/])/u;
const DAY_MONTH = new RegExp(`^(\\d{1,2})(?:st|nd|rd|th|er|\\.)?\\s+(?:of\\s+)?${MONTH},?(?:\\s+(\\d{4}))?`, 'iu');
const MONTH_DAY = new RegExp(`^${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?`, 'iu');
const LEADING_WEEKDAY = new RegExp(`^${WEEKDAY}`, 'iu');

interface Found {
  year?: number;
  month: number;
  day: number;
  /** Characters of the text the date took, weekday included. */
  length: number;
}

function readDate(text: string, lang: Lang): Found | undefined {
  const s = text.replace(LEADING_WEEKDAY, '');
  const skipped = text.length - s.length;
  let m = ISO.exec(s);
  if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), length: skipped + m[0].length };
  m = DAY_MONTH.exec(s);
  if (m) return { month: MONTHS[m[2]!.toLowerCase()]!, day: Number(m[1]), year: m[3] ? Number(m[3]) : undefined, length: skipped + m[0].length };
  m = MONTH_DAY.exec(s);
  if (m) return { month: MONTHS[m[1]!.toLowerCase()]!, day: Number(m[2]), year: m[3] ? Number(m[3]) : undefined, length: skipped + m[0].length };
  m = NUMERIC.exec(s);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    // English notices with slashes are month first (US), unless that cannot be a date.
    const monthFirst = lang === 'en' && m[2] === '/' && a <= 12;
    const year = m[4] === undefined ? undefined : m[4].length === 2 ? 2000 + Number(m[4]) : Number(m[4]);
    return { month: monthFirst ? a : b, day: monthFirst ? b : a, year, length: skipped + m[0].length };
  }
  return undefined;
}

function epochDay(y: number, m: number, d: number): number | undefined {
  try {
    return toEpochDay(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  } catch {
    return undefined;
  }
}

/** The first day the sender of an out-of-office notice is back, or undefined when it says none. */
export function returnDate(text: string, today: LocalDate): LocalDate | undefined {
  const body = text.slice(0, 8_000);
  const todayDay = toEpochDay(today);
  const thisYear = Number(today.slice(0, 4));
  const hits: Array<{ at: number; day: number; shift: number }> = [];
  for (const t of TRIGGERS) {
    for (const m of body.matchAll(t.re)) {
      const start = m.index + m[0].length;
      const found = readDate(body.slice(start, start + 60), t.lang);
      if (!found) continue;
      if (t.followedBy && !t.followedBy.test(body.slice(start + found.length, start + found.length + 60))) continue;
      let day: number | undefined;
      if (found.year !== undefined) day = epochDay(found.year, found.month, found.day);
      else {
        day = epochDay(thisYear, found.month, found.day);
        if (day !== undefined && day + t.shift < todayDay) day = epochDay(thisYear + 1, found.month, found.day);
      }
      if (day === undefined) continue;
      day += t.shift;
      if (day >= todayDay && day <= todayDay + 366) hits.push({ at: m.index, day, shift: t.shift });
    }
  }
  // "Back on X" is the most exact statement; "until X" only implies the day after.
  hits.sort((a, b) => a.shift - b.shift || a.at - b.at);
  return hits[0] === undefined ? undefined : fromEpochDay(hits[0].day);
}
