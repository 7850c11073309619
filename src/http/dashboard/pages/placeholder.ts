/** "Not built yet" for every nav entry no page in PAGES claims, so the nav never leads to a 404. */
import type { FastifyInstance } from 'fastify';
import type { DashboardDeps } from '../context.ts';
import { html } from '../html.ts';
import { projectOf, sendPage } from '../kit.ts';
import { NAV } from '../nav.ts';
import type { DashboardPage } from './page.ts';

export function registerPlaceholders(app: FastifyInstance, deps: DashboardDeps, pages: readonly DashboardPage[]): void {
  for (const n of NAV) {
    if (pages.some((p) => p.name === n.name)) continue;
    app.get<{ Params: { key: string } }>(`/projects/:key${n.path}`, async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      return sendPage(reply, request, {
        title: n.label,
        project,
        active: n.name,
        body: html`<h1>${n.label}</h1><div class="card"><p>This page is not built yet.</p></div>`,
      });
    });
  }
}
