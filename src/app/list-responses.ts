import type { PlanWords } from '../domain/plan/comm-title.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Plan } from '../domain/plan/model.ts';
import type { AnswerRow, StoreDeps } from './ports.ts';

/** One row of `herald responses --format json`. */
export interface ResponseEntry {
  comm: string;
  occurrence: number;
  person: string;
  /** The channel of the latest answer: slack, email-link, email-reply, api, dashboard. */
  channel: string;
  /** The option value, null for a comment-only answer. */
  option: string | null;
  comment: string | null;
  /** When the latest answer arrived, ISO UTC. */
  answeredAt: string;
  /** When the first answer arrived, ISO UTC (answeredAt, unless it was changed since). */
  firstAnsweredAt: string;
  /** Earlier answers, oldest first: what it was, what it became, when and through which channel. */
  history: Array<{ from: string | null; to: string | null; comment: string | null; channel: string; at: string }>;
  /** An email reply from an address other than the person's. */
  fromOtherAddress: boolean;
}

export interface CommSummary {
  comm: string;
  question: string;
  /** Per option value (plus `(none)` for comment-only answers), in the survey's order. */
  counts: Array<{ option: string; label: string; count: number }>;
  /** Per audience of the comm: people asked (a survey message sent) and how many answered. */
  rates: Array<{ audience: string; asked: number; answered: number }>;
  comments: Array<{ person: string; option: string | null; comment: string }>;
}

/** A stored answer (with its comm, person and history) as an entry. */
export function responseEntry(r: Omit<AnswerRow, 'commId' | 'person'> & { person: { key: string } }): ResponseEntry {
  return {
    comm: r.comm.key,
    occurrence: r.occurrence,
    person: r.person.key,
    channel: r.channel,
    option: r.option,
    comment: r.comment,
    answeredAt: r.receivedAt.toISOString(),
    firstAnsweredAt: (r.createdAt < r.receivedAt ? r.createdAt : r.receivedAt).toISOString(),
    history: r.history.map((h) => ({ from: h.oldOption, to: h.newOption, comment: h.newComment, channel: h.channel, at: h.at.toISOString() })),
    fromOtherAddress: r.fromOtherAddress,
  };
}

/** The project `q.project` with its plan and survey comms; NotFoundError when it, or the survey comm `q.comm`, is not there. */
export async function surveyProject(
  { stores }: StoreDeps,
  q: { project: string; comm?: string | undefined },
): Promise<{ project: { id: string }; plan: Plan; surveys: Plan['comms'] }> {
  const project = await stores.responseReads.project(q.project);
  if (!project) throw new NotFoundError(`project "${q.project}"`, 'apply a plan first: herald apply PLAN');
  const { plan } = project;
  const surveys = plan.comms.filter((c) => c.survey);
  if (q.comm !== undefined && !surveys.some((c) => c.key === q.comm)) {
    throw new NotFoundError(`survey comm "${q.comm}" in project ${q.project}`, `survey comms: ${surveys.map((c) => c.key).join(', ') || 'none'}`);
  }
  return { project, plan, surveys };
}

/** The answers of a project's surveys, one per (comm, occurrence, person), with their history. */
export async function listResponses(
  deps: StoreDeps,
  q: { project: string; comm?: string },
): Promise<{ plan: Plan; entries: ResponseEntry[]; summaries: CommSummary[] }> {
  const { project, plan, surveys } = await surveyProject(deps, q);
  const rows = await deps.stores.responseReads.all(project.id, q.comm);
  const entries = rows.map(responseEntry);
  // Asked = distinct (occurrence, person) with a survey message sent, on any channel.
  const sent = await deps.stores.responseReads.asked(project.id, q.comm ? [q.comm] : surveys.map((c) => c.key));
  const summaries = surveys
    .filter((c) => q.comm === undefined || c.key === q.comm)
    .map((c): CommSummary => {
      const mine = rows.filter((r) => r.comm.key === c.key);
      const counts = c.survey!.options.map((o) => ({ option: o.value, label: o.label, count: mine.filter((r) => r.option === o.value).length }));
      const none = mine.filter((r) => r.option === null).length;
      if (none > 0) counts.push({ option: '(none)', label: 'comment only', count: none });
      const answered = new Set(mine.map((r) => `${r.occurrence}:${r.person.key}`));
      const asked = sent.filter((m) => m.comm.key === c.key);
      const rates = c.audiences.map((audience) => {
        const inAudience = asked.filter((m) => m.person.audiences.includes(audience));
        return { audience, asked: inAudience.length, answered: inAudience.filter((m) => answered.has(`${m.occurrence}:${m.person.key}`)).length };
      });
      const comments = mine.filter((r) => r.comment).map((r) => ({ person: r.person.key, option: r.option, comment: r.comment! }));
      return { comm: c.key, question: c.survey!.question, counts, rates, comments };
    });
  return { plan, entries, summaries };
}

export function formatResponses(summaries: readonly CommSummary[], words: PlanWords): string {
  if (summaries.length === 0) return 'no survey comms in this project';
  const out: string[] = [];
  for (const s of summaries) {
    const total = s.counts.reduce((n, c) => n + c.count, 0);
    out.push(`${words.comm(s.comm)} — ${s.question}`, `  answers: ${total}`);
    for (const c of s.counts) out.push(`    ${c.label.padEnd(24)} ${String(c.count).padStart(5)}${total ? `  ${Math.round((100 * c.count) / total)}%` : ''}`);
    out.push('  response rate:');
    for (const r of s.rates)
      out.push(`    ${r.audience.padEnd(24)} ${r.answered}/${r.asked}${r.asked ? `  ${Math.round((100 * r.answered) / r.asked)}%` : ''}`);
    if (s.comments.length) {
      out.push('  comments:');
      for (const c of s.comments)
        out.push(`    ${words.person(c.person)} (${words.option(s.comm, c.option) ?? 'no option'}): ${c.comment.replace(/\s+/g, ' ')}`);
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}
