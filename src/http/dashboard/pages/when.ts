/** Instants as the dashboard shows them: in the project's zone, to the minute, with the zone's abbreviation. */
import { DateTime } from 'luxon';

export function localTime(at: Date | string, zone: string): string {
  const d = typeof at === 'string' ? DateTime.fromISO(at, { zone: 'utc' }) : DateTime.fromJSDate(at);
  return d.setZone(zone).toFormat('ccc d LLL yyyy HH:mm ZZZZ');
}
