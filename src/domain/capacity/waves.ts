import { DateTime } from 'luxon';
import type { Channel, Plan } from '../plan/model.ts';
import type { Occurrence } from '../schedule/occurrence.ts';
import { quietWindowOf, type QuietWindow } from '../schedule/quiet-hours.ts';
import { instantToWall, type ZonedWall } from '../schedule/zone-time.ts';
import type { CapacityLimits, ChannelCapacity } from './limits.ts';
import { expectedSendTimes } from './send-times.ts';

/** Messages of one channel due at the same instant, and when they are expected to leave. */
export interface Wave {
  channel: Channel;
  dueAt: number;
  count: number;
  /** Messages per comm, most first (ties in plan order). */
  comms: Array<[comm: string, count: number]>;
  /** When the first and the last message are expected to leave (epoch ms). */
  firstAt: number;
  lastAt: number;
  /** The setting whose window held the last message back, if one did. */
  heldBy?: string;
  /** The recipients' zone when they share one, else undefined. */
  zone?: string;
  /** Messages expected inside the recipient's quiet hours, and the last of them. */
  quiet: number;
  /** Messages expected on a later local day than they are due, and the last of them. */
  laterDay: number;
}

export interface CapacityWarning {
  /** The comm the warning belongs to: the wave's largest. */
  comm: string;
  message: string;
}

export interface CapacityOptions {
  now: Date;
  /** A wave whose last message leaves more than this after it is due is reported. */
  warnAfterMs: number;
}

/**
 * The send waves of a calendar, with their expected send times. Messages due before `now` are left
 * out: the re-plan skips them (or, with catchUp: send, sends them at once).
 */
export function sendWaves(plan: Plan, occurrences: readonly Occurrence[], limits: CapacityLimits, now: Date): Wave[] {
  const zoneOf = new Map(plan.people.map((p) => [p.id, p.timezone]));
  const commOrder = new Map(plan.comms.map((c, i) => [c.key, i]));
  const quiet = quietWindowOf(plan.project);
  const due = occurrences.filter((o) => o.dueAt.getTime() >= now.getTime());
  // buildCalendar already returns this order; sort only what is not in it.
  const sorted = due.every((o, i) => i === 0 || compareDue(due[i - 1]!, o) <= 0) ? due : due.sort(compareDue);
  const estimates = expectedSendTimes(
    sorted.map((o) => ({ channel: o.channel, personId: o.personId, dueAt: o.dueAt.getTime() })),
    limits,
    now.getTime(),
  );
  const wall = cachedWall();
  const waves = new Map<string, Wave & { commCounts: Map<string, number>; zones: Set<string> }>();
  sorted.forEach((o, i) => {
    const est = estimates[i]!;
    const dueAt = o.dueAt.getTime();
    const id = `${o.channel}@${dueAt}`;
    let w = waves.get(id);
    if (!w) {
      w = { channel: o.channel, dueAt, count: 0, comms: [], firstAt: est.at, lastAt: est.at, quiet: 0, laterDay: 0, commCounts: new Map(), zones: new Set() };
      waves.set(id, w);
    }
    const zone = zoneOf.get(o.personId) ?? plan.project.timezone;
    w.count++;
    w.commCounts.set(o.comm, (w.commCounts.get(o.comm) ?? 0) + 1);
    w.zones.add(zone);
    w.firstAt = Math.min(w.firstAt, est.at);
    if (est.at >= w.lastAt) {
      w.lastAt = est.at;
      if (est.heldBy === undefined) delete w.heldBy;
      else w.heldBy = est.heldBy;
    }
    if (est.at > dueAt) {
      const sent = wall(zone, est.at);
      if (inQuiet(quiet, sent.msOfDay)) w.quiet++;
      if (sent.epochDay > wall(zone, dueAt).epochDay) w.laterDay++;
    }
  });
  return [...waves.values()].map(({ commCounts, zones, ...w }) => {
    const comms = [...commCounts].sort((a, b) => b[1] - a[1] || (commOrder.get(a[0]) ?? 0) - (commOrder.get(b[0]) ?? 0));
    const zone = zones.size === 1 ? [...zones][0] : undefined;
    return zone === undefined ? { ...w, comms } : { ...w, comms, zone };
  });
}

function compareDue(a: Occurrence, b: Occurrence): number {
  return a.dueAt.getTime() - b.dueAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * instantToWall with the zone offset cached per quarter hour (clock changes fall on quarter
 * hours): a 10,000-person plan asks for ~10^5 local times in a handful of zones, and each
 * uncached offset costs an Intl lookup (4.7 s CPU for the bench plan without the cache).
 */
function cachedWall(): (zone: string, instant: number) => ZonedWall {
  const offsets = new Map<string, number>();
  return (zone, instant) => {
    const bucket = `${zone}|${Math.floor(instant / 900_000)}`;
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      const w = instantToWall(zone, instant);
      offset = w.epochDay * 86_400_000 + w.msOfDay - instant;
      offsets.set(bucket, offset);
    }
    const local = instant + offset;
    const epochDay = Math.floor(local / 86_400_000);
    return { epochDay, msOfDay: local - epochDay * 86_400_000 };
  };
}

