import type { Channel, CommSpec, PersonSpec, Plan } from './plan/model.ts';

/** People in any of the comm's audiences, in plan order, each once. */
export function recipientsOf(plan: Pick<Plan, 'people'>, comm: Pick<CommSpec, 'audiences'>): PersonSpec[] {
  const wanted = new Set(comm.audiences);
  const seen = new Set<string>();
  const out: PersonSpec[] = [];
  for (const person of plan.people) {
    if (seen.has(person.id) || !person.audiences.some((a) => wanted.has(a))) continue;
    seen.add(person.id);
    out.push(person);
  }
  return out;
}

/**
 * The channels a comm reaches this person on, in the comm's order, each once.
 * Slack is planned for anyone with a Slack id or an email: a missing id is looked up by email at
 * send time. `preferred` is Slack only where the id is already known, else email.
 */
export function channelsFor(person: Pick<PersonSpec, 'email' | 'slack'>, comm: Pick<CommSpec, 'channels'>): Channel[] {
  const out: Channel[] = [];
  const add = (c: Channel): void => {
    if (!out.includes(c)) out.push(c);
  };
  for (const choice of comm.channels) {
    if (choice === 'email') {
      if (person.email) add('email');
    } else if (choice === 'slack') {
      if (person.slack || person.email) add('slack');
    } else if (person.slack) {
      add('slack');
    } else if (person.email) {
      add('email');
    }
  }
  return out;
}
