import { describe, expect, it } from 'vitest';
import { demoClock } from '../../../src/demo/demo-clock.ts';
import { anchorDemoPlan } from '../../../src/demo/demo-plan.ts';

describe('demo clock', () => {
  it('holds at its start until started, then runs speed times faster than the wall clock', () => {
    let wall = 1_000_000;
    const start = new Date('2026-12-02T10:00:00Z');
    const clock = demoClock(start, 30, () => wall);
    wall += 5_000;
    expect(clock.now().toISOString()).toBe('2026-12-02T10:00:00.000Z');
    clock.start();
    wall += 2_000;
    expect(clock.now().toISOString()).toBe('2026-12-02T10:01:00.000Z');
    clock.start(); // a second start changes nothing
    wall += 1_000;
    expect(clock.now().toISOString()).toBe('2026-12-02T10:01:30.000Z');
  });

  it('turns a wall-clock stamp into demo time, so sandbox records line up with the story', () => {
    let wall = 1_000_000;
    const clock = demoClock(new Date('2026-12-02T10:00:00Z'), 30, () => wall);
    expect(clock.at(wall + 60_000).toISOString()).toBe('2026-12-02T10:00:00.000Z'); // not started: held
    clock.start();
    expect(clock.at(wall + 4_000).toISOString()).toBe('2026-12-02T10:02:00.000Z');
    expect(clock.at(wall - 10_000).toISOString()).toBe('2026-12-02T10:00:00.000Z'); // before the start
    wall += 3_000;
    expect(clock.at(wall).toISOString()).toBe(clock.now().toISOString());
  });
});

describe('demo plan anchoring', () => {
  it('replaces @T+N@ with the start plus N minutes as a UTC local time', () => {
    const text = 'kickoff: { at: "@T+1@" }\nend: { at: "@T+1440@" }';
    expect(anchorDemoPlan(text, new Date('2026-12-31T23:30:00Z'))).toBe('kickoff: { at: "2026-12-31T23:31" }\nend: { at: "2027-01-01T23:30" }');
  });
});
