/**
 * `/r/:token` — answering a survey from an email. Mail scanners (Defender Safe Links, Proofpoint,
 * Mimecast) fetch every link, sometimes with HEAD, sometimes in a headless browser that runs
 * JavaScript, so nothing but a POST of the form Herald served counts:
 *  - GET shows a confirm page (the clicked option preselected) and never records; the page has no
 *    JavaScript at all (the CSP forbids it), so it cannot submit itself.
 *  - HEAD (Fastify's automatic HEAD route for the GET) answers 200 and records nothing.
 *  - POST records, and only with the form's proof field bound to this token.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { channelPhrase, loadAnswerView, type AnswerView } from '../app/answer-view.ts';
import type { PlanCache } from '../app/plan-cache.ts';
import type { Clock } from '../app/ports.ts';
import { recordResponse } from '../app/record-response.ts';
import type { StoreDeps } from '../app/ports.ts';
import type { EscalationReads } from '../db/repo/escalation-reads.ts';
import { HeraldError } from '../domain/errors.ts';
import { commentWanted, normaliseComment, surveyOption } from '../domain/response.ts';
import { verifyToken, type TokenPayload } from '../domain/tokens.ts';
import { checkFormProof, issueFormProof, tokenId } from './form-proof.ts';
import { esc, messagePage, page, PAGE_CSP } from './pages.ts';

export interface PageDeps {
  db: StoreDeps;
  /** The escalation links' reads (src/db/repo/escalation-reads.ts). */
  escalations: EscalationReads;
  secret: string | undefined;
  clock: Clock;
  rateLimit: { max: number; timeWindow: number };
  /** The process's plan cache, for the follow-ups of an escalating answer. */
  plans?: PlanCache | undefined;
}

const COMMENT_MAX = 4000;

export function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex, nofollow')
    .send(html);
}

export function requireSecret(secret: string | undefined): string {
  if (!secret)
    throw new HeraldError('SERVER_NOT_CONFIGURED', 'HERALD_SECRET is not set on this server', {
      retryable: true,
      hint: 'set HERALD_SECRET to the value the workers use',
    });
  return secret;
}

/** Verifies a link token of the expected kind (TOKEN_INVALID → 400, TOKEN_EXPIRED → 410). */
export function readToken(secret: string, token: string, kind: TokenPayload['k'], now: Date): TokenPayload {
  const payload = verifyToken(secret, token, Math.floor(now.getTime() / 1000));
  if (payload.k !== kind)
    throw new HeraldError('TOKEN_INVALID', 'the link or token is not valid (wrong kind of link)', { hint: 'use the link exactly as it came in the email' });
  return payload;
}

/** The message a token names, checked to belong to the token's person. */
export async function viewForToken(db: StoreDeps, payload: TokenPayload): Promise<AnswerView> {
  const view = await loadAnswerView(db, payload.m).catch((err: unknown) => {
    if (err instanceof HeraldError && err.code === 'NOT_FOUND')
      throw new HeraldError('TOKEN_INVALID', 'the link or token is not valid (its message no longer exists)', {
        hint: 'the plan may have changed; answer from a newer message',
      });
    throw err;
  });
  if (view.person.id !== payload.p) throw new HeraldError('TOKEN_INVALID', 'the link or token is not valid (person mismatch)');
  return view;
}

