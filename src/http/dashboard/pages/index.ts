/**
 * The dashboard's pages: one file each in this folder, listed below.
 *
 * To add a page (say Messages, at /projects/:key/messages):
 * 1. Create src/http/dashboard/pages/messages.ts:
 *      import { html } from '../html.ts';
 *      import { canEdit, csrfField, field, projectOf, sendPage } from '../kit.ts';
 *      import type { DashboardPage } from './page.ts';
 *      export const messagesPage: DashboardPage = {
 *        name: 'messages',   // a NavName from ../nav.ts: the nav links there and marks it current
 *        register(app, deps) {
 *          app.get<{ Params: { key: string } }>('/projects/:key/messages', async (request, reply) => {
 *            const project = await projectOf(request, deps, request.params.key);   // 404/403 pages
 *            return sendPage(reply, request, { title: 'Messages', project, active: 'messages', body: html`<h1>…</h1>` });
 *          });
 *        },
 *      };
 *    Write markup only with `html`…`` (../html.ts): it escapes every value; raw() only for markup
 *    Herald wrote. Filters are GET forms (read them with field(request.query, 'status')); links to
 *    other pages use projectPath(key, 'calendar') from ../nav.ts. A refusal is
 *    `throw new DashboardError(status, title, lines)` (../context.ts): a readable page.
 * 2. Add it to PAGES below (the placeholder for that nav entry then goes away by itself).
 * 3. POST routes: every POST is refused (403 page) below editor and without a valid `_csrf` field,
 *    before your handler runs; put csrfField(request) in the form and show the form only when
 *    canEdit(request). Set `config: { dashboard: { role: 'admin' } }` on a route for more.
 * 4. Test it in test/e2e/dashboard-<page>.test.ts with test/support/dashboard.ts (checkPage).
 */
import type { DashboardPage } from './page.ts';
import { calendarPage } from './calendar.ts';
import { messagesPage } from './messages.ts';
import { overviewPage } from './overview.ts';
import { previewPage } from './preview.ts';
import { projectsPage } from './projects.ts';
import { escalationsPage } from './escalations.ts';
import { approvalsPage } from './approvals.ts';
import { responsesPage } from './responses.ts';
import { inboxPage } from './inbox.ts';
import { planPage } from './plan.ts';
import { auditPage } from './audit.ts';
import { historyPage } from './history.ts';
import { historyVersionPage } from './history-version.ts';

export type { DashboardPage } from './page.ts';

export const PAGES: readonly DashboardPage[] = [
  projectsPage,
  overviewPage,
  calendarPage,
  messagesPage,
  responsesPage,
  escalationsPage,
  approvalsPage,
  inboxPage,
  previewPage,
  planPage,
  historyPage,
  historyVersionPage,
  auditPage,
];
