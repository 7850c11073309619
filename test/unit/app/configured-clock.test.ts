import { describe, expect, it } from 'vitest';
import { configuredClock, shiftedClock, testClockWarning } from '../../../src/app/configured-clock.ts';
import { systemClock } from '../../../src/app/ports.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { ConfigError } from '../../../src/domain/errors.ts';

describe('HERALD_TEST_NOW (the test-only clock)', () => {
  it('is off unless set: the system clock, no warning', () => {
    const config = loadConfig({});
    expect(config.HERALD_TEST_NOW).toBeUndefined();
    expect(configuredClock(config)).toBe(systemClock);
    expect(testClockWarning(config)).toBeUndefined();
  });

  it('starts at the given instant and runs at wall-clock speed', () => {
    let wall = 1_000_000;
    const clock = shiftedClock(new Date('2026-11-20T12:00:00Z'), () => wall);
    expect(clock.now().toISOString()).toBe('2026-11-20T12:00:00.000Z');
    wall += 90_000;
    expect(clock.now().toISOString()).toBe('2026-11-20T12:01:30.000Z');
  });

  it('when set, gives that clock and a warning naming it', () => {
    const config = loadConfig({ HERALD_TEST_NOW: '2026-11-20T06:00:00-06:00' });
    const at = configuredClock(config).now().getTime();
    expect(Math.abs(at - Date.parse('2026-11-20T12:00:00Z'))).toBeLessThan(5_000);
    expect(testClockWarning(config)).toMatch(/HERALD_TEST_NOW is set: .*tests only; unset it in production/);
  });

  it('rejects anything but an ISO instant, saying what it wants', () => {
    expect(() => loadConfig({ HERALD_TEST_NOW: '2026-11-20' })).toThrow(ConfigError);
    expect(() => loadConfig({ HERALD_TEST_NOW: 'yesterday' })).toThrow(
      /^HERALD_TEST_NOW: must be an ISO 8601 instant such as 2026-11-20T12:00:00Z \(got "yesterday"\)/,
    );
  });
});
