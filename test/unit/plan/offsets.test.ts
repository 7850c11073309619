import { describe, expect, it } from 'vitest';
import { parseEvery, parseOffset } from '../../../src/domain/plan/offsets.ts';

describe('parseOffset', () => {
  it.each([
    ['-3 business days', -1, 3, 'business days'],
    ['+1 business day', 1, 1, 'business days'],
    ['+4 hours', 1, 4, 'hours'],
    ['+1 hour', 1, 1, 'hours'],
    ['-30 minutes', -1, 30, 'minutes'],
    ['+1 minute', 1, 1, 'minutes'],
    ['+7 days', 1, 7, 'days'],
    ['-1 day', -1, 1, 'days'],
    ['+2 weeks', 1, 2, 'weeks'],
    ['-1 week', -1, 1, 'weeks'],
    ['  -2   Business  Days ', -1, 2, 'business days'],
  ])('%s', (raw, sign, amount, unit) => {
    expect(parseOffset(raw, { signRequired: true })).toEqual({ ok: true, value: { sign, amount, unit, raw } });
  });

  it('requires a sign for schedule offsets and says how to write it', () => {
    expect(parseOffset('3 days', { signRequired: true })).toEqual({ ok: false, error: '"3 days" needs a sign: "-3 days" (before) or "+3 days" (after)' });
  });

  it('accepts an unsigned, positive delay when the sign is optional', () => {
    expect(parseOffset('2 business days', { signRequired: false })).toMatchObject({ ok: true, value: { sign: 1, amount: 2, unit: 'business days' } });
    expect(parseOffset('+4 hours', { signRequired: false })).toMatchObject({ ok: true });
    expect(parseOffset('-2 days', { signRequired: false })).toMatchObject({ ok: false, error: expect.stringContaining('must not be negative') });
  });

  it('suggests the unit for a typo and rejects nonsense', () => {
    expect(parseOffset('-3 bussiness days', { signRequired: true })).toEqual({
      ok: false,
      error: '"-3 bussiness days": unknown unit "bussiness days" (did you mean "business days"?)',
    });
    expect(parseOffset('-3 fortnights', { signRequired: true })).toMatchObject({
      ok: false,
      error: expect.stringContaining('use minute, hour, day, business day, week'),
    });
    expect(parseOffset('soon', { signRequired: true })).toMatchObject({ ok: false, error: expect.stringContaining('is not an offset') });
    expect(parseOffset('-1.5 days', { signRequired: true })).toMatchObject({ ok: false });
  });
});

describe('parseEvery', () => {
  it.each([
    ['day', 'day', 1],
    ['business day', 'business day', 1],
    ['week', 'week', 1],
    ['2 weeks', 'week', 2],
    ['month', 'month', 1],
    ['3 months', 'month', 3],
  ])('%s', (raw, unit, n) => {
    expect(parseEvery(raw)).toEqual({ ok: true, value: { unit, n, raw } });
  });

  it('rejects a bare plural, zero and unknown units', () => {
    expect(parseEvery('weeks')).toEqual({ ok: false, error: '"weeks": write "week" or "2 weeks"' });
    expect(parseEvery('0 weeks')).toMatchObject({ ok: false, error: expect.stringContaining('at least 1') });
    expect(parseEvery('wek')).toEqual({ ok: false, error: '"wek": unknown interval "wek" (did you mean "week"?)' });
    expect(parseEvery('fortnight')).toMatchObject({ ok: false });
  });
});
