import { DateTime } from 'luxon';

/**
 * An instant as the PM reads it: the project zone with its abbreviation (ISO UTC is for --format json).
 * Its own module, not output.ts: luxon would load with every command, `herald --version` too (bench:cli).
 */
export const projectTime = (at: Date, zone: string): string => DateTime.fromJSDate(at, { zone }).toFormat('ccc d LLL yyyy HH:mm ZZZZ');
