import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'herald-t-holidays-'));
const saved = process.env.HERALD_CACHE_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.HERALD_CACHE_DIR;
  else process.env.HERALD_CACHE_DIR = saved;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** holiday-data.ts as a fresh process would load it (its cache is opened once per module). */
async function fresh(cacheDir: string): Promise<typeof import('../../../src/domain/schedule/holiday-data.ts')> {
  process.env.HERALD_CACHE_DIR = cacheDir;
  vi.resetModules();
  return import('../../../src/domain/schedule/holiday-data.ts');
}

describe('public holidays on disk', () => {
  it('stores what date-holidays computes, and a later run reads it instead of computing', async () => {
    const h = await fresh(dir);
    const days = h.publicHolidayDays('US', undefined, 2026);
    const computed = h.holidayRules('US').getHolidays(2026).filter((x) => x.type === 'public');
    expect(days.map(([, name]) => name)).toEqual([...new Set(computed.map((x) => x.name))]);
    expect(days.find(([, name]) => name === 'Independence Day')).toBeDefined();

    const [file] = readdirSync(dir);
    expect(file).toMatch(/^holidays-[\d.]+-[\d-]+-parser-[\d.]+\.json$/);
    const stored = JSON.parse(readFileSync(path.join(dir, file!), 'utf8')) as Record<string, unknown>;
    expect(stored['US||2026']).toEqual(days);

    // A new process takes the file's word for it (here a doctored entry proves it was read).
    writeFileSync(path.join(dir, file!), JSON.stringify({ ...stored, 'US||2026': [[20000, 'From the cache']] }));
    const again = await fresh(dir);
    expect(again.publicHolidayDays('US', undefined, 2026)).toEqual([[20000, 'From the cache']]);
  });

  it('computes without a cache when it is off or cannot be written', async () => {
    const off = await fresh('off');
    expect(off.publicHolidayDays('GB', 'ENG', 2026).length).toBeGreaterThan(5);
    const blocked = path.join(dir, 'a-file');
    writeFileSync(blocked, '');
    const unwritable = await fresh(path.join(blocked, 'sub'));
    expect(unwritable.publicHolidayDays('DE', undefined, 2026).length).toBeGreaterThan(5);
  });
});
