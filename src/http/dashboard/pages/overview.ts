/**
 * `/projects/:key`: the project at a glance (data from src/app/project-overview.ts). Counts link
 * to the pages that list them: Messages (?status=, ?comm=, ?channel=), Calendar (?comm=, ?channel=)
 * and Escalations.
 */
import { projectOverview, type OverviewCount, type ProjectOverview } from '../../../app/project-overview.ts';
import { barChart, localDay, milestoneTimeline } from '../charts.ts';
import { html, query, type Html, concat } from '../html.ts';
import { projectOf, sendPage } from '../kit.ts';
import { projectPath } from '../nav.ts';
import { planOf } from '../project-plan.ts';
import { channelName, commTitle } from '../../../domain/plan/comm-title.ts';
import type { Plan } from '../../../domain/plan/model.ts';
import type { DashboardPage } from './page.ts';

function countList(plan: Plan, rows: readonly OverviewCount[], link: (r: OverviewCount) => string, none: string): Html {
  if (!rows.length) return html`<p class="muted">${none}</p>`;
  const total = rows.reduce((s, r) => s + r.count, 0);
  const title = (k: string) =>
    commTitle(
      plan.comms.find((c) => c.key === k),
      k,
    );
  return concat(
    html`<p><span class="big">${total}</span> messages</p><ul class="plain">`,
    rows.map((r) => html`<li><a href="${link(r)}">${title(r.comm)} · ${channelName(r.channel)}</a>: ${r.count}</li>`),
    html`</ul>`,
  );
}

function timelineSection(o: ProjectOverview, now: Date): Html {
  const moved = o.milestones.filter((m) => m.moves > 0).length;
  const rows = o.milestones.map((m) =>
    concat(
      html`<tr><th scope="row">${m.label}</th><td>${localDay(m.baseline, o.timezone)}</td><td>`,
      html`${localDay(m.current, o.timezone)}</td><td>${m.moves}${m.done ? ' (done)' : ''}</td></tr>`,
    ),
  );
  return concat(
    html`<section class="card" aria-labelledby="h-milestones"><h2 id="h-milestones">Milestones</h2>
<p class="muted">Hollow circle: baseline; filled: current date${moved ? html`; ${moved} moved` : ''}. Dates in `,
    html`${o.timezone}.</p>
`,
    milestoneTimeline(o.milestones, o.timezone, `Milestones of ${o.name}: baseline and current dates`, now),
    html`
<div class="scroll" role="region" aria-label="Milestone dates" tabindex="0"><table><thead><tr><th scope="col">Milestone`,
    html`</th><th scope="col">Baseline</th><th scope="col">Current</th><th scope="col">Moves</th></tr></thead><tbody>`,
    html`${rows}</tbody></table></div>
</section>`,
  );
}

function workstreamSection(o: ProjectOverview): Html {
  if (!o.workstreams.length)
    return html`<section class="card" aria-labelledby="h-ws"><h2 id="h-ws">Workstreams</h2><p class="muted">No workstreams in the plan.</p></section>`;
  const items = o.workstreams.map((w) => {
    const label = w.rag ? `${w.rag}${w.status === 'decide' ? ' (needs a decision)' : ''}` : 'no status yet';
    return html`<li><span class="rag rag-${w.rag ?? 'none'}">${label}</span> <strong>${w.name}</strong> <span class="muted">owner ${w.owner}</span>
${w.note ? html`<br>“${w.note}”${w.by ? html` <span class="muted">(${w.by}${w.at ? html`, ${localDay(w.at, o.timezone)}` : ''})</span>` : ''}` : ''}</li>`;
  });
  return html`<section class="card" aria-labelledby="h-ws"><h2 id="h-ws">Workstreams</h2><ul class="plain">${items}</ul></section>`;
}

function ratesSection(o: ProjectOverview): Html {
  const bars = o.rates.map((r) => ({ label: r.audience, percent: r.asked ? (100 * r.answered) / r.asked : 0, detail: `${r.answered} of ${r.asked}` }));
  const text = o.rates.map(
    (r) => html`<li>${r.audience}: ${r.answered} of ${r.asked} answered${r.asked ? html` (${Math.round((100 * r.answered) / r.asked)}%)` : ''}</li>`,
  );
  return concat(
    html`<section class="card" aria-labelledby="h-rates"><h2 id="h-rates">Response rate per audience</h2>
`,
    o.rates.length
      ? concat(
          barChart(bars, `Response rate per audience of ${o.name}`, 'rates-title'),
          html`<ul class="plain">${text}</ul><p><a href="${projectPath(o.key, 'responses')}">All responses</a></p>`,
        )
      : html`<p class="muted">No survey has been sent yet.</p>`,
    html`
</section>`,
  );
}

export const overviewPage: DashboardPage = {
  name: 'overview',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const now = deps.clock.now();
      const plan = await planOf(deps, project);
      const o = await projectOverview(deps.db, { project: project.key, now });
      const messages = projectPath(o.key, 'messages');
      const calendar = projectPath(o.key, 'calendar');
      const body = concat(
        html`<h1>${o.name}</h1>
<section class="card" aria-labelledby="h-attention"><h2 id="h-attention">Needs attention</h2>
<div class="counts">
<a href="${projectPath(o.key, 'escalations')}"><span class="big">${o.openEscalations}</span><br>open escalations</a>
<a href="${messages}${query({ status: 'failed' })}"><span class="big">${o.failedMessages}</span><br>failed messages</a>
<a href="${projectPath(o.key, 'approvals')}"><span class="big">${o.pendingApprovals}</span><br>waiting for approval</a>
<a href="${messages}${query({ status: 'held' })}"><span class="big">${o.heldMessages}</span><br>held messages</a>
</div></section>
<div class="grid">
<section class="card" aria-labelledby="h-sent"><h2 id="h-sent">Sent in the last 7 days</h2>
`,
        countList(
          plan,
          o.sentLastWeek,
          (r) => `${messages}${query({ status: 'sent', comm: r.comm, channel: r.channel })}`,
          'Nothing was sent in the last 7 days.',
        ),
        html`</section>
<section class="card" aria-labelledby="h-due"><h2 id="h-due">Due in the next 7 days</h2>
`,
        countList(plan, o.dueNextWeek, (r) => `${calendar}${query({ comm: r.comm, channel: r.channel })}`, 'Nothing is due in the next 7 days.'),
        html`</section>
</div>
${timelineSection(o, now)}
<div class="grid">
${workstreamSection(o)}
${ratesSection(o)}
</div>`,
      );
      return sendPage(reply, request, { title: 'Overview', project, active: 'overview', body });
    });
  },
};