function inQuiet(w: QuietWindow | undefined, msOfDay: number): boolean {
  if (!w) return false;
  return w.start < w.end ? msOfDay >= w.start && msOfDay < w.end : msOfDay >= w.start || msOfDay < w.end;
}

/**
 * Warnings for waves that take longer than `warnAfterMs`, reach into quiet hours or slip to a
 * later day. One warning per comm and channel, for its worst wave, so a daily comm to thousands of
 * people does not print a line per day.
 */
export function capacityWarnings(plan: Plan, occurrences: readonly Occurrence[], limits: CapacityLimits, opts: CapacityOptions): CapacityWarning[] {
  const flagged = sendWaves(plan, occurrences, limits, opts.now).filter((w) => w.lastAt - w.dueAt > opts.warnAfterMs || w.quiet > 0 || w.laterDay > 0);
  const byComm = new Map<string, Wave[]>();
  for (const w of flagged) {
    const id = `${w.comms[0]![0]}\u0000${w.channel}`;
    const list = byComm.get(id);
    if (list) list.push(w);
    else byComm.set(id, [w]);
  }
  const commOrder = new Map(plan.comms.map((c, i) => [c.key, i]));
  const out = [...byComm.values()].map((list) => {
    const worst = list.reduce((a, b) => (b.lastAt - b.dueAt > a.lastAt - a.dueAt ? b : a));
    const more = list.length - 1;
    const tail = more > 0 ? ` (${more} more ${more === 1 ? 'wave' : 'waves'} of this comm ${more === 1 ? 'has' : 'have'} the same problem)` : '';
    return {
      comm: worst.comms[0]![0],
      message: describeWave(worst, limits[worst.channel], plan.project.timezone, opts.warnAfterMs) + tail,
      order: worst.dueAt,
    };
  });
  return out.sort((a, b) => (commOrder.get(a.comm) ?? 0) - (commOrder.get(b.comm) ?? 0) || a.order - b.order).map(({ comm, message }) => ({ comm, message }));
}

/** "400 emails due Fri 8 Jan 2027 09:00 America/Chicago go out at 30 a minute …: the last leaves at 09:13 CST …" */
export function describeWave(w: Wave, cap: ChannelCapacity, projectZone: string, warnAfterMs: number): string {
  const zone = w.zone ?? projectZone;
  const due = DateTime.fromMillis(w.dueAt, { zone });
  const last = DateTime.fromMillis(w.lastAt, { zone });
  const sameDay = due.hasSame(last, 'day');
  const noun = w.channel === 'email' ? (w.count === 1 ? 'email' : 'emails') : w.count === 1 ? 'Slack message' : 'Slack messages';
  const others =
    w.comms.length > 1
      ? ` (with ${w.comms
          .slice(1)
          .map(([c, n]) => `${n} of ${c}`)
          .join(', ')})`
      : '';
  const limit = cap.windows.find((x) => x.setting === w.heldBy) ?? cap.windows[0];
  const rate = limit ? `${rateText(limit.max, limit.ms)} (${limit.setting})` : 'the channel limit';
  const parts = [
    `${w.count} ${noun} due ${due.toFormat('ccc d LLL yyyy HH:mm')} ${zone}${others} go out at ${rate}: ` +
      `the last leaves at ${last.toFormat(sameDay ? 'HH:mm ZZZZ' : 'ccc d LLL HH:mm ZZZZ')}, ${duration(w.lastAt - w.dueAt)} after it is due`,
  ];
  if (w.firstAt > w.dueAt) parts.push(`the wave waits ${duration(w.firstAt - w.dueAt)} behind messages due before it`);
  if (w.lastAt - w.dueAt > warnAfterMs) parts.push(`longer than the ${duration(warnAfterMs)} warning threshold (CAPACITY_WARN_MINUTES)`);
  if (w.quiet > 0) parts.push(`${w.quiet} of them ${w.quiet === 1 ? 'leaves' : 'leave'} inside the recipients' quiet hours`);
  if (w.laterDay > 0) parts.push(`${w.laterDay} of them ${w.laterDay === 1 ? 'leaves' : 'leave'} on a later day than due`);
  return `${parts.join('; ')}; spread the comm over more send times or raise the limit if your provider allows it`;
}

function rateText(max: number, ms: number): string {
  return ms === 86_400_000 ? `${max.toLocaleString('en-US')} a day` : ms === 60_000 ? `${max.toLocaleString('en-US')} a minute` : `${max} per ${duration(ms)}`;
}

/** 13 min, 2 h 5 min, 1 d 3 h: whole minutes, rounded down, as a PM reads a clock. */
export function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.floor(ms / 1000)} s`;
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}
