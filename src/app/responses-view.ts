/**
 * The dashboard's Responses page data: listResponses' summaries (answer split, rate per audience,
 * comments) and its per-person entries, computed by the database and bounded, since a
 * 10,000-person project has 10^4–10^5 answers and sent survey messages. With listResponses, which
 * loads them all, the page took a 7,364 ms median on bench:dashboard's 10,000-person project.
 */
import type { Plan } from '../domain/plan/model.ts';
import type { StoreDeps } from './ports.ts';
import { responseEntry, surveyProject, type CommSummary, type ResponseEntry } from './list-responses.ts';

export interface ResponsesView {
  plan: Plan;
  summaries: CommSummary[];
  /** The latest answers (newest first) matching the search, at most `limit`. */
  entries: ResponseEntry[];
  /** How many answers match the search in all. */
  matching: number;
  /** Names of the people in `entries` and the comments, by their plan id. */
  names: Map<string, string>;
}

export async function responsesView(
  deps: StoreDeps,
  q: { project: string; comm?: string | undefined; search?: string | undefined; limit: number },
): Promise<ResponsesView> {
  const reads = deps.stores.responseReads;
  const { project, plan, surveys } = await surveyProject(deps, q);
  const shown = surveys.filter((c) => q.comm === undefined || c.key === q.comm);
  const comms = await reads.commIds(
    project.id,
    shown.map((c) => c.key),
  );
  const commIds = comms.map((c) => c.id);
  const idOf = new Map(comms.map((c) => [c.key, c.id]));
  const search = q.search?.trim() || undefined;
  const filter = { projectId: project.id, commIds, search };

  const [counts, rates, { rows, matching }, comments] = await Promise.all([
    reads.counts(project.id, commIds),
    reads.rates(project.id, commIds),
    reads.latest(filter, q.limit),
    reads.latestComments(filter, q.limit),
  ]);
  const names = new Map([...rows, ...comments].map((r) => [r.person.key, r.person.name]));
  const summaries = shown.map((c): CommSummary => {
    const id = idOf.get(c.key);
    const count = (option: string | null) => counts.find((n) => n.commId === id && n.option === option)?.count ?? 0;
    const split = c.survey!.options.map((o) => ({ option: o.value, label: o.label, count: count(o.value) }));
    if (count(null) > 0) split.push({ option: '(none)', label: 'comment only', count: count(null) });
    return {
      comm: c.key,
      question: c.survey!.question,
      counts: split,
      rates: c.audiences.map((audience) => {
        const r = rates.find((x) => x.commId === id && x.audience === audience);
        return { audience, asked: Number(r?.asked ?? 0), answered: Number(r?.answered ?? 0) };
      }),
      comments: comments.filter((r) => r.commId === id).map((r) => ({ person: r.person.key, option: r.option, comment: r.comment! })),
    };
  });
  const entries = rows.map(responseEntry);
  return { plan, summaries, entries, matching, names };
}
