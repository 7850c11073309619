/**
 * `/projects/:key/history`: the plan versions every apply stored (planHistory), newest first: when
 * (in the project zone, named), by whom, what the apply changed in words, and which version a
 * rollback applied again. Each links to its version page (./history-version.ts).
 */
import { planHistory, versionCounts, type VersionCounts } from '../../../app/plan-history.ts';
import { concat, html, type Html } from '../html.ts';
import { projectOf, sendPage } from '../kit.ts';
import { projectPath } from '../nav.ts';
import type { DashboardPage } from './page.ts';
import { localTime } from './when.ts';

/** "12 added, 3 moved, 0 cancelled" (and the milestones moved, when any). */
export function changedInWords(c: VersionCounts): string {
  const milestones = c.milestonesMoved ? `; ${c.milestonesMoved} milestone${c.milestonesMoved === 1 ? '' : 's'} moved` : '';
  return `${c.added} added, ${c.moved} moved, ${c.cancelled} cancelled${milestones}`;
}

/** The address of version `n`'s page. */
export function versionPath(key: string, n: number): string {
  return `${projectPath(key, 'history')}/${n}`;
}

export const historyPage: DashboardPage = {
  name: 'history',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key/history', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const zone = project.timezone;
      const list = await planHistory(deps.db, { project: project.key });
      const rows: Html[] = list.map(
        (v) =>
          html`<tr><td><a href="${versionPath(project.key, v.number)}">Version ${v.number}</a></td><td>${localTime(v.appliedAt, zone)}</td><td>${v.appliedBy}</td><td>${changedInWords(versionCounts(v.summary))}</td><td>${v.rollbackOf === null ? html`<span class="muted">no</span>` : `version ${v.rollbackOf}`}</td></tr>`,
      );
      const table = list.length
        ? concat(
            html`<div class="scroll" tabindex="0" role="region" aria-label="Plan versions"><table><caption class="sr-only">Plan versions, newest first</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Applied (${zone})</th><th scope="col">By</th><th scope="col">What changed</th>`,
            html`<th scope="col">Rollback of</th></tr></thead><tbody>${rows}</tbody></table></div>`,
          )
        : html`<p>No version yet: the next <code>herald apply</code> of this project's plan stores version 1.</p>`;
      const body = concat(
        html`<h1>History</h1>
<div class="card"><p class="muted">Every version of the plan applied (by <code>herald apply</code>, the API or a rollback), newest first,`,
        html` with what it changed in the calendar when it was applied. Times are in ${zone}. Open a version to see how it differs`,
        html` from the one before.</p>${table}
<p class="muted">To apply an earlier version again: <code>herald apply ${project.key} --rollback-to N</code>, or`,
        html` <code>POST /api/v1/projects/${project.key}/rollback</code> with an editor token.</p></div>`,
      );
      return sendPage(reply, request, { title: 'History', project, active: 'history', body });
    });
  },
};
