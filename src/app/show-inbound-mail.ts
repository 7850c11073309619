/**
 * One inbox item as a person reads it: who sent it, when, its subject, and its text with quoted
 * history, signatures and disclaimers stripped (the same stripping a recorded reply goes through),
 * plus the full text for when the stripping took too much.
 */
import { parseMime } from '../channels/email/inbound/parse-mime.ts';
import { NotFoundError } from '../domain/errors.ts';
import { baseAddress } from '../domain/inbound/reply-address.ts';
import { replyText } from '../domain/inbound/reply-text.ts';
import type { StoreDeps } from './ports.ts';
import { ASSIGNED_OUTCOME, INBOX_OUTCOMES, inInbox, type InboxScope } from './list-inbox.ts';

export interface InboundMailView {
  id: string;
  from: string | null;
  subject: string | null;
  receivedAt: Date;
  kind: string;
  outcome: string;
  reason: string | null;
  /** Still waiting in the inbox (not recorded, handled or assigned). */
  open: boolean;
  /** The new text of the mail, quoted history stripped. */
  text: string;
  /** Everything the mail's text part said. */
  fullText: string;
}

/** The inbox item `id`, if it belongs to project `projectKey` (or to no known project, for readers of every project). */
export async function showInboundMail({ stores }: StoreDeps, projectKey: string, id: string, scope: InboxScope = {}): Promise<InboundMailView> {
  const projectId = await stores.projects.findId(projectKey);
  if (!projectId) throw new NotFoundError(`project "${projectKey}"`, 'apply a plan first');
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await stores.inbound.getWithRaw(id) : undefined;
  if (!row || !inInbox(row, projectId, scope))
    throw new NotFoundError(`inbox item ${id} in project ${projectKey}`, `list the inbox with: herald inbox ${projectKey}`);
  const mail = await parseMime(Buffer.from(row.raw)).catch(() => undefined);
  const fullText = mail?.text ?? '';
  const addresses = ((await stores.inbound.projectAddresses()).find((p) => p.projectId === projectId)?.addresses ?? [])
    .map((a) => baseAddress(a))
    .filter((a): a is string => a !== undefined);
  return {
    id: row.id,
    from: row.fromAddress,
    subject: row.subject,
    receivedAt: row.receivedAt,
    kind: row.kind,
    outcome: row.outcome,
    reason: row.reason,
    open: (INBOX_OUTCOMES as readonly string[]).includes(row.outcome) || (row.fromOtherAddress && row.outcome !== ASSIGNED_OUTCOME),
    text: replyText(fullText, { addresses }).text,
    fullText,
  };
}
