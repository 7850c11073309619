import { describe, expect, it } from 'vitest';
import { KeyedPacer, PaceWaitTooLong } from '../../../src/channels/pacer.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('KeyedPacer', () => {
  it('spaces one key by the interval and leaves other keys alone', () => {
    const c = clock();
    const pacer = new KeyedPacer(1000, c.now);
    expect(pacer.reserve('D1')).toBe(0);
    expect(pacer.reserve('D1')).toBe(1000);
    expect(pacer.reserve('D1')).toBe(2000);
    expect(pacer.reserve('D2')).toBe(0);
  });

  it('counts time already passed against the wait', () => {
    const c = clock();
    const pacer = new KeyedPacer(1000, c.now);
    pacer.reserve('D1');
    c.advance(400);
    expect(pacer.reserve('D1')).toBe(600);
    c.advance(5000);
    expect(pacer.reserve('D1')).toBe(0);
  });

  it('refuses a slot further than maxWaitMs without reserving it', () => {
    const c = clock();
    const pacer = new KeyedPacer(1000, c.now);
    pacer.reserve('D1');
    pacer.reserve('D1');
    expect(() => pacer.reserve('D1', 1500)).toThrow(PaceWaitTooLong);
    expect(pacer.reserve('D1')).toBe(2000);
  });

  it('never waits with a zero interval', () => {
    const pacer = new KeyedPacer(0, clock().now);
    expect([pacer.reserve('a'), pacer.reserve('a')]).toEqual([0, 0]);
  });
});
