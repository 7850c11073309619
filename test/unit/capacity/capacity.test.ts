import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { capacityLimits, type CapacityLimits } from '../../../src/domain/capacity/limits.ts';
import { expectedSendTimes, type QueuedSend } from '../../../src/domain/capacity/send-times.ts';
import { capacityWarnings, duration, sendWaves } from '../../../src/domain/capacity/waves.ts';
import type { Channel, Plan } from '../../../src/domain/plan/model.ts';
import { occurrenceKey, type Occurrence } from '../../../src/domain/schedule/occurrence.ts';

const ZONE = 'America/Chicago';
const NOW = new Date('2027-01-01T00:00:00Z');
const limits = (over: Partial<Parameters<typeof capacityLimits>[0]> = {}): CapacityLimits =>
  capacityLimits({ EMAIL_RATE_PER_MINUTE: 30, EMAIL_RECIPIENTS_PER_DAY: 10_000, SLACK_WORKSPACE_RATE_PER_MINUTE: 300, ...over });
const local = (iso: string): Date => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();
const clock = (ms: number): string => DateTime.fromMillis(ms, { zone: ZONE }).toFormat('ccc HH:mm:ss');

function plan(people: number, quietHours?: { start: string; end: string }): Plan {
  return {
    project: {
      key: 'p',
      name: 'P',
      timezone: ZONE,
      businessDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
      holidays: { extra: [] },
      catchUp: 'skip',
      sender: {},
      ...(quietHours ? { quietHours } : {}),
    },
    milestones: [],
    workstreams: [],
    audiences: [{ key: 'all' }],
    people: Array.from({ length: people }, (_, i) => ({
      id: `p${String(i).padStart(5, '0')}`,
      name: `P ${i}`,
      email: `p${i}@x.example`,
      timezone: ZONE,
      audiences: ['all'],
      locale: 'en-US',
    })),
    comms: ['notice', 'reminder'].map((key) => ({
      key,
      kind: 'announcement',
      audiences: ['all'],
      channels: ['email'],
      template: 'announcement',
      data: {},
      optional: false,
    })),
  };
}

/** `count` messages of `comm` due at `at`, to the first `count` people. */
function wave(comm: string, at: Date, count: number, channel: Channel = 'email', occurrence = 0): Occurrence[] {
  return Array.from({ length: count }, (_, i) => {
    const personId = `p${String(i).padStart(5, '0')}`;
    return { key: occurrenceKey(comm, occurrence, personId, channel), comm, occurrence, personId, channel, dueAt: at, milestones: [], explain: [] };
  });
}

const sends = (occ: readonly Occurrence[]): QueuedSend[] => occ.map((o) => ({ channel: o.channel, personId: o.personId, dueAt: o.dueAt.getTime() }));

