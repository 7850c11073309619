/**
 * The helpers a dashboard page uses (see ./pages/index.ts for how to add a page):
 * - sendPage(reply, request, {title, body, project, active}) renders the layout with the strict CSP;
 * - projectOf(request, deps, key) loads the project the URL names, refusing (404/403 page) one the
 *   token may not see;
 * - canEdit(request) says whether to show edit forms; csrfField(request) is the hidden field every
 *   POST form must carry (POSTs are checked, and need editor, before the handler runs).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProjectSummary } from '../../db/repo/dashboard-reads.ts';
import { hasRole, mayAccessProject } from '../api/api-auth.ts';
import { DashboardError, sessionOf, type DashboardDeps } from './context.ts';
import { html, type Html } from './html.ts';
import { DASHBOARD_CSP, layout, type LayoutInput } from './layout.ts';
import { CSRF_FIELD } from './session.ts';

export function sendPage(reply: FastifyReply, request: FastifyRequest, input: Omit<LayoutInput, 'session'> & { csp?: string }, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', input.csp ?? DASHBOARD_CSP)
    .header('cache-control', 'no-store')
    .send(layout({ ...input, session: request.dashboard ?? null }));
}

/** Whether the signed-in token may change things (editor or admin). */
export function canEdit(request: FastifyRequest): boolean {
  return hasRole(sessionOf(request).token, 'editor');
}

/** The hidden CSRF field for a POST form of this session. */
export function csrfField(request: FastifyRequest): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${sessionOf(request).csrf}">`;
}

export type DashboardProject = ProjectSummary;

/** The project `key` names, if the signed-in token may see it; else a 404 or 403 page. */
export async function projectOf(request: FastifyRequest, deps: DashboardDeps, key: string): Promise<DashboardProject> {
  const t = sessionOf(request).token;
  if (!mayAccessProject(t, key)) throw new DashboardError(403, 'Not allowed', [`Token "${t.name}" is limited to project ${t.projectKey}.`]);
  const p = await deps.reads.projectByKey(key);
  if (!p) throw new DashboardError(404, 'No such project', [`There is no project "${key}".`, 'Apply its plan first: herald apply plan.yaml']);
  return p;
}

/** One string form or query field (the first when repeated), or undefined. */
export function field(source: unknown, name: string): string | undefined {
  const v = source && typeof source === 'object' ? (source as Record<string, unknown>)[name] : undefined;
  const one = Array.isArray(v) ? v[0] : v;
  return typeof one === 'string' ? one : undefined;
}
