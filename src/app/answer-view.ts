/**
 * What an answer page or a Slack control needs to know about one message: its survey, its
 * recipient, whether the comm is optional, and the answer stored so far (on any channel).
 */
import { NotFoundError } from '../domain/errors.ts';
import type { SurveySpec } from '../domain/plan/model.ts';
import type { MessageForAnswer, StoreDeps } from './ports.ts';

export interface AnswerView {
  messageId: string;
  projectId: string;
  projectName: string;
  comm: { id: string; key: string; kind: string; optional: boolean };
  occurrence: number;
  person: { id: string; key: string; name: string; slackId: string | null };
  survey: SurveySpec | undefined;
  current: { option: string | null; comment: string | null; channel: string; receivedAt: Date } | null;
  /** The row read, to hand to recordResponse so it need not read it again. */
  loaded: MessageForAnswer;
}

export async function loadAnswerView({ stores }: StoreDeps, messageId: string): Promise<AnswerView> {
  const m = await stores.responses.messageForAnswer(messageId);
  if (m === undefined) throw new NotFoundError(`message ${messageId}`, 'the plan it belonged to may have been removed');
  return {
    messageId: m.id,
    projectId: m.projectId,
    projectName: m.projectName,
    comm: { id: m.comm.id, key: m.comm.key, kind: m.comm.kind, optional: m.comm.optional },
    occurrence: m.occurrence,
    person: { id: m.person.id, key: m.person.key, name: m.person.name, slackId: m.person.slackId },
    survey: m.comm.spec.survey,
    current: m.current,
    loaded: m,
  };
}

/** How a channel is named to the person ("on Slack"). */
export function channelPhrase(channel: string): string {
  switch (channel) {
    case 'slack':
      return 'in Slack';
    case 'email-link':
      return 'from the email';
    case 'email-reply':
      return 'by email reply';
    default:
      return `via ${channel}`;
  }
}
