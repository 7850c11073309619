/**
 * `/projects/:key/history/:version`: one plan version against the one before (diffPlanVersions):
 * the plan file's changed lines, and what the version does to the messages due from now on, each
 * named in words (comm title, person's name, channel) with times in the project zone. Version 1
 * has nothing before it: its page shows its plan file.
 */
import { diffPlanVersions, planHistory, planVersion, versionCounts, type VersionDiff } from '../../../app/plan-history.ts';
import { DashboardError } from '../context.ts';
import { concat, html, raw, type Html } from '../html.ts';
import { projectOf, sendPage, type DashboardProject } from '../kit.ts';
import { projectPath } from '../nav.ts';
import { planDiff, patchChanges } from '../plan-diff-view.ts';
import { changedInWords, versionPath } from './history.ts';
import type { DashboardPage } from './page.ts';
import { localTime } from './when.ts';

/** Changed messages listed per kind; the API and `herald diff --format json` list them all. */
const EXAMPLES = 20;

function changes(title: string, items: readonly Html[], more: number): Html {
  if (!items.length) return html``;
  return html`<h3>${title}</h3><ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${more > 0 ? html`<p class="muted">… and ${more} more.</p>` : ''}`;
}

function calendarEffect(d: VersionDiff, project: DashboardProject): Html {
  const t = (at: Date) => localTime(at, project.timezone);
  const c = d.calendar;
  const n = (list: readonly unknown[]) => Math.max(0, list.length - EXAMPLES);
  return concat(
    html`<h2>Calendar from now on</h2><p>Version ${d.to.number} instead of version ${d.from.number}: ${c.added.length} added,`,
    html` ${c.moved.length} moved, ${c.cancelled.length} cancelled, ${c.unchanged} unchanged. Times are in ${project.timezone}.</p>`,
    changes(
      'Added',
      c.added.slice(0, EXAMPLES).map((m) => html`${m.label} at ${t(m.dueAt)}`),
      n(c.added),
    ),
    changes(
      'Moved',
      c.moved.slice(0, EXAMPLES).map((m) => html`${m.label}: ${t(m.from)} → ${t(m.to)}`),
      n(c.moved),
    ),
    changes(
      'Cancelled',
      c.cancelled.slice(0, EXAMPLES).map((m) => html`${m.label} (was ${t(m.dueAt)})`),
      n(c.cancelled),
    ),
    html`<p class="muted">Both versions' calendars are built now and compared for the messages still to come (what "When applied"`,
    html` above says is what it changed then). All of them: <code>herald diff ${project.key} ${d.from.number} ${d.to.number} --format json</code>.</p>`,
  );
}

/** The version number in the address: 1 or more, else a 400 page. */
function versionNumber(text: string): number {
  if (!/^[1-9]\d{0,8}$/.test(text))
    throw new DashboardError(400, 'No such version', [`"${text}" is not a version number.`, 'Pick a version on the History page.']);
  return Number(text);
}

export const historyVersionPage: DashboardPage = {
  name: 'history',
  register(app, deps) {
    app.get<{ Params: { key: string; version: string } }>('/projects/:key/history/:version', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const n = versionNumber(request.params.version);
      const list = await planHistory(deps.db, { project: project.key });
      const v = list.find((x) => x.number === n);
      if (!v) {
        const known = list.length ? `It has versions 1 to ${list[0]!.number}.` : 'No plan version has been applied yet.';
        throw new DashboardError(404, 'No such version', [`${project.name} has no version ${n}.`, `${known} The History page lists them.`]);
      }
      const texts = await planVersion(deps.db, { project: project.key, number: n });
      const before = list.find((x) => x.number === n - 1);
      const d = before ? await diffPlanVersions(deps.db, { project: project.key, from: before.number, to: n, now: deps.clock.now() }) : undefined;
      const compared = d
        ? concat(
            html`<div class="card"><h2>Plan changes since version ${d.from.number}</h2>`,
            patchChanges(d.patch) ? planDiff(d.patch, d.from.number, n) : html`<p>The plan's texts are the same as version ${d.from.number}'s.</p>`,
            html`</div><div class="card">${calendarEffect(d, project)}</div>`,
          )
        : html`<div class="card"><p>Version ${n} is the first: there is no earlier version to compare it with.</p></div>`;
      const body = concat(
        html`<h1>Version ${n}</h1>
<div class="card"><p>Applied ${localTime(v.appliedAt, project.timezone)} by ${v.appliedBy}.</p>`,
        v.rollbackOf === null ? '' : html`<p>A rollback: it applied <a href="${versionPath(project.key, v.rollbackOf)}">version ${v.rollbackOf}</a> again.</p>`,
        html`<p>When applied, it changed the calendar: ${changedInWords(versionCounts(v.summary))}.</p>`,
        html`<p class="muted">sha256 of its texts: <code>${v.hash}</code></p><p><a href="${projectPath(project.key, 'history')}">All versions</a></p></div>`,
        compared,
        html`<div class="card"><details${d ? '' : raw(' open')}><summary>The plan file as applied (${texts.file})</summary><pre class="diff">${texts.yaml}</pre>`,
        texts.files.map((f) => html`<p>${f.name}</p><pre class="diff">${f.text}</pre>`),
        html`</details></div>`,
      );
      return sendPage(reply, request, { title: `Version ${n}`, project, active: 'history', body });
    });
  },
};
