import { holidayCountries, holidayRegions } from '../schedule/holiday-data.ts';
import { hint } from './suggest.ts';

/**
 * Country and region codes known to date-holidays, shared by `project.holidays` and people's
 * `country`/`region`. Cached: a 10,000-row people CSV checks the same few codes over and over.
 */
let countryCodes: Set<string> | undefined;
const regionCodes = new Map<string, string[]>();

export function knownCountries(): Set<string> {
  countryCodes ??= new Set(holidayCountries());
  return countryCodes;
}

export function knownRegions(country: string): string[] {
  let regions = regionCodes.get(country);
  if (regions === undefined) {
    regions = holidayRegions(country);
    regionCodes.set(country, regions);
  }
  return regions;
}

/** The upper-case country code, or an error message with a suggestion. */
export function checkCountry(raw: string): { ok: true; value: string } | { ok: false; error: string } {
  const code = raw.toUpperCase();
  if (knownCountries().has(code)) return { ok: true, value: code };
  return { ok: false, error: `unknown holiday country "${raw}": use an ISO 3166 code known to date-holidays${hint(code, knownCountries())}` };
}

/** The upper-case region code of a known country, or an error message with a suggestion. */
export function checkRegion(country: string, raw: string): { ok: true; value: string } | { ok: false; error: string } {
  const regions = knownRegions(country);
  const code = raw.toUpperCase();
  if (regions.includes(code)) return { ok: true, value: code };
  return {
    ok: false,
    error: `unknown region "${raw}" for ${country}${regions.length === 0 ? ' (date-holidays has no regions for it; remove the region)' : hint(code, regions)}`,
  };
}
