/**
 * The dashboard at `/`: sign-in and sign-out, the session and CSRF checks every route goes
 * through, the error pages, and the pages of ./pages/index.ts. server.ts registers it in one call.
 *
 * Order of checks on each request (a preHandler, so the form body is parsed):
 * public route → run; no live session → GET: 303 to /signin?next=…, POST: 401 page;
 * POST → the route's role (default editor) else 403 page, then the `_csrf` proof else 403 page.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiToken, type ApiRole } from '../../app/api-tokens.ts';
import { hasRole } from '../api/api-auth.ts';
import { DashboardError, sessionOf, type DashboardDeps } from './context.ts';
import { html, concat } from './html.ts';
import { field, sendPage } from './kit.ts';
import { PAGES, type DashboardPage } from './pages/index.ts';
import { registerPlaceholders } from './pages/placeholder.ts';
import { CSRF_FIELD, csrfProblem, endSession, readSession, signinProblem, signinProof, startSession } from './session.ts';
import { DASHBOARD_CSP, layout } from './layout.ts';

export type DashboardOptions = Omit<DashboardDeps, 'secret'> & { secret?: string | undefined; extraPages?: readonly DashboardPage[] | undefined };

/** Only paths on this server: a `next` like //evil.example or https://… would be an open redirect. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}

function errorPage(reply: FastifyReply, request: FastifyRequest, e: DashboardError): FastifyReply {
  const body = html`<h1>${e.title}</h1><div class="card error">${e.lines.map((l) => html`<p>${l}</p>`)}</div><p><a href="/">Back to projects</a></p>`;
  return sendPage(reply, request, { title: e.title, body }, e.status);
}

function signinForm(next: string, proof: string, message?: string): ReturnType<typeof html> {
  return concat(
    html`<h1>Sign in to Herald</h1>
<div class="card">
`,
    message ? html`<div class="error" role="alert"><p>${message}</p></div>` : '',
    html`
<form method="post" action="/signin">
<label for="token">API token</label>
<input type="password" id="token" name="token" autocomplete="current-password" required spellcheck="false">
<input type="hidden" name="next" value="${next}">
<input type="hidden" name="${CSRF_FIELD}" value="${proof}">
<button type="submit">Sign in</button>
</form>
<p class="muted">Create a token with <code>herald token create --role viewer</code> (sees everything) or <code>--role`,
    html` editor</code> (can act). Feed tokens open calendar feeds only.</p>
</div>`,
  );
}

export async function registerDashboard(app: FastifyInstance, opts: DashboardOptions): Promise<void> {
  const secret = opts.secret;
  if (!secret) {
    // Without a secret there is nothing to sign sessions with: say so on every dashboard page.
    const off = (_r: FastifyRequest, reply: FastifyReply) =>
      reply
        .status(503)
        .type('text/html; charset=utf-8')
        .header('content-security-policy', DASHBOARD_CSP)
        .send(
          layout({
            title: 'Dashboard off',
            session: null,
            body: concat(
              html`<h1>The dashboard is off</h1><div class="card error"><p>Set HERALD_SECRET (at least 16 random`,
              html` characters, e.g. from openssl rand -base64 32) and restart herald serve.</p></div>`,
            ),
          }),
        );
    app.get('/', off);
    app.get('/signin', off);
    app.get('/projects/*', off);
    return;
  }
  const { extraPages, ...rest } = opts;
  const deps: DashboardDeps = { ...rest, secret };
  const pages = [...PAGES, ...(extraPages ?? [])];
  await app.register(cookie, { secret });

  app.addHook('preHandler', async (request, reply) => {
    const config = request.routeOptions.config.dashboard ?? {};
    if (config.public) return;
    const session = await readSession(request, deps);
    if (!session) {
      if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect(`/signin?next=${encodeURIComponent(request.url)}`, 303);
      throw new DashboardError(401, 'Signed out', [
        'Your session has ended (signed out, expired, or its token was revoked).',
        'Sign in again, then repeat what you were doing.',
      ]);
    }
    request.dashboard = session;
    if (request.method === 'POST') {
      const role: ApiRole = config.role ?? 'editor';
      if (!hasRole(session.token, role))
        throw new DashboardError(403, 'Not allowed', [
          `This needs a ${role} token; "${session.token.name}" is ${session.token.role}, which can look but not change anything.`,
        ]);
      const why = csrfProblem(deps, session, request.body);
      if (why) throw new DashboardError(403, 'Form not accepted', [`The form could not be accepted (${why}).`, 'Reload the page and submit it again.']);
    }
  });

  // Errors the server's handler renders (a HeraldError from a use case, a bad form body) are HTML pages here, not JSON.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), html: true };
  });

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof DashboardError) return errorPage(reply, request, err);
    // Anything else (HeraldError, Fastify's 4xx, a bug) goes to the server's handler.
    throw err;
  });

  app.get('/signin', { config: { dashboard: { public: true } } }, async (request, reply) => {
    const next = safeNext(field(request.query, 'next'));
    if (await readSession(request, deps)) return reply.redirect(next, 303);
    return sendPage(reply, request, { title: 'Sign in', body: signinForm(next, signinProof(request, reply, deps)) });
  });

  app.post('/signin', { config: { dashboard: { public: true } } }, async (request, reply) => {
    const next = safeNext(field(request.body, 'next'));
    const secretToken = field(request.body, 'token')?.trim() ?? '';
    const token = secretToken ? await authenticateApiToken(deps.db, secretToken, deps.clock.now()) : null;
    const refuse = (message: string, status = 401) =>
      sendPage(reply, request, { title: 'Sign in', body: signinForm(next, signinProof(request, reply, deps), message) }, status);
    // Before the token is even looked up: a foreign page must not sign the visitor in as someone else.
    const forged = signinProblem(request, deps, request.body);
    if (forged) return refuse(`The sign-in form could not be accepted (${forged}). Sign in from this page.`, 403);
    if (!secretToken) return refuse('Paste an API token to sign in.');
    if (!token) return refuse('That token is unknown or revoked. Check it, or see "herald token list".');
    if (token.role === 'feed') return refuse(`"${token.name}" is a feed token: it opens calendar feeds only. Sign in with a viewer, editor or admin token.`);
    await startSession(request, reply, deps, token.id);
    return reply.redirect(next, 303);
  });

  // Any live session may sign out (a viewer too), but only with its own form's proof.
  app.post('/signout', { config: { dashboard: { role: 'viewer' } } }, async (request, reply) => {
    await endSession(request, reply, deps, sessionOf(request));
    return reply.redirect('/signin', 303);
  });

  for (const p of pages) await p.register(app, deps);
  registerPlaceholders(app, deps, pages);
}

export { CSRF_FIELD };
