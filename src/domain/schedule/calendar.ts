import type { Channel, CommSpec, PersonSpec, Plan } from '../plan/model.ts';
import { NotFoundError } from '../errors.ts';
import { channelsFor, recipientsOf } from '../audience.ts';
import { ProjectCalendar } from './business-calendar.ts';
import { occurrenceKey, type Occurrence } from './occurrence.ts';
import { pushOutOfQuietHours, quietWindowOf, type QuietWindow } from './quiet-hours.ts';
import { scheduleSlots, type Slot, type SlotAt } from './schedule-slots.ts';
import { wallToInstant } from './zone-time.ts';

export interface BuildCalendarOptions {
  /**
   * The clock reading the calendar is built at. Every occurrence is returned, past ones included:
   * the caller applies the plan's `catchUp` policy by comparing `dueAt` with `now`.
   */
  now: Date;
  /** Only these comms (keys); default all scheduled comms. */
  comms?: readonly string[];
}

/** The milestones whose moves change this comm: its schedule's at/from/until, or its trigger's. */
export function commMilestones(comm: CommSpec): string[] {
  const keys: string[] = [];
  const s = comm.schedule;
  if (s) {
    if (s.type === 'recurring') {
      for (const ref of [s.from, s.until]) if ('milestone' in ref) keys.push(ref.milestone);
    } else {
      keys.push(s.at);
    }
  } else if (comm.trigger && comm.trigger.type !== 'manual') {
    keys.push(comm.trigger.milestone);
  }
  return [...new Set(keys)];
}

/**
 * Resolves due instants per recipient zone, caching by (zone, slot) so that thousands of recipients in
 * a handful of zones cost a handful of time-zone computations.
 */
class DueResolver {
  private readonly cache = new Map<string, number>();
  private readonly quiet: QuietWindow | undefined;
  constructor(quiet: QuietWindow | undefined) {
    this.quiet = quiet;
  }

  resolve(zone: string, at: SlotAt): number {
    const key = at.kind === 'person' ? `${zone}|${at.epochDay}|${at.msOfDay}` : `${zone}@${at.instant}`;
    let due = this.cache.get(key);
    if (due === undefined) {
      const raw = at.kind === 'person' ? wallToInstant(zone, at.epochDay, at.msOfDay) : at.instant;
      due = pushOutOfQuietHours(zone, raw, this.quiet);
      this.cache.set(key, due);
    }
    return due;
  }
}

