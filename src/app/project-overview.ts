/**
 * The project overview of the dashboard (src/http/dashboard/pages/overview.ts): milestones with
 * baseline and moves, what was sent in the last 7 days and is due in the next 7 (counted per comm
 * and channel by the database, since a week of a 10,000-person project is 10^5 rows), workstream
 * status, response rate per audience, and the open escalations and failed messages to look at.
 */
import { baselineOf } from '../domain/digest/milestones.ts';
import { surveyRates } from './survey-rates.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { StoreDeps } from './ports.ts';

const DAY = 86_400_000;
export const OVERVIEW_WINDOW_DAYS = 7;

export interface OverviewMilestone {
  key: string;
  label: string;
  baseline: Date;
  current: Date;
  moves: number;
  done: boolean;
}

export interface OverviewCount {
  comm: string;
  channel: string;
  count: number;
}

export interface OverviewWorkstream {
  key: string;
  name: string;
  owner: string;
  /** green | amber | red, or null before the first status answer. `decide` counts as amber. */
  rag: 'green' | 'amber' | 'red' | null;
  /** The answer as given (green, amber, red, decide). */
  status: string | null;
  note: string | null;
  by: string | null;
  at: Date | null;
}

export interface OverviewRate {
  audience: string;
  asked: number;
  answered: number;
}

export interface ProjectOverview {
  key: string;
  name: string;
  timezone: string;
  milestones: OverviewMilestone[];
  sentLastWeek: OverviewCount[];
  dueNextWeek: OverviewCount[];
  workstreams: OverviewWorkstream[];
  rates: OverviewRate[];
  openEscalations: number;
  failedMessages: number;
  pendingApprovals: number;
  heldMessages: number;
}

function ragOf(status: string | null): OverviewWorkstream['rag'] {
  if (status === 'green' || status === 'amber' || status === 'red') return status;
  if (status === 'decide') return 'amber';
  return null;
}

/** Per audience, over all survey comms: people asked and how many answered (surveyRates summed per audience). */
async function audienceRates(deps: StoreDeps, projectId: string): Promise<OverviewRate[]> {
  const byAudience = new Map<string, OverviewRate>();
  for (const r of await surveyRates(deps, projectId)) {
    const sum = byAudience.get(r.audience) ?? { audience: r.audience, asked: 0, answered: 0 };
    sum.asked += r.asked;
    sum.answered += r.answered;
    byAudience.set(r.audience, sum);
  }
  return [...byAudience.values()].sort((x, y) => (x.audience < y.audience ? -1 : x.audience > y.audience ? 1 : 0));
}

export async function projectOverview(deps: StoreDeps, q: { project: string; now: Date }): Promise<ProjectOverview> {
  const reads = deps.stores.overviewReads;
  const project = await reads.project(q.project);
  if (!project) throw new NotFoundError(`project "${q.project}"`, 'apply a plan first: herald apply PLAN');
  const weekAgo = new Date(q.now.getTime() - OVERVIEW_WINDOW_DAYS * DAY);
  const weekAhead = new Date(q.now.getTime() + OVERVIEW_WINDOW_DAYS * DAY);
  const [{ milestones, sent, due, workstreams, openEscalations, failedMessages, pendingApprovals, heldMessages }, rates] = await Promise.all([
    reads.data(project.id, { weekAgo, now: q.now, weekAhead }),
    audienceRates(deps, project.id),
  ]);
  const counts = (rows: typeof sent): OverviewCount[] => [...rows].sort((a, b) => a.comm.localeCompare(b.comm) || a.channel.localeCompare(b.channel));
  const peopleKeys = [...new Set(workstreams.map((w) => w.ownerKey))];
  const peopleIds = workstreams.flatMap((w) => (w.statusByPersonId ? [w.statusByPersonId] : []));
  const people = await reads.people(project.id, peopleKeys, peopleIds);
  const nameByKey = new Map(people.map((p) => [p.key, p.name]));
  const nameById = new Map(people.map((p) => [p.id, p.name]));
  return {
    key: project.key,
    name: project.name,
    timezone: project.timezone,
    milestones: milestones.map((m) => ({
      key: m.key,
      label: m.label ?? m.key,
      baseline: baselineOf({ ...m, label: m.label ?? m.key, doneAt: m.doneAt ?? undefined, moves: m.moves }),
      current: m.at,
      moves: m.moves.length,
      done: m.doneAt !== null,
    })),
    sentLastWeek: counts(sent),
    dueNextWeek: counts(due),
    workstreams: workstreams.map((w) => ({
      key: w.key,
      name: w.name,
      owner: nameByKey.get(w.ownerKey) ?? w.ownerKey,
      rag: ragOf(w.status),
      status: w.status,
      note: w.statusComment,
      by: w.statusByPersonId ? (nameById.get(w.statusByPersonId) ?? null) : null,
      at: w.statusAt,
    })),
    rates,
    openEscalations,
    failedMessages,
    pendingApprovals,
    heldMessages,
  };
}
