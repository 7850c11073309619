/**
 * Record response: the one use case every answer ends in — a Slack button or modal, an email
 * answer link, an email reply, the API, the dashboard. One answer per (comm, occurrence, person):
 * the first creates it, a different one updates it and appends history, the same delivery twice
 * (or two processes at once) records once. Workstream-status answers also set the workstream's
 * current status.
 */
import { HeraldError } from '../domain/errors.ts';
import type { SurveyOption, SurveySpec } from '../domain/plan/model.ts';
import {
  decideAnswer,
  normaliseComment,
  ResponseRejectedError,
  surveyOption,
  WORKSTREAM_STATUS_KIND,
  type AnswerState,
  type ResponseChannel,
} from '../domain/response.ts';
import { followUpAnswer, type FollowUps } from './follow-up-answer.ts';
import type { PlanCache } from './plan-cache.ts';
import type { Clock, MessageForAnswer, ResponseRow, StoreDeps, Stores } from './ports.ts';

type Response = ResponseRow;

export interface RecordResponseDeps extends StoreDeps {
  /** When an escalation the answer sets off opens and when its notice is due: the caller's clock (`herald demo`'s too). */
  clock: Clock;
  /** The process's plan cache, for the follow-ups of an escalating answer (src/main/server.ts builds it). */
  plans?: PlanCache | undefined;
}

export interface RecordResponseInput {
  /** The message answered (the Slack message or email the answer came through). */
  messageId: string;
  /** A survey option value, or null for a comment-only answer (a reply with no recognisable option). */
  option: string | null;
  comment: string | null;
  channel: ResponseChannel;
  receivedAt: Date;
  /**
   * Identifies this delivery of the answer, so a redelivery changes nothing: `slack:<trigger id>`,
   * `link:<token id>:<csrf nonce>`, `mail:<Message-ID>`. Prefix by channel so refs never collide.
   */
  sourceRef: string;
  /** An email reply from an address other than the person's (recorded, and flagged wherever shown). */
  fromOtherAddress?: boolean;
}

/** What callers need to act on the answer (update the Slack message, open an escalation, reply). */
export interface AnswerContext {
  projectId: string;
  projectKey: string;
  /** Which version of the project's plan is current (the follow-ups read the plan through a cache). */
  projectUpdatedAt: Date;
  message: { id: string; channel: string; occurrence: number; providerId: string | null; providerChannel: string | null };
  comm: { id: string; key: string; kind: string; optional: boolean; workstreamKey: string | null };
  person: { id: string; key: string; name: string; email: string | null; slackId: string | null };
}

export interface RecordResponseResult {
  kind: 'created' | 'changed' | 'unchanged';
  response: Response;
  /** The stored answer before this call; null when this call created it. */
  previous: AnswerState | null;
  /** The option now stored (with its `escalate` flag), null when the answer has none. */
  option: SurveyOption | null;
  survey: SurveySpec;
  context: AnswerContext;
  /** Keys of workstreams whose current status this answer set. */
  workstreamsUpdated: string[];
  /** Reminders cancelled and the escalation opened, updated or raised by this answer. */
  followUps: FollowUps;
}

const TX_TIMEOUT_MS = 15_000;
/**
 * Records an answer (see the file comment). A transient database failure is retried a few times
 * with a short backoff, so an acknowledged Slack click is not lost to a busy pool.
 */
export async function recordResponse(
  deps: RecordResponseDeps,
  input: RecordResponseInput,
  opts: { loaded?: MessageForAnswer } = {},
): Promise<RecordResponseResult> {
  return deps.stores.retrying((attempt) => recordOnce(deps, input, attempt === 1 ? opts.loaded : undefined));
}