describe('expected send times', () => {
  it('400 emails due at 09:00 through a mailbox that allows 30 a minute: the last one leaves at 09:13', () => {
    const at = expectedSendTimes(sends(wave('notice', local('2027-01-08T09:00'), 400)), limits());
    expect(clock(at[0]!.at)).toBe('Fri 09:00:00');
    expect(clock(at[29]!.at)).toBe('Fri 09:00:00');
    expect(clock(at[30]!.at)).toBe('Fri 09:01:00');
    expect(clock(at[399]!.at)).toBe('Fri 09:13:00');
    expect(at[399]!.heldBy).toBe('EMAIL_RATE_PER_MINUTE');
  });

  it('a burst within the allowance leaves at once', () => {
    const at = expectedSendTimes(sends(wave('notice', local('2027-01-08T09:00'), 10)), limits());
    expect(at.every((e) => clock(e.at) === 'Fri 09:00:00' && e.heldBy === undefined)).toBe(true);
  });

  it('a wave due while an earlier one is still draining queues behind it', () => {
    const first = wave('notice', local('2027-01-08T09:00'), 400);
    const second = wave('reminder', local('2027-01-08T09:05'), 100);
    const at = expectedSendTimes(sends([...first, ...second]), limits());
    // The 09:00 wave holds the mailbox until 09:13; the 09:05 wave takes the rest of that minute, then 30 a minute.
    expect(clock(at[400]!.at)).toBe('Fri 09:13:00');
    expect(clock(at[499]!.at)).toBe('Fri 09:16:00');
  });

  it('each sender mailbox has its own allowance: 60 e-mails from two mailboxes all leave at 09:00, from one the last 30 at 09:01', () => {
    const occ = sends(wave('notice', local('2027-01-08T09:00'), 60));
    const twoMailboxes = expectedSendTimes(
      occ.map((s, i) => ({ ...s, pool: i % 2 ? 'pmo@contoso.example' : 'it-pmo@northwind.example' })),
      limits(),
    );
    expect(twoMailboxes.every((e) => clock(e.at) === 'Fri 09:00:00')).toBe(true);
    const oneMailbox = expectedSendTimes(
      occ.map((s) => ({ ...s, pool: 'it-pmo@northwind.example' })),
      limits(),
    );
    expect(clock(oneMailbox[59]!.at)).toBe('Fri 09:01:00');
  });

  it('the daily cap pushes what is over it to the next day', () => {
    const at = expectedSendTimes(sends(wave('notice', local('2027-01-08T09:00'), 101)), limits({ EMAIL_RATE_PER_MINUTE: 1000, EMAIL_RECIPIENTS_PER_DAY: 100 }));
    expect(clock(at[99]!.at)).toBe('Fri 09:00:00');
    expect(clock(at[100]!.at)).toBe('Sat 09:00:00');
    expect(at[100]!.heldBy).toBe('EMAIL_RECIPIENTS_PER_DAY');
  });

  it('Slack keeps to the workspace rate and to one message a second per conversation, without holding up others', () => {
    const nine = local('2027-01-08T09:00');
    const notices = wave('notice', nine, 599, 'slack');
    // p00000 gets both comms, one after the other in the queue.
    const occ = [notices[0]!, ...wave('reminder', nine, 1, 'slack'), ...notices.slice(1)];
    const at = expectedSendTimes(sends(occ), limits());
    expect(clock(Math.max(...at.map((e) => e.at)))).toBe('Fri 09:01:00');
    // The second one a second after the first.
    const own = occ.flatMap((o, i) => (o.personId === 'p00000' ? [at[i]!.at] : []));
    expect(own[1]! - own[0]!).toBe(1000);
  });

  it('never before due or before now, never above any window, and in due order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ due: fc.integer({ min: 0, max: 600_000 }), person: fc.integer({ min: 0, max: 5 }), channel: fc.constantFrom<Channel>('email', 'slack') }),
          { maxLength: 200 },
        ),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 300_000 }),
        (raw, perMinute, now) => {
          const input = raw.map((r) => ({ channel: r.channel, personId: `p${r.person}`, dueAt: r.due })).sort((a, b) => a.dueAt - b.dueAt);
          const lim = limits({ EMAIL_RATE_PER_MINUTE: perMinute, SLACK_WORKSPACE_RATE_PER_MINUTE: perMinute, EMAIL_RECIPIENTS_PER_DAY: perMinute * 3 });
          const out = expectedSendTimes(input, lim, now);
          for (const ch of ['email', 'slack'] as const) {
            const times = input.flatMap((s, i) => (s.channel === ch ? [out[i]!.at] : []));
            // Slack's per-conversation pacing may move a send after the one behind it; windows count queue slots.
            if (ch === 'email') for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
            const sorted = [...times].sort((a, b) => a - b);
            if (ch === 'email') {
              for (let i = perMinute; i < sorted.length; i++) expect(sorted[i]! - sorted[i - perMinute]!).toBeGreaterThanOrEqual(60_000);
              for (let i = perMinute * 3; i < sorted.length; i++) expect(sorted[i]! - sorted[i - perMinute * 3]!).toBeGreaterThanOrEqual(86_400_000);
            }
          }
          input.forEach((s, i) => expect(out[i]!.at).toBeGreaterThanOrEqual(Math.max(s.dueAt, now)));
        },
      ),
    );
  });
});

