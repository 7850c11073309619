import { approvalOf, approvalState, releaseVerdict, type ApprovalState } from '../domain/approval/rules.ts';
import { HeraldError, NotFoundError } from '../domain/errors.ts';
import { tellProjectManager } from './approval-notices.ts';
import type { Clock, StoreDeps } from './ports.ts';

/** Longest note kept (the reason of a rejection); the API schema, the modal and the page's box use the same bound. */
export const APPROVAL_NOTE_MAX = 2000;

export type ApprovalChannel = 'slack' | 'email' | 'dashboard' | 'cli' | 'api';

export interface DecideApprovalInput {
  approvalId: string;
  decision: 'approve' | 'reject';
  /** A rejection's reason (required), or a note with an approval. */
  note?: string | undefined;
  /** The approver's plan id when an approver acts (Slack, the /a/ link): they must be one of the comm's approvers. */
  approver?: string;
  /** An editor acting on an approver's behalf (CLI, API, dashboard): whose vote it is; default the editor. */
  onBehalfOf?: string | undefined;
  /** Who acts, for the audit log: the approver's plan id, a token's name or user@host. */
  actor: string;
  via: ApprovalChannel;
  /** The project the caller names (API, CLI): an approval of another project is not found. */
  project?: string;
  /** The round a link or button was for: a decision on content that has changed since decides nothing. */
  round?: number;
}

export interface DecideApprovalResult {
  approvalId: string;
  projectKey: string;
  commKey: string;
  occurrence: number;
  state: ApprovalState;
  /** False when the decision changed nothing (already decided, or a repeated click). */
  changed: boolean;
  /** Held messages sent now (approved within the comm's catch-up rule) and skipped (approved too late). */
  released: number;
  skipped: number;
}

/**
 * An approver approves or requests changes. With `needs: all` every approver's approval is needed;
 * one rejection rejects. On approval the occurrence's held messages go back to the calendar, due at
 * once (the sweeper queues them within a second), unless approved later than `approval.catchUp`
 * allows; on rejection the project manager is told the reason and the messages stay held until the
 * content changes. A decided approval changes no more: a repeated click is answered with its state.
 */
export async function decideApproval(deps: StoreDeps & { clock: Clock }, input: DecideApprovalInput): Promise<DecideApprovalResult> {
  const now = deps.clock.now();
  const note = input.note?.trim() ? input.note.trim() : undefined;
  if (note !== undefined && note.length > APPROVAL_NOTE_MAX) {
    throw new HeraldError('APPROVAL_NOTE_INVALID', `the note is ${note.length} characters; at most ${APPROVAL_NOTE_MAX} are kept`, {
      hint: 'shorten it; link to a longer write-up',
    });
  }
  if (input.decision === 'reject' && note === undefined) {
    throw new HeraldError('APPROVAL_REASON_REQUIRED', 'requesting changes needs a reason: say what should change', {
      hint: 'give a note, e.g. --note "the date in the subject is wrong"',
    });
  }
  return deps.stores.transaction(async (tx) => {
    // Locked: of two decisions at once, the second sees the first.
    const a = await tx.approvals.lock(input.approvalId);
    if (!a || (input.project !== undefined && a.projectKey !== input.project)) {
      throw new NotFoundError(
        `approval ${input.approvalId}${input.project ? ` in project ${input.project}` : ''}`,
        `list them with: herald approvals ${input.project ?? 'PROJECT'}`,
      );
    }
    const comm = a.plan.comms.find((c) => c.key === a.commKey);
    const spec = comm ? approvalOf(a.plan, comm) : undefined;
    const result = { approvalId: a.id, projectKey: a.projectKey, commKey: a.commKey, occurrence: a.occurrence, released: 0, skipped: 0 };
    if (!comm || !spec) return { ...result, state: a.state, changed: false };
    if (input.approver !== undefined && !spec.by.includes(input.approver)) {
      throw new HeraldError('APPROVAL_FORBIDDEN', `only the comm's approvers (${spec.by.join(', ')}) can decide`, {
        hint: 'an editor can act on their behalf: herald approve|reject PROJECT COMM --as APPROVER',
      });
    }
    if (input.onBehalfOf !== undefined && !spec.by.includes(input.onBehalfOf)) {
      throw new HeraldError('APPROVER_UNKNOWN', `"${input.onBehalfOf}" is not an approver of ${a.commKey} (approvers: ${spec.by.join(', ')})`, {
        hint: 'name one of the approvers, or leave it out to decide as yourself',
      });
    }
    if (input.round !== undefined && input.round !== a.round) {
      throw new HeraldError('APPROVAL_STALE', `this request was for an earlier version of ${a.commKey}: its content changed since`, {
        hint: 'open the newer approval request (it was sent when the content changed)',
      });
    }
    if (a.state !== 'pending') return { ...result, state: a.state, changed: false };
    const approver = input.approver ?? input.onBehalfOf ?? input.actor;
    await tx.approvals.vote(a.id, { approver, decision: input.decision, note: note ?? null, via: input.via, actor: input.actor, at: now, round: a.round });
    const ref = `${a.commKey}#${a.occurrence}`;
    await tx.audit.append({
      at: now,
      actor: input.actor,
      action: input.decision === 'approve' ? 'approval.given' : 'approval.refused',
      projectKey: a.projectKey,
      ref,
      detail: {
        approver,
        via: input.via,
        round: a.round,
        ...(note === undefined ? {} : { note }),
        ...(input.actor !== approver ? { onBehalfOf: approver } : {}),
      },
    });
    const state = approvalState(spec, await tx.approvals.votes(a.id, a.round));
    if (state === 'pending') return { ...result, state, changed: true };
    await tx.approvals.update(a.id, { state, decidedAt: now, note: note ?? null });
    await tx.approvals.cancelRequests(a.projectId, a.commId, a.occurrence);
    if (state === 'rejected') {
      await tellProjectManager(tx, {
        plan: a.plan,
        comm,
        projectId: a.projectId,
        commId: a.commId,
        occurrence: a.occurrence,
        approvalId: a.id,
        round: a.round,
        kind: 'approval-rejected',
        now,
      });
      return { ...result, state, changed: true };
    }
    const held = await tx.approvals.held(a.projectId, a.commId, a.occurrence);
    const send: string[] = [];
    const late: string[] = [];
    let reason = '';
    for (const m of held) {
      const v = releaseVerdict(a.plan, spec, m.dueAt, now);
      if (v.send) send.push(m.id);
      else {
        late.push(m.id);
        reason = v.reason;
      }
    }
    const released = await tx.approvals.release(send);
    await tx.approvals.skip(late, reason, now);
    if (held.length > 0) {
      await tx.audit.append({
        at: now,
        actor: input.actor,
        action: 'message.released',
        projectKey: a.projectKey,
        ref,
        detail: { released, skipped: late.length },
      });
    }
    return { ...result, state, changed: true, released, skipped: late.length };
  });
}