function compareOccurrences(a: Occurrence, b: Occurrence): number {
  return a.dueAt.getTime() - b.dueAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders occurrences by due instant, then key. When keys are emitted in key order (see
 * `occurrencesOf`), grouping by instant keeps that order and avoids comparing ~10^5 keys.
 */
function sortByDue(occurrences: Occurrence[], emittedInKeyOrder: boolean): Occurrence[] {
  if (!emittedInKeyOrder) return occurrences.sort(compareOccurrences);
  const groups = new Map<number, Occurrence[]>();
  for (const o of occurrences) {
    const t = o.dueAt.getTime();
    const group = groups.get(t);
    if (group) group.push(o);
    else groups.set(t, [o]);
  }
  const out: Occurrence[] = [];
  for (const t of [...groups.keys()].sort((a, b) => a - b)) for (const o of groups.get(t) as Occurrence[]) out.push(o);
  return out;
}

/**
 * `occurrenceKey` joins comm, index, person and channel as `comm#index:person:channel`. When no comm
 * key holds '#' and no person id holds ':', the parts with their separators (`comm#`, `index:`,
 * `person:`) are prefix-free, so emitting in the order of those parts emits in key order.
 */
function partsSortLikeKeys(comms: readonly CommSpec[], people: readonly PersonSpec[]): boolean {
  return comms.every((c) => !c.key.includes('#')) && people.every((p) => !p.id.includes(':'));
}

function findComm(plan: Plan, key: string): CommSpec {
  const comm = plan.comms.find((c) => c.key === key);
  if (!comm) throw new NotFoundError(`comm "${key}"`, `known comms: ${plan.comms.map((c) => c.key).join(', ')}`);
  return comm;
}

/** Appends the comm's occurrences in key order (given people sorted by id). */
function occurrencesOf(
  people: readonly PersonSpec[],
  comm: CommSpec,
  slots: readonly Slot[],
  milestones: string[],
  resolver: DueResolver,
  out: Occurrence[],
): void {
  // Shared by all of the comm's occurrences; frozen so that no caller can change it for the others.
  Object.freeze(milestones);
  const recipients = recipientsOf({ people }, comm);
  const channelsOf = recipients.map((p) => channelsFor(p, comm).sort(byString));
  const ordered = slots.map((slot, i) => ({ slot, i, sortKey: `${slot.index}:` })).sort((a, b) => byString(a.sortKey, b.sortKey));
  const byZone = new Map<string, number[]>();
  const duesOf = (zone: string): number[] => {
    let dues = byZone.get(zone);
    if (!dues) {
      dues = slots.map((s) => resolver.resolve(zone, s.at));
      byZone.set(zone, dues);
    }
    return dues;
  };
  for (const { slot, i } of ordered) {
    for (let p = 0; p < recipients.length; p++) {
      const person = recipients[p] as PersonSpec;
      const channels = channelsOf[p] as Channel[];
      if (channels.length === 0) continue;
      const due = duesOf(person.timezone)[i] as number;
      for (const channel of channels) {
        const occ: Occurrence = {
          key: occurrenceKey(comm.key, slot.index, person.id, channel),
          comm: comm.key,
          occurrence: slot.index,
          personId: person.id,
          channel,
          dueAt: new Date(due),
          milestones,
        };
        if (slot.seriesItem !== undefined) occ.seriesItem = slot.seriesItem;
        out.push(occ);
      }
    }
  }
}

function peopleById(plan: Plan): PersonSpec[] {
  return plan.people.slice().sort((a, b) => byString(`${a.id}:`, `${b.id}:`));
}

/**
 * Every occurrence of the plan's scheduled comms (or of `opts.comms`): one per occurrence, recipient
 * and channel, sorted by due instant then key. Triggered comms produce none here.
 */
export function buildCalendar(plan: Plan, opts: BuildCalendarOptions): Occurrence[] {
  const selected = opts.comms ? opts.comms.map((k) => findComm(plan, k)) : plan.comms;
  const comms = [...new Set(selected)].filter((c) => c.schedule).sort((a, b) => byString(`${a.key}#`, `${b.key}#`));
  const calendar = new ProjectCalendar(plan.project);
  const resolver = new DueResolver(quietWindowOf(plan.project));
  const people = peopleById(plan);
  const out: Occurrence[] = [];
  for (const comm of comms) occurrencesOf(people, comm, scheduleSlots(plan, comm, calendar), commMilestones(comm), resolver, out);
  return sortByDue(out, partsSortLikeKeys(comms, people));
}

/**
 * A triggered firing (milestone moved or done, or `herald send`): every recipient and channel of the
 * comm at `at`, moved out of each recipient's quiet hours, all with occurrence index `occurrence`.
 */
export function triggeredOccurrences(plan: Plan, commKey: string, at: Date, occurrence: number): Occurrence[] {
  const comm = findComm(plan, commKey);
  const milestones = comm.trigger && comm.trigger.type !== 'manual' ? [comm.trigger.milestone] : [];
  const out: Occurrence[] = [];
  const slot: Slot = { index: occurrence, at: { kind: 'instant', instant: at.getTime() } };
  const people = peopleById(plan);
  occurrencesOf(people, comm, [slot], milestones, new DueResolver(quietWindowOf(plan.project)), out);
  return sortByDue(out, partsSortLikeKeys([comm], people));
}
