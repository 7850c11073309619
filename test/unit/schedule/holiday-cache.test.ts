import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { diskHolidayStore } from '../../../src/app/holiday-disk-store.ts';
import { holidayRules, publicHolidayDays, useHolidayStore } from '../../../src/domain/schedule/holiday-data.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-t-holidays-'));
afterEach(() => useHolidayStore(undefined));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('public holidays on disk', () => {
  it('stores what date-holidays computes, and a later run reads it instead of computing', () => {
    useHolidayStore(diskHolidayStore({ HERALD_CACHE_DIR: dir }));
    const days = publicHolidayDays('US', undefined, 2026);
    const computed = holidayRules('US')
      .getHolidays(2026)
      .filter((x) => x.type === 'public');
    expect(days.map(([, name]) => name)).toEqual([...new Set(computed.map((x) => x.name))]);
    expect(days.find(([, name]) => name === 'Independence Day')).toBeDefined();

    const [file] = readdirSync(dir);
    expect(file).toMatch(/^holidays-[\d.]+-[\d-]+-parser-[\d.]+\.json$/);
    const stored = JSON.parse(readFileSync(path.join(dir, file!), 'utf8')) as Record<string, unknown>;
    expect(stored['US||2026']).toEqual(days);

    // A new run takes the file's word for it (here a doctored entry proves it was read).
    writeFileSync(path.join(dir, file!), JSON.stringify({ ...stored, 'US||2026': [[20000, 'From the cache']] }));
    useHolidayStore(diskHolidayStore({ HERALD_CACHE_DIR: dir }));
    expect(publicHolidayDays('US', undefined, 2026)).toEqual([[20000, 'From the cache']]);
  });

  it('computes without a store, when it is off, or when it cannot be written', () => {
    expect(diskHolidayStore({ HERALD_CACHE_DIR: 'off' })).toBeUndefined();
    expect(publicHolidayDays('GB', 'ENG', 2026).length).toBeGreaterThan(5);
    const blocked = path.join(dir, 'a-file');
    writeFileSync(blocked, '');
    useHolidayStore(diskHolidayStore({ HERALD_CACHE_DIR: path.join(blocked, 'sub') }));
    expect(publicHolidayDays('DE', undefined, 2026).length).toBeGreaterThan(5);
    expect(publicHolidayDays('DE', undefined, 2027).length).toBeGreaterThan(5);
  });
});
