/**
 * `/u/:token` — unsubscribing from optional comms (tips). GET shows a confirm page and changes
 * nothing (scanners open links); POST from that page unsubscribes from this comm or from every
 * optional comm of the project; a bare RFC 8058 one-click POST (`List-Unsubscribe=One-Click`,
 * sent by mail clients from the List-Unsubscribe-Post header) unsubscribes from this comm. The
 * one-click POST carries no form field by design, so no CSRF field is asked for here: the signed
 * token is the credential, and scanners do not POST.
 */
import type { FastifyInstance } from 'fastify';
import { isOptedOut, optIn, optOut } from '../app/opt-out.ts';
import { readToken, requireSecret, sendPage, viewForToken, type PageDeps } from './answer-links.ts';
import { esc, messagePage, page } from './pages.ts';

function mandatoryPage(projectName: string): string {
  return messagePage(
    'This notice cannot be unsubscribed from',
    [
      `This is a required notice from ${projectName} about changes that affect your work, so it is sent to everyone it concerns.`,
      'Only optional messages, such as tips, can be unsubscribed from.',
    ],
    'note',
  );
}

export function registerOptOut(app: FastifyInstance, deps: PageDeps): void {
  const config = { html: true, rateLimit: deps.rateLimit };
  // RFC 8058 allows the one-click body as multipart/form-data too; only its presence matters.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
    done(null, { multipart: String(body) });
  });

  app.get<{ Params: { token: string } }>('/u/:token', { config }, async (request, reply) => {
    const secret = requireSecret(deps.secret);
    const payload = readToken(secret, request.params.token, 'unsubscribe', deps.clock.now());
    const view = await viewForToken(deps.db, payload);
    if (!view.comm.optional) return sendPage(reply, 200, mandatoryPage(view.projectName));
    const already = await isOptedOut(deps.db, view.person.id, view.comm.key);
    const body = [
      `<p class="muted">${esc(view.projectName)}</p>`,
      `<h1>Unsubscribe from these messages?</h1>`,
      already
        ? `<p class="note">You are already unsubscribed from these messages.</p>`
        : `<p>You will stop receiving optional messages such as tips. Required notices about the project still reach you.</p>`,
      `<form method="post" action="/u/${esc(request.params.token)}">`,
      already
        ? `<button type="submit" name="scope" value="resubscribe">Subscribe again</button>`
        : `<button type="submit" name="scope" value="comm">Unsubscribe from these messages</button>`,
      `<button type="submit" name="scope" value="all" class="secondary">Unsubscribe from all optional messages of ${esc(view.projectName)}</button>`,
      `</form>`,
    ];
    return sendPage(reply, 200, page('Unsubscribe', body.join('\n')));
  });

  app.post<{ Params: { token: string }; Body: Record<string, unknown> | undefined }>('/u/:token', { config }, async (request, reply) => {
    const secret = requireSecret(deps.secret);
    const payload = readToken(secret, request.params.token, 'unsubscribe', deps.clock.now());
    const view = await viewForToken(deps.db, payload);
    if (!view.comm.optional) return sendPage(reply, 409, mandatoryPage(view.projectName));
    const body = request.body ?? {};
    const audit = { projectKey: view.loaded.projectKey, personKey: view.person.key, at: deps.clock.now(), via: 'link' };
    if (body.scope === 'resubscribe') {
      await optIn(deps.db, { personId: view.person.id, commKey: view.comm.key, audit });
      return sendPage(
        reply,
        200,
        messagePage('You are subscribed again', [`You will receive these messages from ${view.projectName} again, from the next one on.`], 'note'),
      );
    }
    const scope = body.scope === 'all' ? 'all' : 'comm';
    await optOut(deps.db, {
      personId: view.person.id,
      commKey: view.comm.key,
      commOptional: true,
      scope,
      audit,
    });
    const what = scope === 'all' ? `all optional messages of ${view.projectName}` : 'these messages';
    return sendPage(
      reply,
      200,
      messagePage(
        'You are unsubscribed',
        [
          `You will no longer receive ${what}.`,
          'Required notices about the project still reach you.',
          'Changed your mind? Open the same link again to subscribe again.',
        ],
        'note',
      ),
    );
  });
}