async function recordOnce(deps: RecordResponseDeps, input: RecordResponseInput, loaded: MessageForAnswer | undefined): Promise<RecordResponseResult> {
  const comment = normaliseComment(input.comment);
  // A caller that already read the message (the Slack click, to check its recipient) passes it in.
  const message = loaded?.id === input.messageId ? loaded : await deps.stores.responses.messageForAnswer(input.messageId);
  if (message === undefined) {
    throw new ResponseRejectedError('RESPONSE_MESSAGE_UNKNOWN', `message ${input.messageId} does not exist (its plan may have been removed)`);
  }
  const spec = message.comm.spec;
  const survey = spec.survey;
  // Validates before anything is written: a wrong option is the caller's error, never stored.
  surveyOption(survey, message.comm.key, input.option);
  if (survey === undefined) throw new HeraldError('INTERNAL', 'unreachable: surveyOption checks the survey', { retryable: true });
  if (input.option === null && comment === null) {
    throw new ResponseRejectedError('RESPONSE_EMPTY', 'an answer needs an option or a comment', 'choose an option or write a comment');
  }
  const context: AnswerContext = {
    projectId: message.projectId,
    projectKey: message.projectKey,
    projectUpdatedAt: message.projectUpdatedAt,
    message: {
      id: message.id,
      channel: message.channel,
      occurrence: message.occurrence,
      providerId: message.providerId,
      providerChannel: message.providerChannel,
    },
    comm: { id: message.comm.id, key: message.comm.key, kind: message.comm.kind, optional: message.comm.optional, workstreamKey: message.comm.workstreamKey },
    person: { ...message.person },
  };
  const key = { commId: message.commId, occurrence: message.occurrence, personId: message.personId };
  const fromOtherAddress = input.fromOtherAddress ?? false;

  return deps.stores.transaction(
    async (tx) => {
      // ON CONFLICT DO NOTHING: of two processes inserting at once, one wins and the other waits
      // for its commit, then finds the row below (locked, so changes apply one at a time).
      const created = await tx.responses.insertIfAbsent({
        projectId: message.projectId,
        ...key,
        messageId: message.id,
        channel: input.channel,
        option: input.option,
        comment,
        receivedAt: input.receivedAt,
        sourceRef: input.sourceRef,
        fromOtherAddress,
      });
      const stored = created ?? (await tx.responses.lock(key));

      let kind: RecordResponseResult['kind'];
      let previous: AnswerState | null = null;
      let response = stored;
      if (created) {
        kind = 'created';
      } else {
        previous = { option: stored.option, comment: stored.comment };
        const decision = decideAnswer(stored, { option: input.option, comment, sourceRef: input.sourceRef });
        if (decision.kind === 'unchanged') {
          kind = 'unchanged';
          // Remember the ref of a repeated answer too, so its redelivery after a later change is still ignored.
          if (decision.reason === 'same-answer') {
            response = await tx.responses.addSourceRef(stored.id, input.sourceRef);
          }
        } else {
          kind = 'changed';
          response = await tx.responses.change(stored, {
            ...decision.next,
            messageId: message.id,
            channel: input.channel,
            receivedAt: input.receivedAt,
            sourceRef: input.sourceRef,
            fromOtherAddress,
          });
        }
      }

      const workstreamsUpdated = kind === 'unchanged' ? [] : await setWorkstreamStatus(tx, context, response);

      // follow-ups: reminders cancelled and escalations opened inside this transaction (follow-up-answer.ts),
      // so an answer and its follow-ups commit together.

      const option = survey.options.find((o) => o.value === response.option) ?? null;
      const followUps = await followUpAnswer(tx, { kind, response, option, context }, deps.clock.now(), deps.plans);
      return { kind, response, previous, option, survey, context, workstreamsUpdated, followUps };
    },
    { timeoutMs: TX_TIMEOUT_MS },
  );
}

/**
 * A workstream-status answer sets the status of the comm's workstream, or, for a comm without
 * one, of the workstreams the answering person owns. An answer older than the current status
 * (a late email reply) does not overwrite it.
 */
async function setWorkstreamStatus(tx: Stores, context: AnswerContext, response: Response): Promise<string[]> {
  if (context.comm.kind !== WORKSTREAM_STATUS_KIND || response.option === null) return [];
  const which = context.comm.workstreamKey === null ? { ownerKey: context.person.key } : { key: context.comm.workstreamKey };
  return tx.workstreams.setStatus(context.projectId, which, {
    status: response.option,
    comment: response.comment,
    at: response.receivedAt,
    byPersonId: context.person.id,
  });
}
