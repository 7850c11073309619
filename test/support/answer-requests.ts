/**
 * Answers as the outside world sends them, for load (bench:responses, the chaos soak): a signed
 * Slack button click on a survey message, and an answer-link form POST with its proof. The survey
 * is the example plan's `hypercare-checkin`; markSurveysSent makes its messages answerable.
 */
import type pg from 'pg';
import { signToken } from '../../src/domain/tokens.ts';
import { issueFormProof } from '../../src/http/form-proof.ts';
import { blockActions, interactionBody, slackSignatureHeaders } from '../../src/sandbox/slack-payloads.ts';
import { surveyBlocks } from '../../src/templates/slack-blocks.ts';

export const SURVEY = {
  question: 'How is the new Outlook and Teams setup working for you?',
  comment: 'optional' as const,
  options: [
    { value: 'good', label: 'Working well' },
    { value: 'minor', label: 'Some issues', escalate: true as const },
    { value: 'blocked', label: "I can't work", escalate: 'urgent' as const },
  ],
};

export interface SurveyMessage {
  id: string;
  personId: string;
  slackId: string | null;
  channel: 'slack' | 'email';
  providerChannel: string | null;
  providerId: string | null;
}

export interface LoadRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Marks every hypercare-checkin message of an applied example plan sent (Slack ones with a channel
 * and ts, as the worker stores them) and returns the calendar ones that can be answered.
 */
export async function markSurveysSent(c: pg.Client | pg.Pool): Promise<SurveyMessage[]> {
  await c.query(
    `UPDATE "Message" m SET "status"='sent', "sentAt"=now(),
       "providerChannel"=CASE WHEN m."channel"='slack' THEN 'D' || upper(substr(md5(m."id"::text), 1, 10)) END,
       "providerId"=CASE WHEN m."channel"='slack' THEN (1700000000 + n.rn)::text || '.000100' END
     FROM (SELECT m2."id", row_number() OVER () AS rn FROM "Message" m2 JOIN "Comm" c ON c."id"=m2."commId" WHERE c."key"='hypercare-checkin') n
     WHERE n."id"=m."id"`,
  );
  const { rows } = await c.query<SurveyMessage>(
    `SELECT m."id", m."personId", p."slackId", m."channel", m."providerChannel", m."providerId"
     FROM "Message" m JOIN "Comm" c ON c."id"=m."commId" JOIN "Person" p ON p."id"=m."personId"
     WHERE c."key"='hypercare-checkin' AND m."kind"='comm' ORDER BY m."id"`,
  );
  return rows.filter((r) => r.channel === 'email' || r.slackId !== null);
}

/** The survey message as the Slack sandbox must hold it for a click on it to be answered in place. */
export function postedSurvey(m: SurveyMessage): { channel: string; user: string; ts: string; text: string; blocks: unknown[]; at: number } {
  return { channel: m.providerChannel!, user: m.slackId!, ts: m.providerId!, text: 'checkin', blocks: surveyBlocks(SURVEY, m.id), at: Date.now() };
}

/** A signed click on option `i % 3` of Slack survey message `m`, for POST /slack/events. */
export function slackClickRequest(signingSecret: string, m: SurveyMessage, i: number): LoadRequest {
  const o = SURVEY.options[i % 3]!.value;
  const payload = blockActions({
    user: m.slackId!,
    message: { channel: m.providerChannel!, ts: m.providerId!, blocks: surveyBlocks(SURVEY, m.id) },
    actionId: `herald_survey_${o}`,
    value: JSON.stringify({ m: m.id, o }),
  });
  const body = interactionBody(payload);
  return { path: '/slack/events', headers: slackSignatureHeaders(signingSecret, body, Math.floor(Date.now() / 1000)), body };
}

/** The answer form's POST for option `i % 3` of e-mail survey message `m` (with the proof its GET page carries). */
export function answerLinkRequest(secret: string, m: SurveyMessage, i: number): LoadRequest {
  const nowS = Math.floor(Date.now() / 1000);
  const o = SURVEY.options[i % 3]!.value;
  const token = signToken(secret, { k: 'answer', m: m.id, p: m.personId, o, exp: nowS + 86_400 });
  const proof = issueFormProof(secret, token, nowS);
  const body = new URLSearchParams({ proof, option: o, comment: i % 5 === 0 ? 'Teams asks me to sign in again' : '' }).toString();
  return { path: `/r/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
}
