import { HeraldError, NotFoundError } from '../domain/errors.ts';
import { transition, type EscalationAction, type EscalationState } from '../domain/escalation/rules.ts';
import type { Plan } from '../domain/plan/model.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { withTransaction } from '../db/transaction.ts';
import { queueEscalationUpdate } from './escalation-notices.ts';
import type { Clock } from './ports.ts';

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
  deps: { prisma: PrismaClient; clock: Clock },
  input: { escalationId: string; action: EscalationAction; by?: string; project?: string; note?: string | undefined },
): Promise<EscalationActResult> {
  const now = deps.clock.now();
  // Blank notes are stored as none, so "has a note" means there is something to read.
  const note = input.note?.trim() ? input.note.trim() : null;
  if (note !== null && note.length > ESCALATION_NOTE_MAX) {
    throw new HeraldError('ESCALATION_NOTE_INVALID', `the note is ${note.length} characters; at most ${ESCALATION_NOTE_MAX} are kept`, { hint: 'shorten the note; link to a longer write-up' });
  }
  return withTransaction(deps.prisma, async (tx) => {
    // Locks the row: of two clicks at once, one changes it and the other sees the change.
    const [locked] = await tx.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "Escalation" WHERE "id"=${input.escalationId}::uuid FOR UPDATE`;
    const e = locked && (await tx.escalation.findUnique({ where: { id: locked.id }, include: { project: { select: { key: true, plan: true } }, response: { select: { channel: true } } } }));
    if (!e || (input.project !== undefined && e.project.key !== input.project)) {
      throw new NotFoundError(`escalation ${input.escalationId}${input.project ? ` in project ${input.project}` : ''}`, `list them with: herald escalations ${input.project ?? 'PROJECT'} --open`);
    }
    if (input.by !== undefined && input.by !== e.ownerId && input.by !== e.secondId) {
      throw new HeraldError('ESCALATION_FORBIDDEN', 'only the escalation\'s owner or the workstream\'s escalation person can change it', {
        hint: 'ask the owner, or use herald escalation ack|resolve as the project manager',
      });
    }
    const next = transition(e.state as EscalationState, input.action);
    if (next === undefined) return { escalationId: e.id, state: e.state as EscalationState, changed: false };
    const by = input.by ?? null;
    await tx.escalation.update({
      where: { id: e.id },
      data:
        next === 'acknowledged'
          ? { state: next, acknowledgedAt: now, acknowledgedBy: by, acknowledgementNote: note }
          : { state: next, resolvedAt: now, resolvedBy: by, resolutionNote: note },
    });
    const to = await tx.person.findUniqueOrThrow({ where: { id: e.personId }, select: { id: true, key: true, timezone: true, email: true, slackId: true } });
    const updateMessageId = await queueEscalationUpdate(tx, {
      plan: e.project.plan as unknown as Plan,
      projectId: e.projectId,
      escalation: { id: e.id, commId: e.commId, occurrence: e.occurrence },
      to,
      answeredOn: e.response.channel,
      state: next,
      now,
    });
    return { escalationId: e.id, state: next, changed: true, updateMessageId, ...(note === null ? {} : { note }) };
  });
}
