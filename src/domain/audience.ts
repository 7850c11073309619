import type { Channel, ChannelChoice, CommSpec, PersonSpec } from './plan/model.ts';

/** People in any of the comm's audiences, in plan order, each once. */
export function recipientsOf(plan: { readonly people: readonly PersonSpec[] }, comm: Pick<CommSpec, 'audiences'>): PersonSpec[] {
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

function resolveChoice(person: Pick<PersonSpec, 'email' | 'slack'>, choice: ChannelChoice): Channel | undefined {
  if (choice === 'email') return person.email ? 'email' : undefined;
  if (choice === 'slack') return person.slack || person.email ? 'slack' : undefined;
  return person.slack ? 'slack' : person.email ? 'email' : undefined;
}

/**
 * The channels a comm reaches this person on, in the comm's order, each once.
 * Slack is planned for anyone with a Slack id or an email: a missing id is looked up by email at
 * send time. `preferred` is Slack only where the id is already known, else email.
 */
export function channelsFor(person: Pick<PersonSpec, 'email' | 'slack'>, comm: Pick<CommSpec, 'channels'>): Channel[] {
  const out: Channel[] = [];
  for (const choice of comm.channels) {
    const channel = resolveChoice(person, choice);
    if (channel && !out.includes(channel)) out.push(channel);
  }
  return out;
}
