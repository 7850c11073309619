import type { ApprovalView } from './list-approvals.ts';
import type { ApprovalVariant } from './ports.ts';

/** One approval as `herald approvals --format json` and the API give it: keys beside names, instants in ISO UTC. */
export interface ApprovalEntry {
  id: string;
  /** The comm's key (what `herald approve PROJECT COMM` takes). */
  comm: string;
  /** "Cutover ops briefing 2 of 3". */
  title: string;
  /** 0-based, as `--occurrence` takes it. */
  occurrence: number;
  state: 'pending' | 'approved' | 'rejected';
  /** Goes up each time the content changed and the approvers were asked again. */
  round: number;
  needs: 'any' | 'all';
  firstSendAt: string;
  requestedAt: string;
  decidedAt: string | null;
  /** The note of the deciding vote (a rejection's reason). */
  note: string | null;
  /** Messages held now, waiting for it. */
  held: number;
  approvers: Array<{
    /** The approver's person key. */
    person: string;
    name: string;
    decision: 'approve' | 'reject' | null;
    note: string | null;
    at: string | null;
    via: string | null;
    /** Who recorded it: the approver, or the editor (token name, user@host) acting for them. */
    actor: string | null;
  }>;
  /** Votes of editors who decided as themselves, not for an approver. */
  others: Array<{ actor: string; decision: 'approve' | 'reject'; note: string | null; at: string; via: string }>;
}

export type ApprovalEntryWithVariants = ApprovalEntry & { variants: ApprovalVariant[] };

export function approvalEntry(a: ApprovalView): ApprovalEntry {
  return {
    id: a.id,
    comm: a.commKey,
    title: a.title,
    occurrence: a.occurrence,
    state: a.state,
    round: a.round,
    needs: a.needs,
    firstSendAt: a.firstSendAt.toISOString(),
    requestedAt: a.requestedAt.toISOString(),
    decidedAt: a.decidedAt?.toISOString() ?? null,
    note: a.note,
    held: a.held,
    approvers: a.approvers.map((p) => ({
      person: p.id,
      name: p.name,
      decision: p.decision,
      note: p.note,
      at: p.at?.toISOString() ?? null,
      via: p.via,
      actor: p.actor,
    })),
    others: a.others.map((o) => ({ ...o, at: o.at.toISOString() })),
  };
}

export function approvalEntryWithVariants(a: ApprovalView): ApprovalEntryWithVariants {
  return { ...approvalEntry(a), variants: a.variants.map((v) => ({ ...v })) };
}

/** Pending first (soonest first send first, as listApprovals orders them), then decided ones, last decided first. */
export function pendingFirst<T extends Pick<ApprovalView, 'state' | 'decidedAt'>>(list: readonly T[]): T[] {
  const pending = list.filter((a) => a.state === 'pending');
  const decided = list.filter((a) => a.state !== 'pending').sort((a, b) => (b.decidedAt?.getTime() ?? 0) - (a.decidedAt?.getTime() ?? 0));
  return [...pending, ...decided];
}
