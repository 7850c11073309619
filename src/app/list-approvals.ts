import { approvalOf, type ApprovalState } from '../domain/approval/rules.ts';
import { HeraldError, NotFoundError } from '../domain/errors.ts';
import { commOccurrenceTitle } from '../domain/plan/comm-title.ts';
import type { ApprovalVariant, StoreDeps } from './ports.ts';

/** An approval as the CLI, the API and the dashboard show it: names, not ids. */
export interface ApprovalView {
  id: string;
  commKey: string;
  /** "Go-live executive summary", "Hypercare check-in 2 of 3". */
  title: string;
  occurrence: number;
  state: ApprovalState;
  round: number;
  needs: 'any' | 'all';
  firstSendAt: Date;
  requestedAt: Date;
  decidedAt: Date | null;
  note: string | null;
  /** Messages held now, waiting for it. */
  held: number;
  approvers: Array<{
    id: string;
    name: string;
    decision: 'approve' | 'reject' | null;
    note: string | null;
    at: Date | null;
    via: string | null;
    actor: string | null;
  }>;
  /** Votes by editors who are not approvers (acting without naming one). */
  others: Array<{ actor: string; decision: 'approve' | 'reject'; note: string | null; at: Date; via: string }>;
  variants: ApprovalVariant[];
}

/** A project's approvals, soonest first send first; `state` filters. */
export async function listApprovals({ stores }: StoreDeps, q: { project: string; state?: ApprovalState | undefined }): Promise<ApprovalView[]> {
  const stored = await stores.projects.load(q.project);
  const plan = stored.plan;
  const names = new Map(plan.people.map((p) => [p.id, p.name]));
  const rows = await stores.approvals.list(stored.projectId);
  const out: ApprovalView[] = [];
  for (const a of rows) {
    if (q.state !== undefined && a.state !== q.state) continue;
    const comm = plan.comms.find((c) => c.key === a.commKey);
    const spec = comm ? approvalOf(plan, comm) : undefined;
    const by = spec?.by ?? [];
    out.push({
      id: a.id,
      commKey: a.commKey,
      title: commOccurrenceTitle(plan, a.commKey, a.occurrence),
      occurrence: a.occurrence,
      state: a.state,
      round: a.round,
      needs: spec?.needs ?? 'any',
      firstSendAt: a.firstSendAt,
      requestedAt: a.requestedAt,
      decidedAt: a.decidedAt,
      note: a.note,
      held: a.held,
      approvers: by.map((id) => {
        const v = a.votes.findLast((x) => x.approver === id);
        return {
          id,
          name: names.get(id) ?? id,
          decision: v?.decision ?? null,
          note: v?.note ?? null,
          at: v?.at ?? null,
          via: v?.via ?? null,
          actor: v?.actor ?? null,
        };
      }),
      others: a.votes.filter((v) => !by.includes(v.approver)).map((v) => ({ actor: v.actor, decision: v.decision, note: v.note, at: v.at, via: v.via })),
      variants: a.preview,
    });
  }
  return out;
}

/**
 * The approval `herald approve|reject PROJECT COMM [--occurrence N]` means: that occurrence's, or
 * without N the comm's pending one due soonest.
 */
export async function findApproval(deps: StoreDeps, q: { project: string; comm: string; occurrence?: number | undefined }): Promise<ApprovalView> {
  const all = await listApprovals(deps, { project: q.project });
  const ofComm = all.filter((a) => a.commKey === q.comm);
  if (ofComm.length === 0) {
    const keys = [...new Set(all.map((a) => a.commKey))];
    throw new NotFoundError(
      `an approval of comm "${q.comm}" in project ${q.project}`,
      keys.length ? `comms with approvals: ${keys.join(', ')}` : `see: herald approvals ${q.project}`,
    );
  }
  if (q.occurrence !== undefined) {
    const one = ofComm.find((a) => a.occurrence === q.occurrence);
    if (!one) {
      throw new NotFoundError(
        `occurrence ${q.occurrence} of ${q.comm}`,
        `occurrences with approvals: ${ofComm.map((a) => a.occurrence).join(', ')} (see herald approvals ${q.project})`,
      );
    }
    return one;
  }
  const pending = ofComm.filter((a) => a.state === 'pending');
  if (pending.length === 0) {
    throw new HeraldError('APPROVAL_NOT_PENDING', `no approval of ${q.comm} is waiting for a decision`, {
      hint: `name one with --occurrence N; see herald approvals ${q.project}`,
    });
  }
  return pending[0]!;
}
