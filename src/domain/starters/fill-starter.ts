import type { LocalDate } from '../schedule/local-date.ts';
import type { ProjectCalendar } from '../schedule/business-calendar.ts';
import { HeraldError } from '../errors.ts';

/** What a starter's placeholders are filled with. */
export interface StarterValues {
  projectKey: string;
  projectName: string;
  timezone: string;
  country?: string;
  businessDays: readonly string[];
  goLive: LocalDate;
  cutover?: LocalDate;
  help: string;
}

/**
 * Fills a starter file's placeholders, so the written plan holds concrete dates as a PM would
 * write them: `@GO_LIVE@`, `@CUTOVER@`, `@GO_LIVE+21@` / `@GO_LIVE-42@` (go-live ± N calendar
 * days), `@PROJECT_KEY@`, `@PROJECT_NAME@`, `@TIMEZONE@`, `@BUSINESS_DAYS@`, `@HOLIDAYS@`, `@HELP@`.
 */
export function fillStarter(text: string, v: StarterValues, calendar: ProjectCalendar): string {
  const out = text.replace(/@([A-Z_]+)(?:([+-])(\d+))?@/g, (whole, name: string, sign?: string, n?: string) => {
    if (name === 'GO_LIVE' && sign !== undefined) return calendar.addDays(v.goLive, (sign === '-' ? -1 : 1) * Number(n));
    switch (name) {
      case 'GO_LIVE':
        return v.goLive;
      case 'CUTOVER':
        if (v.cutover === undefined) throw new HeraldError('STARTER_INVALID', 'this starter needs a cutover date');
        return v.cutover;
      case 'PROJECT_KEY':
        return v.projectKey;
      case 'PROJECT_NAME':
        return yamlDoubleQuoted(v.projectName);
      case 'TIMEZONE':
        return v.timezone;
      case 'BUSINESS_DAYS':
        return `[${v.businessDays.join(', ')}]`;
      case 'HOLIDAYS':
        return v.country === undefined ? '[]   # or { country: US, extra: [YYYY-MM-DD] } for public holidays' : `{ country: ${v.country} }`;
      case 'HELP':
        return yamlDoubleQuoted(v.help);
      default:
        return whole;
    }
  });
  const left = /@[A-Z_]+(?:[+-]\d+)?@/.exec(out);
  if (left) throw new HeraldError('STARTER_INVALID', `unknown starter placeholder ${left[0]}`);
  return out;
}

/** The inside of a YAML double-quoted string (the starter writes the quotes). */
function yamlDoubleQuoted(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