function answerForm(view: AnswerView, token: string, proof: string, chosen: string | null, comment: string | null, error?: string): string {
  const survey = view.survey!;
  const current = view.current;
  const label = (value: string | null) => survey.options.find((o) => o.value === value)?.label ?? value ?? 'a comment only';
  const parts: string[] = [`<p class="muted">${esc(view.projectName)}</p>`, `<h1>${esc(survey.question)}</h1>`];
  if (current) {
    parts.push(
      `<p class="note">You answered <strong>${esc(label(current.option))}</strong> ` +
        `${esc(channelPhrase(current.channel))}${current.comment ? `: “${esc(current.comment)}”` : ''}. You can` +
        ' change your answer below.</p>',
    );
  }
  if (error) parts.push(`<p class="error">${esc(error)}</p>`);
  const asksComment = survey.comment !== 'none' || survey.options.some((o) => o.comment === true);
  const options = survey.options
    .map((o) => {
      const wants = commentWanted(survey, o) ? ' <span class="muted">(please add a comment)</span>' : '';
      return (
        `<label class="option"><input type="radio" name="option" value="${esc(o.value)}"` +
        `${o.value === chosen ? ' checked' : ''} required> <span>${esc(o.label)}${wants}</span></label>`
      );
    })
    .join('\n');
  parts.push(
    `<form method="post" action="/r/${esc(token)}">`,
    `<input type="hidden" name="proof" value="${esc(proof)}">`,
    `<fieldset><legend>Your answer</legend>\n${options}\n</fieldset>`,
  );
  if (asksComment) {
    const req = survey.comment === 'required' ? ' (required)' : ' (optional)';
    parts.push(
      `<label for="comment"><strong>Comment</strong>${req}</label>`,
      `<textarea id="comment" name="comment" maxlength="${COMMENT_MAX}"${survey.comment === 'required' ? ' required' : ''}>${esc(comment ?? '')}</textarea>`,
    );
  }
  parts.push(`<button type="submit">${current ? 'Change my answer' : 'Confirm my answer'}</button>`, '</form>');
  parts.push(`<p class="muted">Nothing is recorded until you press the button.</p>`);
  return page(survey.question, parts.join('\n'));
}

export function registerAnswerLinks(app: FastifyInstance, deps: PageDeps): void {
  const config = { html: true, rateLimit: deps.rateLimit };

  app.get<{ Params: { token: string } }>('/r/:token', { config }, async (request, reply) => {
    const secret = requireSecret(deps.secret);
    const now = deps.clock.now();
    const payload = readToken(secret, request.params.token, 'answer', now);
    const view = await viewForToken(deps.db, payload);
    if (!view.survey) return sendPage(reply, 400, messagePage('This link is not valid', ['This message has no question to answer.'], 'error'));
    const chosen = payload.o !== undefined && view.survey.options.some((o) => o.value === payload.o) ? payload.o : (view.current?.option ?? null);
    const proof = issueFormProof(secret, request.params.token, Math.floor(now.getTime() / 1000));
    return sendPage(reply, 200, answerForm(view, request.params.token, proof, chosen, view.current?.comment ?? null));
  });

  app.post<{ Params: { token: string }; Body: Record<string, unknown> | undefined }>('/r/:token', { config }, async (request, reply) => {
    const secret = requireSecret(deps.secret);
    const now = deps.clock.now();
    const token = request.params.token;
    const payload = readToken(secret, token, 'answer', now);
    const body = request.body ?? {};
    checkFormProof(secret, token, body.proof, Math.floor(now.getTime() / 1000));
    const view = await viewForToken(deps.db, payload);
    if (!view.survey) return sendPage(reply, 400, messagePage('This link is not valid', ['This message has no question to answer.'], 'error'));
    const optionValue = typeof body.option === 'string' ? body.option : null;
    const rawComment = typeof body.comment === 'string' ? body.comment.slice(0, COMMENT_MAX) : null;
    const comment = normaliseComment(rawComment);
    const again = (status: number, error: string) =>
      sendPage(reply, status, answerForm(view, token, issueFormProof(secret, token, Math.floor(now.getTime() / 1000)), optionValue, rawComment, error));
    if (optionValue === null) return again(422, 'Choose one of the options, then press the button.');
    let option: ReturnType<typeof surveyOption>;
    try {
      option = surveyOption(view.survey, view.comm.key, optionValue);
    } catch {
      return again(400, 'That option is not one of this question’s options. Choose one below.');
    }
    if (commentWanted(view.survey, option) && comment === null) return again(422, `Please add a short comment for “${option?.label ?? optionValue}”.`);
    const result = await recordResponse(
      { stores: deps.db.stores, clock: deps.clock, plans: deps.plans },
      {
        messageId: view.messageId,
        option: optionValue,
        comment,
        channel: 'email-link',
        receivedAt: now,
        sourceRef: `link:${tokenId(token)}:${String(body.proof)}`,
      },
      { loaded: view.loaded },
    );
    const label = result.option?.label ?? optionValue;
    const lines = [
      `You answered: ${label}${result.response.comment ? ` — “${result.response.comment}”` : ''}.`,
      'You can close this page. To change your answer, open the link in the email again.',
    ];
    return sendPage(reply, 200, messagePage(result.kind === 'changed' ? 'Your answer was changed' : 'Thank you, your answer is recorded', lines, 'note'));
  });
}
