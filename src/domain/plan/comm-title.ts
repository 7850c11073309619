import type { CommSpec, Plan } from './model.ts';

/** A key as words: "hypercare-checkin" → "Hypercare checkin" (a PM reads this, not the key). */
export function readableKey(key: string): string {
  const words = key.replace(/[-_.]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : key;
}

/** The comm's `title:`, else its key as words. */
export function commTitle(comm: Pick<CommSpec, 'key' | 'title'> | undefined, key: string): string {
  return comm?.title ?? readableKey(key);
}

/** "2 of 3" for the 0-based occurrence index; just "1" when the total is unknown. */
export function occurrenceLabel(index: number, total: number | undefined): string {
  return total !== undefined && total > 1 ? `${index + 1} of ${total}` : total === 1 ? '' : `${index + 1}`;
}

/** Occurrences the plan gives a comm when that is fixed by its schedule (series, count, one date); undefined when it is not (recurring, triggers). */
export function plannedOccurrences(comm: Pick<CommSpec, 'schedule' | 'series'>): number | undefined {
  const s = comm.schedule;
  if (s === undefined) return undefined;
  if (s.type === 'anchored') return 1;
  if (s.type === 'series') return s.offsets.length;
  if (s.type === 'stepped') return comm.series?.length ?? s.count;
  return undefined;
}

/** "Hypercare checkin 2 of 3" for a comm key and 0-based occurrence; the total from the plan unless given. */
export function commOccurrenceTitle(plan: Pick<Plan, 'comms'>, key: string, occurrence: number, total?: number): string {
  const comm = plan.comms.find((c) => c.key === key);
  // A digest's occurrence is its ISO week, 202703 (see domain/digest/week.ts), not a count.
  if (comm?.kind === 'digest') return `${commTitle(comm, key)} week ${occurrence % 100}`;
  const n = occurrenceLabel(occurrence, total ?? (comm ? plannedOccurrences(comm) : undefined));
  return n ? `${commTitle(comm, key)} ${n}` : commTitle(comm, key);
}

/** The label a person saw for a survey option value ("Some issues" for `minor`); the value itself when the plan no longer has it. */
export function optionLabel(plan: Pick<Plan, 'comms'>, key: string, value: string | null): string | null {
  if (value === null) return null;
  return plan.comms.find((c) => c.key === key)?.survey?.options.find((o) => o.value === value)?.label ?? value;
}

/** "Slack" / "e-mail", as a person writes them. */
export function channelName(channel: string): string {
  return channel === 'email' ? 'e-mail' : channel === 'slack' ? 'Slack' : channel;
}

/** What a person reads for the plan's keys: names, comm titles, "2 of 3", option labels. */
export interface PlanWords {
  /** The person's name; the key when the plan no longer has them. */
  person(key: string): string;
  comm(key: string): string;
  occurrence(key: string, index: number): string;
  option(comm: string, value: string | null): string | null;
}

export function planWords(plan: Pick<Plan, 'people' | 'comms'>): PlanWords {
  const names = new Map(plan.people.map((p) => [p.id, p.name]));
  return {
    person: (key) => names.get(key) ?? key,
    comm: (key) =>
      commTitle(
        plan.comms.find((c) => c.key === key),
        key,
      ),
    occurrence: (key, index) => commOccurrenceTitle(plan, key, index),
    option: (comm, value) => optionLabel(plan, comm, value),
  };
}

/**
 * A stored message's key (`comm#occurrence:person:channel`, `#3~r1` for the first survey reminder of
 * occurrence 3) in words: "Hypercare checkin 2 of 3, reminder 1 → Bea Meyer (Slack)"; the key itself
 * when it has another form.
 */
export function messageKeyWords(words: PlanWords, key: string): string {
  const m = /^(.+)#(\d+)(?:~r(\d+))?:(.+):(\w+)$/.exec(key);
  if (!m) return key;
  return `${words.occurrence(m[1]!, Number(m[2]))}${m[3] ? `, reminder ${m[3]}` : ''} → ${words.person(m[4]!)} (${channelName(m[5]!)})`;
}

/** A milestone as a notice names it: its label with its key beside it, the handle `milestone move` takes ("Go-live (go-live)"). */
export function milestoneName(plan: Pick<Plan, 'milestones'>, key: string): string {
  const label = plan.milestones.find((m) => m.key === key)?.label;
  return label ? `${label} (${key})` : key;
}
