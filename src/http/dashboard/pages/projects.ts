/** `/`: the projects the signed-in token may see, each linking to its overview. */
import { html, concat } from '../html.ts';
import { sendPage } from '../kit.ts';
import { sessionOf } from '../context.ts';
import { projectPath } from '../nav.ts';
import type { DashboardPage } from './page.ts';

export const projectsPage: DashboardPage = {
  name: 'projects',
  register(app, deps) {
    app.get('/', async (request, reply) => {
      const t = sessionOf(request).token;
      const projects = await deps.reads.projects(t.projectKey);
      const body = projects.length
        ? concat(
            html`<ul class="plain">`,
            projects.map((p) =>
              concat(
                html`<li><a href="${projectPath(p.key, 'overview')}">${p.name}</a> <span class="muted">(${p.key}) · `,
                html`${p.people} people · ${p.comms} comms · ${p.timezone}</span></li>`,
              ),
            ),
            html`</ul>`,
          )
        : html`<p>No projects yet. Apply a plan: <code>herald apply plan.yaml</code></p>`;
      return sendPage(reply, request, { title: 'Projects', body: html`<h1>Projects</h1><div class="card">${body}</div>` });
    });
  },
};
