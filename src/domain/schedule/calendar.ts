import type { CommSpec, Plan } from '../plan/model.ts';
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
  constructor(private readonly quiet: QuietWindow | undefined) {}

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

function findComm(plan: Plan, key: string): CommSpec {
  const comm = plan.comms.find((c) => c.key === key);
  if (!comm) throw new NotFoundError(`comm "${key}"`, `known comms: ${plan.comms.map((c) => c.key).join(', ')}`);
  return comm;
}

function occurrencesOf(plan: Plan, comm: CommSpec, slots: readonly Slot[], milestones: readonly string[], resolver: DueResolver, out: Occurrence[]): void {
  const byZone = new Map<string, number[]>();
  for (const person of recipientsOf(plan, comm)) {
    const channels = channelsFor(person, comm);
    if (channels.length === 0) continue;
    let dues = byZone.get(person.timezone);
    if (!dues) {
      dues = slots.map((s) => resolver.resolve(person.timezone, s.at));
      byZone.set(person.timezone, dues);
    }
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as Slot;
      const due = dues[i] as number;
      for (const channel of channels) {
        const occ: Occurrence = {
          key: occurrenceKey(comm.key, slot.index, person.id, channel),
          comm: comm.key,
          occurrence: slot.index,
          personId: person.id,
          channel,
          dueAt: new Date(due),
          milestones: milestones.slice(),
        };
        if (slot.seriesItem !== undefined) occ.seriesItem = slot.seriesItem;
        out.push(occ);
      }
    }
  }
}

/**
 * Every occurrence of the plan's scheduled comms (or of `opts.comms`): one per occurrence, recipient
 * and channel, sorted by due instant then key. Triggered comms produce none here.
 */
export function buildCalendar(plan: Plan, opts: BuildCalendarOptions): Occurrence[] {
  const comms = opts.comms ? opts.comms.map((k) => findComm(plan, k)) : plan.comms;
  const calendar = new ProjectCalendar(plan.project);
  const resolver = new DueResolver(quietWindowOf(plan.project));
  const out: Occurrence[] = [];
  for (const comm of comms) {
    if (!comm.schedule) continue;
    occurrencesOf(plan, comm, scheduleSlots(plan, comm, calendar), commMilestones(comm), resolver, out);
  }
  return out.sort(compareOccurrences);
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
  occurrencesOf(plan, comm, [slot], milestones, new DueResolver(quietWindowOf(plan.project)), out);
  return out.sort(compareOccurrences);
}
