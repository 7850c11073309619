/**
 * `herald inbox`: inbound mail that recorded nothing or needs a person's eye — unmatched mail,
 * mailing-list copies, unparseable mail, replies with no new text, replies to messages that ask
 * nothing, answers that could not be recorded, and recorded replies sent from another address.
 * Mail that reached no known project is shown only to those who may see every project (the CLI,
 * unscoped dashboard tokens): it may belong to any of them.
 */
import { NotFoundError } from '../domain/errors.ts';
import type { StoreDeps } from './ports.ts';

export const INBOX_OUTCOMES = ['unmatched', 'listed', 'unparseable', 'empty', 'kept'] as const;
/** The outcome of an item a person assigned to an answer (src/app/assign-inbound-mail.ts): it leaves the inbox. */
export const ASSIGNED_OUTCOME = 'assigned';

/** Who is looking: `projectless` is true for readers not limited to one project (the CLI, unscoped tokens). */
export interface InboxScope {
  projectless?: boolean;
}

/** An item belongs to its project's inbox; one of no known project only to readers of every project. */
export function inInbox(item: { projectId: string | null }, projectId: string, scope: InboxScope): boolean {
  return item.projectId === projectId || (item.projectId === null && scope.projectless !== false);
}

export interface InboxEntry {
  id: string;
  receivedAt: string;
  via: string;
  from: string | null;
  subject: string | null;
  kind: string;
  outcome: string;
  reason: string | null;
  /** The person the mail was matched to (their id in the plan), when it was. */
  person: string | null;
  comm: string | null;
  fromOtherAddress: boolean;
  option: string | null;
  comment: string | null;
  /** False when the mail reached no known project (listed for every project). */
  inProject: boolean;
  size: number;
}

export async function listInbox({ stores }: StoreDeps, projectKey: string, opts: { limit?: number } & InboxScope = {}): Promise<InboxEntry[]> {
  const projectId = await stores.projects.findId(projectKey);
  if (!projectId) throw new NotFoundError(`project "${projectKey}"`, 'apply a plan first, or check the key with herald calendar');
  const rows = await stores.inbound.inbox(projectId, {
    outcomes: INBOX_OUTCOMES,
    excludeOutcome: ASSIGNED_OUTCOME,
    projectless: opts.projectless !== false,
    limit: opts.limit ?? 200,
  });
  const personIds = [...new Set(rows.map((r) => r.personId).filter((x): x is string => x !== null))];
  const messageIds = [...new Set(rows.map((r) => r.messageId).filter((x): x is string => x !== null))];
  const { people, comms } = await stores.inbound.keysOf(personIds, messageIds);
  return rows.map((r) => ({
    id: r.id,
    receivedAt: r.receivedAt.toISOString(),
    via: r.via,
    from: r.fromAddress,
    subject: r.subject,
    kind: r.kind,
    outcome: r.outcome,
    reason: r.reason,
    person: r.personId ? (people.get(r.personId) ?? null) : null,
    comm: r.messageId ? (comms.get(r.messageId) ?? null) : null,
    fromOtherAddress: r.fromOtherAddress,
    option: r.option,
    comment: r.comment,
    inProject: r.projectId !== null,
    size: r.size,
  }));
}
