import type { CommSpec, Every } from '../plan/model.ts';
import type { ProjectCalendar } from './business-calendar.ts';
import { allows, type Blackout } from './blackouts.ts';
import { dayText, hhmm, isoDay, localIso, localText, step, utcTime, type ExplainStep } from './explain.ts';
import { pushOutOfQuietHours, type QuietWindow } from './quiet-hours.ts';
import type { RecipientDays } from './recipient-days.ts';
import type { Slot, SlotAt } from './schedule-slots.ts';
import { instantToWall, wallToInstant } from './zone-time.ts';

/** What applies to one comm's messages, beyond the project calendar. */
export interface Policy {
  comm: Pick<CommSpec, 'key' | 'kind'>;
  projectCalendar: ProjectCalendar;
  blackouts: readonly Blackout[];
  quiet: QuietWindow | undefined;
  /** Set for time-critical comms (urgent, milestone-moved): recipient days and blackouts do not apply. */
  exempt?: string;
}

/** A message's due instant and the rules that placed it. */
export interface Placed {
  due: number;
  explain: ExplainStep[];
}

/** Moves are bounded: each pass either settles or moves forward past a day off, window or quiet time. */
const MAX_PASSES = 12;

function quietText(q: QuietWindow): string {
  return `quiet hours ${hhmm(q.start)}–${hhmm(q.end)} local`;
}

/** The instant a slot is at in `zone`, with the local-time (and clock-change) steps. */
function localTime(at: SlotAt, zone: string, chain: ExplainStep[]): number {
  if (at.kind === 'instant') {
    const t = at.instant;
    chain.push(
      step('local-time', null, localIso(t, zone), `no time given, so the same instant for everyone: ${localText(t, zone)} in ${zone} (${utcTime(t)} UTC)`),
    );
    return t;
  }
  const t = wallToInstant(zone, at.epochDay, at.msOfDay);
  chain.push(step('local-time', null, localIso(t, zone), `${hhmm(at.msOfDay)} in ${zone} (${utcTime(t)} UTC)`));
  const got = instantToWall(zone, t);
  if (got.epochDay !== at.epochDay || got.msOfDay !== at.msOfDay) {
    chain.push(
      step(
        'clock-change',
        null,
        localIso(t, zone),
        `${hhmm(at.msOfDay)} does not exist in ${zone} on ${dayText(at.epochDay)} (the clocks skip it) → ${hhmm(got.msOfDay)}`,
      ),
    );
  }
  return t;
}

function containing(policy: Policy, t: number): { blocking?: Blackout; allowed?: Blackout } {
  let allowed: Blackout | undefined;
  for (const b of policy.blackouts) {
    if (t < b.from || t >= b.to) continue;
    if (!allows(b, policy.comm)) return { blocking: b };
    allowed ??= b;
  }
  return { allowed };
}

function allowedNote(b: Blackout): ExplainStep {
  return step('blackout', null, null, `inside blackout "${b.label}" (${b.text}) but allowed there`);
}

/**
 * Applies recipient days, blackouts and quiet hours until none moves the message (a push out of
 * quiet hours can land on a day off, the end of a window inside quiet hours, and so on).
 * `notes` adds the checks that changed nothing on the first pass, so the chain shows them too.
 */
function settle(t0: number, zone: string, policy: Policy, days: RecipientDays | undefined, chain: ExplainStep[], notes: boolean): number {
  let t = t0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const first = pass === 0 && notes;
    let moved = false;
    if (days && policy.exempt === undefined) {
      const { epochDay, msOfDay } = instantToWall(zone, t);
      if (!days.isWorking(epochDay)) {
        const next = days.nextWorking(epochDay + 1);
        const nt = wallToInstant(zone, next, msOfDay);
        chain.push(
          step(
            'recipient-calendar',
            localIso(t, zone),
            localIso(nt, zone),
            `${dayText(epochDay)} is ${days.whyOff(epochDay)} → next working day ${dayText(next)}, same local time`,
          ),
        );
        t = nt;
        moved = true;
      } else if (first) {
        chain.push(step('recipient-calendar', null, null, `${dayText(epochDay)} is not a holiday or day off for the recipient (${days.describe})`));
      }
    }
    if (policy.exempt === undefined && policy.blackouts.length > 0) {
      const hit = containing(policy, t);
      if (hit.blocking) {
        const b = hit.blocking;
        chain.push(step('blackout', localIso(t, zone), localIso(b.to, zone), `inside blackout "${b.label}" (${b.text}) → moved to its end`));
        t = b.to;
        moved = true;
      } else if (first) {
        chain.push(hit.allowed ? allowedNote(hit.allowed) : step('blackout', null, null, 'outside every blackout'));
      }
    }
    if (policy.quiet) {
      const q = pushOutOfQuietHours(zone, t, policy.quiet);
      if (q !== t) {
        chain.push(
          step(
            'quiet-hours',
            localIso(t, zone),
            localIso(q, zone),
            `${hhmm(instantToWall(zone, t).msOfDay)} is inside ${quietText(policy.quiet)} → ${localText(q, zone)}`,
          ),
        );
        t = q;
        moved = true;
      } else if (pass === 0) {
        chain.push(step('quiet-hours', null, null, `outside ${quietText(policy.quiet)}`));
      }
    }
    if (!moved) break;
  }
  return t;
}

function exemptStep(policy: Policy, chain: ExplainStep[]): void {
  if (policy.exempt !== undefined)
    chain.push(step('urgent', null, null, `${policy.exempt}: recipient holidays, days off and blackouts do not apply (quiet hours still do)`));
}