describe('capacity warnings', () => {
  const opts = { now: NOW, warnAfterMs: 10 * 60_000 };

  it('warns about a wave that drains for longer than the threshold, naming the limit and the last send', () => {
    const w = capacityWarnings(plan(400), wave('notice', local('2027-01-08T09:00'), 400), limits(), opts);
    expect(w).toEqual([
      {
        comm: 'notice',
        message: expect.stringContaining(
          '400 emails due Fri 8 Jan 2027 09:00 America/Chicago go out at 30 a minute (EMAIL_RATE_PER_MINUTE): the last leaves at 09:13 CST, 13 min after it is due; longer than the 10 min warning threshold',
        ),
      },
    ]);
  });

  it('says nothing about a wave that drains within the threshold, or one already past', () => {
    expect(capacityWarnings(plan(300), wave('notice', local('2027-01-08T09:00'), 300), limits(), opts)).toEqual([]);
    expect(capacityWarnings(plan(400), wave('notice', local('2026-12-08T09:00'), 400), limits(), opts)).toEqual([]);
  });

  it('a wave that queues behind an earlier one says how long it waits', () => {
    const occ = [...wave('notice', local('2027-01-08T09:00'), 400), ...wave('reminder', local('2027-01-08T09:05'), 100)];
    const w = capacityWarnings(plan(400), occ, limits(), opts);
    expect(w.map((x) => x.comm)).toEqual(['notice', 'reminder']);
    expect(w[1]!.message).toContain('100 emails due Fri 8 Jan 2027 09:05 America/Chicago');
    expect(w[1]!.message).toContain('the last leaves at 09:16 CST, 11 min after it is due; the wave waits 8 min behind messages due before it');
  });

  it('warns when sends are pushed into quiet hours', () => {
    const w = capacityWarnings(plan(400, { start: '19:00', end: '08:00' }), wave('notice', local('2027-01-08T18:55'), 200), limits(), opts);
    // 30 a minute from 18:55: 150 leave by 18:59, the other 50 at 19:00 and 19:01.
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toContain('the last leaves at 19:01 CST, 6 min after it is due');
    expect(w[0]!.message).toContain("50 of them leave inside the recipients' quiet hours");
    expect(w[0]!.message).not.toContain('warning threshold');
  });

  it('warns when the daily cap pushes sends past the day they are due', () => {
    const w = capacityWarnings(
      plan(101),
      wave('notice', local('2027-01-08T09:00'), 101),
      limits({ EMAIL_RATE_PER_MINUTE: 1000, EMAIL_RECIPIENTS_PER_DAY: 100 }),
      opts,
    );
    expect(w[0]!.message).toContain('go out at 100 a day (EMAIL_RECIPIENTS_PER_DAY): the last leaves at Sat 9 Jan 09:00 CST, 1 d after it is due');
    expect(w[0]!.message).toContain('1 of them leaves on a later day than due');
  });

  it('reports one warning per comm, for its worst wave', () => {
    const occ = [...wave('notice', local('2027-01-08T09:00'), 400), ...wave('notice', local('2027-01-11T09:00'), 350, 'email', 1)];
    const w = capacityWarnings(plan(400), occ, limits(), opts);
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toContain('400 emails due Fri 8 Jan');
    expect(w[0]!.message).toContain('(1 more wave of this comm has the same problem)');
  });

  it('groups a wave by channel and instant, counting each comm in it', () => {
    const nine = local('2027-01-08T09:00');
    const waves = sendWaves(plan(50), [...wave('notice', nine, 50), ...wave('reminder', nine, 20), ...wave('notice', nine, 50, 'slack')], limits(), NOW);
    expect(waves.map((w) => [w.channel, w.count, w.comms])).toEqual([
      [
        'email',
        70,
        [
          ['notice', 50],
          ['reminder', 20],
        ],
      ],
      ['slack', 50, [['notice', 50]]],
    ]);
  });

  it('durations read as a PM reads a clock', () => {
    expect(duration(13 * 60_000 + 59_000)).toBe('13 min');
    expect(duration(125 * 60_000)).toBe('2 h 5 min');
    expect(duration(86_400_000 + 3 * 3_600_000)).toBe('1 d 3 h');
    expect(duration(42_000)).toBe('42 s');
  });
});
