import { NotFoundError } from '../domain/errors.ts';
import type { StoreDeps } from './ports.ts';

export interface MessageLogEntry {
  id: string;
  key: string;
  comm: string;
  person: string;
  channel: string;
  dueAt: string;
  status: string;
  attempts: number;
  sentAt?: string;
  providerId?: string;
  providerChannel?: string;
  lastError?: string;
  deliveries: Array<{ at: string; outcome: string; channel: string; providerId?: string; error?: string }>;
  /** The person's survey answer to this comm occurrence, whatever channel it came through. */
  answer?: { option: string | null; comment: string | null; channel: string; at: string };
}

/** The delivery log: messages with every attempt, newest first within each message. */
export async function listMessages(
  { stores }: StoreDeps,
  q: { project: string; status?: string; comm?: string; person?: string; channel?: string; limit?: number; offset?: number },
): Promise<MessageLogEntry[]> {
  const projectId = await stores.projects.idOf(q.project);
  const rows = await stores.messageLog.list(projectId, q);
  return rows.map((r) => {
    const e: MessageLogEntry = {
      id: r.id,
      key: r.key,
      comm: r.comm,
      person: r.person,
      channel: r.channel,
      dueAt: r.dueAt.toISOString(),
      status: r.status,
      attempts: Number(r.attempts),
      deliveries: r.deliveries,
    };
    if (r.sentAt) e.sentAt = r.sentAt.toISOString();
    if (r.providerId) e.providerId = r.providerId;
    if (r.providerChannel) e.providerChannel = r.providerChannel;
    if (r.lastError) e.lastError = r.lastError;
    if (r.answer) e.answer = { ...r.answer, at: r.answer.at.toISOString() };
    return e;
  });
}

/**
 * Puts failed (or the named) messages back in the calendar, due now: the sweeper hands
 * them to the queue within a second. Sent messages are never re-sent this way.
 */
export async function retryMessages(
  { stores }: StoreDeps,
  q: { project: string; messageIds?: string[] | undefined; now: Date; actor?: string },
): Promise<number> {
  const projectId = await stores.projects.idOf(q.project);
  const n = await stores.transaction(async (tx) => {
    const count = Number(await tx.messageLog.retryFailed(projectId, q.messageIds, q.now));
    if (count > 0) {
      await tx.audit.append({
        at: q.now,
        actor: q.actor ?? 'herald',
        action: 'message.retried',
        projectKey: q.project,
        ref: q.messageIds?.length ? q.messageIds.join(' ') : 'every failed message',
        detail: { messages: count },
      });
    }
    return count;
  });
  if (q.messageIds?.length && n === 0)
    throw new NotFoundError(`failed message ${q.messageIds.join(', ')}`, 'list them with: herald messages PROJECT --status failed');
  return Number(n);
}
