import { DateTime } from 'luxon';
import { HeraldError } from '../errors.ts';

/**
 * The audit trail's vocabulary: every action that changes what people receive or what Herald
 * records, with the words the CLI, the API and the dashboard show for it. Adding an action is one
 * line here; the store keeps whatever is listed.
 */
export const AUDIT_ACTIONS = {
  'plan.applied': 'plan applied',
  'plan.rolled-back': 'plan rolled back',
  'milestone.moved': 'milestone moved',
  'milestone.done': 'milestone done',
  'message.retried': 'message retried',
  'message.sent-manually': 'comm sent manually',
  'escalation.acknowledged': 'escalation acknowledged',
  'escalation.resolved': 'escalation resolved',
  'token.created': 'token created',
  'token.revoked': 'token revoked',
  'person.opted-out': 'opted out',
  'person.opted-in': 'opted in',
  'approval.requested': 'approval asked',
  'approval.given': 'approval given',
  'approval.refused': 'changes requested',
  'approval.withdrawn': 'approval withdrawn (content changed)',
  'approval.kept': 'approval kept (date moved)',
  'message.held': 'messages held for approval',
  'message.released': 'held messages released',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** One entry as a use case records it. */
export interface AuditEvent {
  at: Date;
  /** An API token's name, user@host (CLI), a person's plan id, or "herald" (the worker). */
  actor: string;
  action: AuditAction;
  /** The project's key; null for an action on no one project (a token for every project). */
  projectKey: string | null;
  /** What it refers to: a plan version, milestone key, message id, escalation id, token name, person and comm. */
  ref: string;
  detail?: Record<string, unknown>;
}

/** An entry as stored: with its id and position in the log. */
export interface AuditEntry extends Required<AuditEvent> {
  id: string;
  /** Insertion order, a decimal string (a bigint in the database). */
  seq: string;
}

export function auditActionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}

/**
 * `--since` / `?since=`: a date (YYYY-MM-DD, from midnight in the project zone) or an ISO date-time
 * with its offset. A DATE_INVALID error otherwise.
 */
export function parseSince(text: string, zone: string): Date {
  const t = text.trim();
  const at = /^\d{4}-\d{2}-\d{2}$/.test(t)
    ? DateTime.fromISO(t, { zone }).startOf('day')
    : /(Z|[+-]\d{2}:?\d{2})$/i.test(t)
      ? DateTime.fromISO(t, { setZone: true })
      : DateTime.invalid('no offset');
  // An instant outside what a Date holds (luxon takes years past 275760) is no date either.
  if (!at.isValid || Number.isNaN(at.toMillis()) || Math.abs(at.toMillis()) > 8.64e15) {
    throw new HeraldError('DATE_INVALID', `"${text}" is not a date (YYYY-MM-DD) or a date-time with its offset (2027-03-01T09:00Z)`, {
      hint: 'e.g. --since 2027-03-01',
    });
  }
  return at.toJSDate();
}
