/**
 * `/e/:token` — acknowledging or resolving an escalation from an email notice. Like answer links,
 * a GET only shows a confirm page (mail scanners open every link); only a POST of that page's
 * form, carrying its proof field bound to the token, acts. The token names the escalation, the
 * person it was sent to and the action.
 */
import type { FastifyInstance } from 'fastify';
import { actOnEscalation, ESCALATION_NOTE_MAX } from '../app/act-on-escalation.ts';
import type { EscalationAction } from '../domain/escalation/rules.ts';
import { HeraldError } from '../domain/errors.ts';
import { readToken, requireSecret, sendPage, type PageDeps } from './answer-links.ts';
import { checkFormProof, issueFormProof } from './form-proof.ts';
import { esc, messagePage, page } from './pages.ts';

async function escalationView(deps: PageDeps, id: string, personId: string) {
  const e = await deps.escalations.notice(id);
  if (!e || (personId !== e.ownerId && personId !== e.secondId)) {
    throw new HeraldError('TOKEN_INVALID', 'the link or token is not valid (no such escalation for you)', {
      hint: 'use the link exactly as it came in the email',
    });
  }
  const survey = e.project.plan.comms.find((c) => c.key === e.response.comm.key)?.survey;
  const label = survey?.options.find((o) => o.value === e.option)?.label ?? e.option;
  return { e, label, question: survey?.question ?? e.response.comm.key };
}

const VERB: Record<EscalationAction, string> = { acknowledge: 'Acknowledge', resolve: 'Resolve' };

export function registerEscalationLinks(app: FastifyInstance, deps: PageDeps): void {
  const config = { html: true, rateLimit: deps.rateLimit };

  app.get<{ Params: { token: string } }>('/e/:token', { config }, async (request, reply) => {
    const secret = requireSecret(deps.secret);
    const now = deps.clock.now();
    const payload = readToken(secret, request.params.token, 'escalation', now);
    const { e, label, question } = await escalationView(deps, payload.m, payload.p);
    const action = (payload.o === 'resolve' ? 'resolve' : 'acknowledge') as EscalationAction;
    const body = [
      `<p class="muted">${esc(e.project.name)}</p>`,
      `<h1>${esc(VERB[action])} this escalation?</h1>`,
      `<p><strong>${esc(e.person.name)}</strong> answered <strong>${esc(label)}</strong> to “${esc(question)}”.</p>`,
      e.comment ? `<p class="note">${esc(e.comment)}</p>` : '',
      `<p class="muted">Now: ${esc(e.state)}${e.level > 1 ? ', escalated' : ''}.</p>`,
      e.state === 'resolved'
        ? `<p class="note">This escalation is already resolved.</p>`
        : `<form method="post" action="/e/${esc(request.params.token)}"><input type="hidden" name="proof" value="` +
          `${esc(issueFormProof(secret, request.params.token, Math.floor(now.getTime() / 1000)))}">` +
          ('<label for="note"><strong>Note</strong> (optional' +
            `${action === 'resolve' ? ': what was done' : ': what your team is doing'})</label><textarea id="note"` +
            ` name="note" maxlength="${ESCALATION_NOTE_MAX}"></textarea>`) +
          `<button type="submit">${esc(VERB[action])}</button></form>`,
    ];
    return sendPage(reply, 200, page(`${VERB[action]} escalation`, body.filter(Boolean).join('\n')));
  });

  app.post<{ Params: { token: string }; Body: Record<string, unknown> | undefined }>('/e/:token', { config }, async (request, reply) => {
    const secret = requireSecret(deps.secret);
    const now = deps.clock.now();
    const payload = readToken(secret, request.params.token, 'escalation', now);
    checkFormProof(secret, request.params.token, request.body?.proof, Math.floor(now.getTime() / 1000));
    const { e } = await escalationView(deps, payload.m, payload.p);
    const action = (payload.o === 'resolve' ? 'resolve' : 'acknowledge') as EscalationAction;
    const note = typeof request.body?.note === 'string' ? request.body.note : undefined;
    const r = await actOnEscalation({ stores: deps.db.stores, clock: deps.clock }, { escalationId: e.id, action, by: payload.p, note });
    const lines = r.changed
      ? [`The escalation is ${r.state}.`, `${e.person.name} will be told that your team is on it.`]
      : [`This escalation was already ${r.state}; nothing changed.`];
    return sendPage(reply, 200, messagePage(r.changed ? 'Thank you' : 'Nothing to change', lines, 'note'));
  });
}
