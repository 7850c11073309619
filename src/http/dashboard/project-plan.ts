/** The plan a project was last applied with, and the GET-form helpers the plan-driven pages share. */
import type { Plan } from '../../domain/plan/model.ts';
import { DashboardError, type DashboardDeps } from './context.ts';
import { html, type Html, concat, optionList } from './html.ts';
import type { DashboardProject } from './kit.ts';

export async function planOf(deps: DashboardDeps, project: DashboardProject): Promise<Plan> {
  return deps.reads.plan(project.id);
}

/** A filter value that must be one of `known` (or empty): else a 400 page naming the choices. */
export function oneOf(what: string, value: string | undefined, known: readonly (string | { value: string; label: string })[]): string | undefined {
  if (!value) return undefined;
  const opts = known.map((o) => (typeof o === 'string' ? { value: o, label: o } : o));
  if (opts.some((o) => o.value === value)) return value;
  // Named as the form lists them (people and comms by name and title, never by key), ten at most.
  const shown = opts.slice(0, 10).map((o) => o.label);
  const more = opts.length > shown.length ? ` and ${opts.length - shown.length} more` : '';
  throw new DashboardError(400, `No such ${what}`, [
    `"${value}" is not a ${what} of this project.`,
    `Pick one ${opts.length > 0 ? `in the form: ${shown.join(', ')}${more}` : 'of: (none)'}.`,
  ]);
}

/** A labelled <select> for a GET filter form; the empty option is `any`. */
export function select(
  name: string,
  label: string,
  options: readonly (string | { value: string; label: string })[],
  chosen: string | undefined,
  any: string | null = 'Any',
): Html {
  const opts = options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o));
  return concat(
    html`<div><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">`,
    any === null ? '' : html`<option value="">${any}</option>`,
    optionList(opts, chosen),
    html`</select></div>`,
  );
}

/** A person as a page names them: their name, and their address too when another person has the same name. */
export function personLabel(plan: Pick<Plan, 'people'>, p: Plan['people'][number]): string {
  const twin = (nameCounts(plan.people).get(p.name) ?? 0) > 1;
  return twin ? `${p.name} (${p.email ?? p.slack ?? p.id})` : p.name;
}

/**
 * How many people carry each name, counted once per plan: the calendar's person filter labels all
 * 10,005 people of the bench plan, and a scan per person made that page take 2.4 s (bench:dashboard).
 */
const NAME_COUNTS = new WeakMap<readonly Plan['people'][number][], Map<string, number>>();
function nameCounts(people: readonly Plan['people'][number][]): Map<string, number> {
  let counts = NAME_COUNTS.get(people);
  if (!counts) {
    counts = new Map();
    for (const o of people) counts.set(o.name, (counts.get(o.name) ?? 0) + 1);
    NAME_COUNTS.set(people, counts);
  }
  return counts;
}
