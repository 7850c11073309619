import type { Channel, CommSpec, PersonSpec, Plan, RecipientCalendarSpec } from '../plan/model.ts';
import { NotFoundError } from '../errors.ts';
import { channelsFor, recipientsOf } from '../audience.ts';
import { resolveBlackouts, type Blackout } from './blackouts.ts';
import { ProjectCalendar } from './business-calendar.ts';
import { localIso, localText, step } from './explain.ts';
import { occurrenceKey, type Occurrence } from './occurrence.ts';
import { needsOwnSteps, placeSingle, placeSteps, type Placed, type Policy } from './placement.ts';
import { quietWindowOf, type QuietWindow } from './quiet-hours.ts';
import { RecipientDaysCache, recipientRule, type RecipientDays } from './recipient-days.ts';
import { recipientBusinessDaySlots, scheduleSlots, type Slot } from './schedule-slots.ts';
import { instantToWall } from './zone-time.ts';

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

/** One placed occurrence of a comm for a group of recipients that share a zone and working days. */
interface GroupPlacement extends Placed {
  index: number;
  seriesItem?: string;
}

/** Everything one comm's placement needs, shared by all its recipients. */
interface CommPlacer {
  comm: CommSpec;
  slots: readonly Slot[];
  policy: Policy;
  rule: RecipientCalendarSpec | undefined;
  plan: Plan;
  days: RecipientDaysCache;
}

function placeGroup(p: CommPlacer, zone: string, days: RecipientDays | undefined): GroupPlacement[] {
  const s = p.comm.schedule;
  let slots = p.slots;
  if (days && s?.type === 'recurring' && s.every.unit === 'business day' && s.time !== undefined) {
    slots = recipientBusinessDaySlots(p.plan, p.policy.projectCalendar, s, (d) => days.isWorking(d));
  }
  const placed =
    s?.type === 'stepped' && needsOwnSteps(p.policy, days, slots)
      ? placeSteps(slots, s.every, zone, p.policy, days)
      : slots.map((slot) => placeSingle(slot, zone, p.policy, days));
  return placed.map((x, i) => {
    const slot = slots[i] as Slot;
    const g: GroupPlacement = { ...x, index: slot.index };
    if (slot.seriesItem !== undefined) g.seriesItem = slot.seriesItem;
    return g;
  });
}

/** Appends the comm's occurrences in key order (given people sorted by id). */
function occurrencesOf(people: readonly PersonSpec[], p: CommPlacer, milestones: string[], out: Occurrence[]): void {
  const { comm } = p;
  // Shared by all of the comm's occurrences; frozen so that no caller can change it for the others.
  Object.freeze(milestones);
  const recipients = recipientsOf({ people }, comm);
  const channelsOf = recipients.map((x) => channelsFor(x, comm).sort(byString));
  // Recipients in one zone with the same working days get the same placements: compute them once.
  const groups = new Map<string, Map<number, GroupPlacement>>();
  const groupOf = recipients.map((person) => {
    const days = p.rule ? p.days.of(person, p.rule) : undefined;
    const key = days ? `${person.timezone}|${days.signature}` : person.timezone;
    let g = groups.get(key);
    if (!g) {
      g = new Map(placeGroup(p, person.timezone, days).map((x) => [x.index, x]));
      groups.set(key, g);
    }
    return g;
  });
  const indices = new Set<number>();
  for (const g of groups.values()) for (const i of g.keys()) indices.add(i);
  const ordered = [...indices].sort((a, b) => byString(`${a}:`, `${b}:`));
  for (const index of ordered) {
    for (let r = 0; r < recipients.length; r++) {
      const placed = (groupOf[r] as Map<number, GroupPlacement>).get(index);
      const channels = channelsOf[r] as Channel[];
      if (placed === undefined || channels.length === 0) continue;
      const person = recipients[r] as PersonSpec;
      for (const channel of channels) {
        const occ: Occurrence = {
          key: occurrenceKey(comm.key, index, person.id, channel),
          comm: comm.key,
          occurrence: index,
          personId: person.id,
          channel,
          dueAt: new Date(placed.due),
          milestones,
          explain: placed.explain,
        };
        if (placed.seriesItem !== undefined) occ.seriesItem = placed.seriesItem;
        out.push(occ);
      }
    }
  }
}

/** The placer of one comm; `exempt` names why a time-critical comm skips recipient days and blackouts. */
function placerFor(plan: Plan, comm: CommSpec, slots: readonly Slot[], shared: Shared, exempt?: string): CommPlacer {
  const why = comm.urgent ? 'urgent: true' : exempt;
  const policy: Policy = { comm, projectCalendar: shared.calendar, blackouts: shared.blackouts, quiet: shared.quiet, exempt: why };
  return { comm, slots, policy, rule: why ? undefined : recipientRule(plan, comm), plan, days: shared.days };
}

interface Shared {
  calendar: ProjectCalendar;
  blackouts: Blackout[];
  quiet: QuietWindow | undefined;
  days: RecipientDaysCache;
}

function sharedOf(plan: Plan): Shared {
  const calendar = new ProjectCalendar(plan.project);
  return { calendar, blackouts: resolveBlackouts(plan, calendar), quiet: quietWindowOf(plan.project), days: new RecipientDaysCache(plan) };
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
  const shared = sharedOf(plan);
  const people = peopleById(plan);
  const out: Occurrence[] = [];
  for (const comm of comms) occurrencesOf(people, placerFor(plan, comm, scheduleSlots(plan, comm, shared.calendar), shared), commMilestones(comm), out);
  return sortByDue(out, partsSortLikeKeys(comms, people));
}

/**
 * A triggered firing (milestone moved or done, or `herald send`): every recipient and channel of the
 * comm at `at`, all with occurrence index `occurrence`, moved out of each recipient's quiet hours and,
 * except for time-critical milestone-moved notices and urgent comms, off their days off and out of blackouts.
 */
export function triggeredOccurrences(plan: Plan, commKey: string, at: Date, occurrence: number): Occurrence[] {
  const comm = findComm(plan, commKey);
  const t = comm.trigger;
  const milestones = t && t.type !== 'manual' ? [t.milestone] : [];
  const out: Occurrence[] = [];
  const shared = sharedOf(plan);
  const zone = shared.calendar.zone;
  const why =
    t?.type === 'milestone-moved' ? `milestone ${t.milestone} moved` : t?.type === 'milestone-done' ? `milestone ${t.milestone} done` : 'sent with herald send';
  const fired = step('trigger', null, localIso(at.getTime(), zone), `${why}: fired ${localText(at.getTime(), zone)} ${zone}`);
  const day = instantToWall(zone, at.getTime()).epochDay;
  const slot: Slot = { index: occurrence, at: { kind: 'instant', instant: at.getTime() }, day, explain: [fired] };
  const people = peopleById(plan);
  const exempt = t?.type === 'milestone-moved' ? 'milestone-moved notice (time-critical)' : undefined;
  occurrencesOf(people, placerFor(plan, comm, [slot], shared, exempt), milestones, out);
  return sortByDue(out, partsSortLikeKeys([comm], people));
}
