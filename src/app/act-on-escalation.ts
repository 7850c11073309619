import { HeraldError, NotFoundError } from '../domain/errors.ts';
import { transition, type EscalationAction, type EscalationState } from '../domain/escalation/rules.ts';
import { queueEscalationUpdate } from './escalation-notices.ts';
import type { Clock, StoreDeps } from './ports.ts';

export interface EscalationActResult {
  escalationId: string;
  state: EscalationState;
  /** False when the escalation was already in that state (a repeated click changes nothing). */
  changed: boolean;
  /** The "team is on it" message queued for the person who answered. */
  updateMessageId?: string;
  /** The note stored with this change (absent when none was given or nothing changed). */
  note?: string;
}

/** Longest note kept; the API schema and the /e/ page's text box use the same bound. */
export const ESCALATION_NOTE_MAX = 2000;

/**
 * Acknowledge or resolve an escalation (Slack button, email confirm page, CLI). Only its owner or
 * the workstream's escalation person may act when `by` is given (the CLI acts for the PM without
 * one). The person who answered is told, on the channel they answered on, so end users see that
 * answering helps. A note is stored with the change (acknowledgementNote / resolutionNote). Repeats
 * change nothing, their note included: the first note given for a change is the one kept.
 */
export async function actOnEscalation(
  deps: StoreDeps & { clock: Clock },
  input: {
    escalationId: string;
    action: EscalationAction;
    by?: string;
    project?: string;
    note?: string | undefined;
    /** Who acts, for the audit log: the token's name, user@host, or the owner's plan id; default "herald". */
    actor?: string;
  },
): Promise<EscalationActResult> {
  const now = deps.clock.now();
  // Blank notes are stored as none, so "has a note" means there is something to read.
  const note = input.note?.trim() ? input.note.trim() : null;
  if (note !== null && note.length > ESCALATION_NOTE_MAX) {
    throw new HeraldError('ESCALATION_NOTE_INVALID', `the note is ${note.length} characters; at most ${ESCALATION_NOTE_MAX} are kept`, {
      hint: 'shorten the note; link to a longer write-up',
    });
  }
  return deps.stores.transaction(async (tx) => {
    // Locks the row: of two clicks at once, one changes it and the other sees the change.
    const e = await tx.escalations.lock(input.escalationId);
    if (!e || (input.project !== undefined && e.projectKey !== input.project)) {
      throw new NotFoundError(
        `escalation ${input.escalationId}${input.project ? ` in project ${input.project}` : ''}`,
        `list them with: herald escalations ${input.project ?? 'PROJECT'} --open`,
      );
    }
    if (input.by !== undefined && input.by !== e.ownerId && input.by !== e.secondId) {
      throw new HeraldError('ESCALATION_FORBIDDEN', "only the escalation's owner or the workstream's escalation person can change it", {
        hint: 'ask the owner, or use herald escalation ack|resolve as the project manager',
      });
    }
    const next = transition(e.state as EscalationState, input.action);
    if (next === undefined) return { escalationId: e.id, state: e.state as EscalationState, changed: false };
    const by = input.by ?? null;
    await tx.escalations.update(
      e.id,
      next === 'acknowledged'
        ? { state: next, acknowledgedAt: now, acknowledgedBy: by, acknowledgementNote: note }
        : { state: next, resolvedAt: now, resolvedBy: by, resolutionNote: note },
    );
    const to = await tx.escalations.recipient(e.personId);
    const updateMessageId = await queueEscalationUpdate(tx, {
      plan: e.plan,
      projectId: e.projectId,
      escalation: { id: e.id, commId: e.commId, occurrence: e.occurrence },
      to,
      answeredOn: e.answeredOn,
      state: next,
      now,
    });
    // An owner acting from Slack or the /e/ link is named by their plan id.
    const actor = input.actor ?? (input.by === undefined ? 'herald' : ((await tx.escalations.personKeys([input.by])).get(input.by) ?? input.by));
    await tx.audit.append({
      at: now,
      actor,
      action: next === 'acknowledged' ? 'escalation.acknowledged' : 'escalation.resolved',
      projectKey: e.projectKey,
      ref: e.id,
      detail: { option: e.option, ...(note === null ? {} : { note }) },
    });
    return { escalationId: e.id, state: next, changed: true, updateMessageId, ...(note === null ? {} : { note }) };
  });
}
