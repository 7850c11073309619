/**
 * Assign an inbox item: a person read an unmatched, mailing-list or unverified mail and says whose
 * answer to which survey message it is. It is recorded through recordResponse, the one use case
 * every answer ends in (channel email-reply, source `mail:<Message-ID>`, so assigning the same mail
 * again records nothing new), and the item is marked assigned, which takes it out of the inbox.
 */
import { commTitle } from '../domain/plan/comm-title.ts';
import { HeraldError, NotFoundError } from '../domain/errors.ts';
import { ASSIGNED_OUTCOME, INBOX_OUTCOMES, inInbox } from './list-inbox.ts';
import type { Clock, StoreDeps } from './ports.ts';
import { recordResponse, type RecordResponseResult } from './record-response.ts';

export interface AssignInboundInput {
  project: string;
  inboundId: string;
  /** The person's id in the plan. */
  person: string;
  /** The survey message (sent to that person in this project) the mail answers. */
  messageId: string;
  option: string | null;
  comment: string | null;
  /** Who assigned it (the dashboard token's name), kept in the item's reason. */
  by: string;
  /** False for a token limited to one project: mail of no known project is not theirs to assign. */
  projectless?: boolean;
}

export interface AssignInboundResult {
  recorded: RecordResponseResult;
}

/** A mail sent with no Message-ID is stored under `sha256:<hex>`; either way one key per mail. */
function mailRef(dedupeKey: string): string {
  return `mail:${dedupeKey.replace(/^mid:/, '')}`;
}

export async function assignInboundMail(deps: StoreDeps & { clock: Clock }, input: AssignInboundInput): Promise<AssignInboundResult> {
  const { stores } = deps;
  const projectId = await stores.projects.findId(input.project);
  if (!projectId) throw new NotFoundError(`project "${input.project}"`, 'apply a plan first');
  const item = /^[0-9a-f-]{36}$/i.test(input.inboundId) ? await stores.inbound.get(input.inboundId) : undefined;
  if (!item || !inInbox(item, projectId, { projectless: input.projectless })) {
    throw new NotFoundError(`inbox item ${input.inboundId} in project ${input.project}`, `list the inbox with: herald inbox ${input.project}`);
  }
  const waiting = (INBOX_OUTCOMES as readonly string[]).includes(item.outcome) || (item.fromOtherAddress && item.outcome !== ASSIGNED_OUTCOME);
  if (!waiting) {
    throw new HeraldError(
      'INBOX_ITEM_CLOSED',
      `inbox item ${item.id} is ${item.outcome} (${item.reason ?? 'no reason given'}), so it is no longer in the inbox`,
      { hint: 'reload the inbox; change the answer on the Responses page instead' },
    );
  }
  const message = /^[0-9a-f-]{36}$/i.test(input.messageId) ? await stores.inbound.messageOfPerson(projectId, input.messageId, input.person) : undefined;
  if (!message)
    throw new NotFoundError(`message ${input.messageId} to ${input.person} in project ${input.project}`, "choose one of the person's survey messages");
  if (!message.comm.spec.survey) {
    throw new HeraldError('INBOX_NOT_A_SURVEY', `${message.comm.key} asks no question, so there is no answer to record`, {
      hint: "choose one of the person's survey messages",
    });
  }

  // Claim the item first: of two people assigning it at once, one records and the other is told.
  // In words, as the inbox and `herald inbox` show it: the person's name and the comm's title, not their keys.
  const reason = `assigned by ${input.by} to ${message.person.name} on ${commTitle(message.comm.spec, message.comm.key)}`;
  const claimed = await stores.inbound.updateIfUnchanged(item.id, item, {
    outcome: ASSIGNED_OUTCOME,
    reason,
    projectId,
    messageId: message.id,
    personId: message.person.id,
  });
  if (!claimed)
    throw new HeraldError('INBOX_ITEM_CHANGED', `inbox item ${item.id} changed while you were assigning it`, { hint: 'reload the inbox and look again' });
  try {
    const fromOtherAddress = item.fromAddress !== null && item.fromAddress.toLowerCase() !== message.person.email?.toLowerCase();
    const recorded = await recordResponse(
      { stores, clock: deps.clock },
      {
        messageId: message.id,
        option: input.option,
        comment: input.comment,
        channel: 'email-reply',
        receivedAt: item.receivedAt,
        sourceRef: mailRef(item.dedupeKey),
        fromOtherAddress,
      },
    );
    await stores.inbound.update(item.id, { responseId: recorded.response.id, option: input.option, comment: recorded.response.comment });
    return { recorded };
  } catch (e) {
    // Nothing recorded (a wrong option, an empty answer): the item goes back to the inbox as it was.
    await stores.inbound.update(item.id, {
      outcome: item.outcome,
      reason: item.reason,
      projectId: item.projectId,
      messageId: item.messageId,
      personId: item.personId,
    });
    throw e;
  }
}
