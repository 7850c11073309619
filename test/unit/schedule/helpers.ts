import { DateTime } from 'luxon';
import type { CommSpec, Offset, Plan, ProjectSpec, Schedule } from '../../../src/domain/plan/model.ts';
import type { Occurrence } from '../../../src/domain/schedule/occurrence.ts';
import { examplePlan } from '../../fixtures/example-plan.ts';

export const NOW = new Date('2026-11-25T12:00:00Z');

export function offset(raw: string): Offset {
  const m = /^([+-])(\d+) (minute|hour|day|business day|week)s?$/.exec(raw);
  if (!m) throw new Error(`bad offset: ${raw}`);
  return { sign: m[1] === '-' ? -1 : 1, amount: Number(m[2]), unit: `${m[3]}s` as Offset['unit'], raw };
}

export function zoneOfPerson(plan: Plan, personId: string): string {
  const person = plan.people.find((p) => p.id === personId);
  if (!person) throw new Error(`no person ${personId}`);
  return person.timezone;
}

/** "Fri 2027-01-08 09:00" in the given zone. */
export function localText(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');
}

/** Local due text per occurrence key, in each recipient's own zone. */
export function localByKey(plan: Plan, occurrences: readonly Occurrence[]): Record<string, string> {
  return Object.fromEntries(occurrences.map((o) => [o.key, localText(o.dueAt, zoneOfPerson(plan, o.personId))]));
}

export function forPerson(occurrences: readonly Occurrence[], personId: string, channel?: string): Occurrence[] {
  return occurrences.filter((o) => o.personId === personId && (channel === undefined || o.channel === channel));
}

/** The example plan with one extra scheduled comm (and optional project changes). */
export function planWith(schedule: Schedule, opts: { project?: Partial<ProjectSpec>; comm?: Partial<CommSpec> } = {}): Plan {
  const comm: CommSpec = {
    key: 'probe',
    kind: 'announcement',
    audiences: ['end-users'],
    channels: ['email'],
    template: 'probe',
    data: {},
    optional: false,
    schedule,
    ...opts.comm,
  };
  return { ...examplePlan, project: { ...examplePlan.project, ...opts.project }, comms: [comm] };
}
