import type { CommSpec, Offset, Plan } from '../plan/model.ts';
import { ProjectCalendar } from '../schedule/business-calendar.ts';
import type { Occurrence } from '../schedule/occurrence.ts';
import { pushOutOfQuietHours, quietWindowOf, type QuietWindow } from '../schedule/quiet-hours.ts';
import { instantToWall, wallToInstant } from '../schedule/zone-time.ts';

/**
 * Survey reminders (`survey.remind: { after, times }`) as calendar rows: for each survey message,
 * `times` reminders on the same channel, each `after` later than the one before, counted from
 * the survey message's due instant. They are ordinary occurrences of the same comm and occurrence
 * (so their buttons and links record the same answer) with a key of their own.
 */

/** What the stored data says about reminders that the plan alone cannot. */
export interface ReminderFacts {
  /** `answerKey`s of (comm, occurrence, person) already answered: no reminders for those. */
  answered?: ReadonlySet<string>;
  /** Person id → instant before which no reminder of theirs goes out (out-of-office). */
  pausedUntil?: ReadonlyMap<string, Date>;
  /** Survey message key → the instant it was actually due when sent, to count from instead. */
  sentDueAt?: ReadonlyMap<string, Date>;
  /** Survey message keys that will never go out (skipped, failed): nothing to remind of. */
  skip?: ReadonlySet<string>;
}

/** `comm#3:raj:email` → `comm#3~r1:raj:email`: the channel stays last (e-mail fallback rewrites it). */
export function reminderKey(occurrence: Pick<Occurrence, 'comm' | 'occurrence' | 'personId' | 'channel'>, n: number): string {
  return `${occurrence.comm}#${occurrence.occurrence}~r${n}:${occurrence.personId}:${occurrence.channel}`;
}

/** The identity a response has, whatever channel or reminder it came through. */
export function answerKey(comm: string, occurrence: number, personId: string): string {
  return `${comm}#${occurrence}:${personId}`;
}

const UNIT_MS = { minutes: 60_000, hours: 3_600_000 } as const;

/**
 * When the n-th reminder (n ≥ 1) of a message due at `dueAt` for a person in `zone` is due.
 * Minutes and hours are exact durations. Days, weeks and business days move the person's local
 * date of the survey message (business days on the project calendar: its working weekdays and
 * holidays) and keep its local time of day, so a 09:00 survey reminds at 09:00. The result waits
 * for `pausedUntil` and then leaves quiet hours, like every other message.
 */
export function reminderDueAt(
  calendar: ProjectCalendar,
  quiet: QuietWindow | undefined,
  zone: string,
  dueAt: number,
  after: Offset,
  n: number,
  pausedUntil?: number,
): number {
  const steps = after.amount * n;
  let at: number;
  if (after.unit === 'minutes' || after.unit === 'hours') {
    at = dueAt + steps * UNIT_MS[after.unit];
  } else {
    const { epochDay, msOfDay } = instantToWall(zone, dueAt);
    const day = after.unit === 'business days' ? calendar.addBusinessEpochDays(epochDay, steps) : epochDay + (after.unit === 'weeks' ? 7 * steps : steps);
    at = wallToInstant(zone, day, msOfDay);
  }
  if (pausedUntil !== undefined && pausedUntil > at) at = pausedUntil;
  return pushOutOfQuietHours(zone, at, quiet);
}

/** The reminders the survey messages among `occurrences` should have, given what is stored. */
export function reminderOccurrences(plan: Plan, occurrences: readonly Occurrence[], facts: ReminderFacts = {}): Occurrence[] {
  const comms = new Map<string, CommSpec>();
  for (const c of plan.comms) if (c.survey?.remind && c.survey.remind.times > 0) comms.set(c.key, c);
  if (comms.size === 0) return [];
  const calendar = new ProjectCalendar(plan.project);
  const quiet = quietWindowOf(plan.project);
  const zones = new Map(plan.people.map((p) => [p.id, p.timezone]));
  const out: Occurrence[] = [];
  for (const o of occurrences) {
    const comm = comms.get(o.comm);
    if (!comm || o.reminder !== undefined || facts.skip?.has(o.key)) continue;
    if (facts.answered?.has(answerKey(o.comm, o.occurrence, o.personId))) continue;
    const zone = zones.get(o.personId);
    if (zone === undefined) continue;
    const remind = comm.survey!.remind!;
    const from = (facts.sentDueAt?.get(o.key) ?? o.dueAt).getTime();
    const paused = facts.pausedUntil?.get(o.personId)?.getTime();
    for (let n = 1; n <= remind.times; n++) {
      const r: Occurrence = {
        ...o,
        key: reminderKey(o, n),
        dueAt: new Date(reminderDueAt(calendar, quiet, zone, from, remind.after, n, paused)),
        reminder: n,
      };
      out.push(r);
    }
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** `occurrences` (sorted by due instant, then key) with their reminders merged in, still sorted. */
export function withReminders(plan: Plan, occurrences: readonly Occurrence[], facts: ReminderFacts = {}): Occurrence[] {
  const reminders = reminderOccurrences(plan, occurrences, facts);
  if (reminders.length === 0) return [...occurrences];
  const out: Occurrence[] = [];
  let i = 0;
  let j = 0;
  while (i < occurrences.length || j < reminders.length) {
    const a = occurrences[i];
    const b = reminders[j];
    if (b === undefined || (a !== undefined && (a.dueAt.getTime() < b.dueAt.getTime() || (a.dueAt.getTime() === b.dueAt.getTime() && a.key <= b.key)))) {
      out.push(a!);
      i++;
    } else {
      out.push(b);
      j++;
    }
  }
  return out;
}