/** One message on its own: its slot's instant for the recipient, then every rule in turn. */
export function placeSingle(slot: Slot, zone: string, policy: Policy, days: RecipientDays | undefined): Placed {
  const chain = [...slot.explain];
  const t = localTime(slot.at, zone, chain);
  exemptStep(policy, chain);
  return { due: settle(t, zone, policy, days, chain, true), explain: chain };
}

/** Whether a comm's steps must be counted per recipient rather than taken from the project calendar. */
export function needsOwnSteps(policy: Policy, days: RecipientDays | undefined, slots: readonly Slot[]): boolean {
  if (policy.exempt !== undefined || slots.length < 2) return false;
  if (days) return true;
  return policy.blackouts.some((b) => !allows(b, policy.comm));
}

/**
 * A stepped series for one recipient, step after step: a step on the recipient's day off, or inside a
 * blackout, is taken on the next allowed day and the later steps follow from there, so no two steps
 * ever share one of the recipient's days. Business-day steps count the recipient's own working days
 * (the project calendar's when the recipient rule is off); day, week and month steps keep their
 * project-calendar spacing unless an earlier step was pushed onto or past them.
 */
export function placeSteps(slots: readonly Slot[], every: Every, zone: string, policy: Policy, days: RecipientDays | undefined): Placed[] {
  const first = slots[0] as Slot;
  const personFrame = first.at.kind === 'person';
  // Steps are counted in the recipient's local days when times are theirs (or their days are), else in the project's.
  const frame = personFrame || days ? zone : policy.projectCalendar.zone;
  const base = first.at.kind === 'person' ? { epochDay: first.at.epochDay, msOfDay: first.at.msOfDay } : instantToWall(frame, first.at.instant);
  const cal = policy.projectCalendar;
  const counter = { next: (d: number) => (days ? days.nextWorking(d) : cal.nextBusinessEpochDayOnOrAfter(d)) };
  const where = days ? "the recipient's working days" : 'the project calendar';
  const out: Placed[] = [];
  let prev = base.epochDay;
  let lastDue: number | undefined;
  slots.forEach((slot, k) => {
    const chain = k === 0 ? [...slot.explain] : slot.explain.filter((s) => s.rule !== 'step');
    let day: number;
    if (k === 0) day = base.epochDay;
    else if (every.unit === 'business day') {
      day = prev;
      for (let i = 0; i < every.n; i++) day = counter.next(day + 1);
      chain.push(
        step(
          'step',
          isoDay(prev),
          isoDay(day),
          `step ${k}: ${every.n} business day${every.n === 1 ? '' : 's'} after the previous step, counted on ${where} = ${dayText(day)}`,
        ),
      );
    } else {
      const nominal = base.epochDay + (slot.day - first.day);
      day = Math.max(nominal, prev + 1);
      const why = day === nominal ? '' : ', the day after the previous step';
      chain.push(step('step', isoDay(prev), isoDay(day), `step ${k}: every ${every.raw} = ${dayText(day)}${why}`));
    }
    const at: SlotAt = { kind: 'person', epochDay: day, msOfDay: base.msOfDay };
    let t = localTime(personFrame ? at : { kind: 'instant', instant: wallToInstant(frame, day, base.msOfDay) }, zone, chain);
    let noted = false;
    // Each pass moves at least one day forward; a window or a run of days off is at most about a year.
    for (let pass = 0; pass < 400; pass++) {
      if (days && !days.isWorking(day)) {
        const next = days.nextWorking(day + 1);
        chain.push(
          step(
            'recipient-calendar',
            isoDay(day),
            isoDay(next),
            `${dayText(day)} is ${days.whyOff(day)} → the step is taken on the next working day, ${dayText(next)}, same local time`,
          ),
        );
        day = next;
      } else {
        const hit = containing(policy, wallToInstant(frame, day, base.msOfDay));
        if (!noted && days)
          chain.push(step('recipient-calendar', null, null, `${dayText(day)} is not a holiday or day off for the recipient (${days.describe})`));
        if (!hit.blocking) {
          if (!noted && policy.blackouts.length > 0)
            chain.push(hit.allowed ? allowedNote(hit.allowed) : step('blackout', null, null, 'outside every blackout'));
          const settled = [...chain];
          const due = settle(wallToInstant(frame, day, base.msOfDay), zone, policy, days, settled, false);
          // Quiet hours (or a window's end) can carry a step onto the day the previous one reached: take the next day instead.
          if (lastDue === undefined || instantToWall(zone, due).epochDay > instantToWall(zone, lastDue).epochDay) {
            t = due;
            chain.splice(0, chain.length, ...settled);
            break;
          }
          const next = counter.next(day + 1);
          chain.push(step('step', isoDay(day), isoDay(next), `${dayText(day)} would reach the day of the previous step after quiet hours → ${dayText(next)}`));
          day = next;
          noted = true;
          continue;
        }
        // The first day whose step time is at or after the window's end, then the next allowed one.
        const end = instantToWall(frame, hit.blocking.to);
        const after = Math.max(day + 1, end.msOfDay <= base.msOfDay ? end.epochDay : end.epochDay + 1);
        const next = !days && every.unit === 'day' ? after : counter.next(after);
        chain.push(
          step(
            'blackout',
            isoDay(day),
            isoDay(next),
            `inside blackout "${hit.blocking.label}" (${hit.blocking.text})` +
              ` → the step is taken on the next allowed day, ${dayText(next)}, and later steps follow`,
          ),
        );
        day = next;
      }
      noted = true;
    }
    prev = day;
    lastDue = t;
    out.push({ due: t, explain: chain });
  });
  return out;
}
