/** `/projects/:key`: the project at a glance. */
import { html } from '../html.ts';
import { projectOf, sendPage } from '../kit.ts';
import type { DashboardPage } from './index.ts';

export const overviewPage: DashboardPage = {
  name: 'overview',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      return sendPage(reply, request, { title: 'Overview', project, active: 'overview', body: html`<h1>${project.name}</h1>` });
    });
  },
};
