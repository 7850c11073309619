/**
 * `/projects/:key/plan`: the applied plan (milestones with baseline and current dates, workstreams
 * and owners, audiences, comms) and the validation warnings of its last apply, as `herald validate`
 * prints them. An editor moves a milestone in two POSTs: the first is a dry run that shows what the
 * re-plan would change, the second (Confirm, same values) applies it and drops the queued jobs of
 * the messages it moved or cancelled, as the API's move does.
 */
import type { FastifyRequest } from 'fastify';
import { moveMilestone, type MoveResult } from '../../../app/move-milestone.ts';
import type { AppliedPlan, MilestoneRow } from '../../../db/repo/dashboard-reads.ts';
import type { PlanIssue } from '../../../domain/errors.ts';
import { channelName, commTitle, readableKey } from '../../../domain/plan/comm-title.ts';
import type { CommSpec } from '../../../domain/plan/model.ts';
import { commMilestones } from '../../../domain/schedule/calendar.ts';
import { sessionOf, type DashboardDeps } from '../context.ts';
import { html, query, type Html, concat } from '../html.ts';
import { canEdit, csrfField, field, projectOf, sendPage, type DashboardProject } from '../kit.ts';
import type { DashboardPage } from './page.ts';
import { orRefuse } from './refusal.ts';
import { localTime } from './when.ts';

/** `file:line: warning: path: message`, exactly as printWarnings (src/cli/actions/plan-warnings.ts) writes it. */
function warningLine(w: PlanIssue): string {
  return `${w.file}:${w.line}: warning: ${w.path ? `${w.path}: ` : ''}${w.message}`;
}

function when(c: CommSpec, milestone: (key: string) => string): string {
  const tied = commMilestones(c).map(milestone);
  const on = tied.length ? `, tied to ${tied.join(', ')}` : '';
  if (c.schedule) return `${c.schedule.type} schedule${on}`;
  if (c.trigger) return `${c.trigger.type === 'manual' ? 'sent by hand' : `on ${c.trigger.type}`}${on}`;
  return 'unscheduled';
}

function moveForm(request: FastifyRequest, project: DashboardProject, rows: readonly MilestoneRow[], chosen?: string, value?: string): Html {
  return concat(
    html`<form method="post" action="/projects/${project.key}/plan/move">${csrfField(request)}
<div class="grid"><div><label for="milestone">Milestone</label><select id="milestone" name="milestone">`,
    rows.map((m) => html`<option value="${m.key}"${m.key === chosen ? html` selected` : ''}>${m.label ?? m.key}</option>`),
    html`</select></div>
<div><label for="when">New date or date-time <span class="muted">(${project.timezone})</span></label><input type="text"`,
    html` id="when" name="when" value="${value ?? ''}" required placeholder="2030-02-22 or 2030-02-22T18:00"`,
    html` aria-describedby="when-hint" spellcheck="false" autocomplete="off">
<p class="muted" id="when-hint">A date keeps the milestone's time of day.</p></div></div>
<button type="submit">Dry run</button></form>`,
  );
}

function planBody(request: FastifyRequest, project: DashboardProject, applied: AppliedPlan, rows: readonly MilestoneRow[], moved: string | undefined): Html {
  const { warnings, names } = applied;
  const zone = project.timezone;
  const who = (k: string | undefined) => (k ? (names.get(k) ?? k) : '');
  const milestoneLabel = (k: string) => rows.find((m) => m.key === k)?.label ?? k;
  const workstreamName = (k: string) => applied.workstreams.find((w) => w.key === k)?.name ?? k;
  const movedRow = moved ? rows.find((m) => m.key === moved) : undefined;
  return concat(
    html`<h1>Plan</h1>
`,
    movedRow
      ? concat(
          html`<div class="card note" role="status"><p>Moved ${movedRow.label ?? movedRow.key} to `,
          html`${localTime(movedRow.at, zone)}. The plan file in git still has the old date: change it there too, or the`,
          html` next apply moves it back.</p></div>`,
        )
      : '',
    html`
<section class="card" aria-labelledby="warnings"><h2 id="warnings">Validation warnings</h2>
`,
    warnings.length
      ? html`<ul class="plain">${warnings.map((w) => html`<li><code>${warningLine(w)}</code></li>`)}</ul>`
      : html`<p>No warnings at the last apply.</p>`,
    html`</section>
<section class="card" aria-labelledby="milestones"><h2 id="milestones">Milestones</h2>
<div class="scroll" tabindex="0" role="region" aria-label="Milestones table"><table><caption class="sr-only">Milestones,`,
    html` baseline against current</caption>
<thead><tr><th scope="col">Milestone</th><th scope="col">Baseline</th><th scope="col">Current</th><th scope="col">Moves`,
    html`</th></tr></thead>
<tbody>`,
    rows.map((m) =>
      concat(
        html`<tr><td>${m.label ?? m.key}<br><span class="muted"><code>${m.key}</code>${m.doneAt ? ' · done' : ''}</span></td><td>`,
        html`${localTime(m.baseline, zone)}</td><td>${localTime(m.at, zone)}</td><td>${m.moves}</td></tr>`,
      ),
    ),
    html`</tbody></table></div>
`,
    canEdit(request) ? html`<h3>Move a milestone</h3>${moveForm(request, project, rows)}` : '',
    html`</section>
<section class="card" aria-labelledby="workstreams"><h2 id="workstreams">Workstreams</h2>
`,
    applied.workstreams.length
      ? concat(
          html`<ul class="plain">`,
          applied.workstreams.map((w) =>
            concat(
              html`<li><strong>${w.name}</strong> <span class="muted"><code>${w.key}</code></span><br>Owner: ${who(w.ownerKey)}`,
              w.escalationKey ? html` · Escalation: ${who(w.escalationKey)}` : '',
              html`</li>`,
            ),
          ),
          html`</ul>`,
        )
      : html`<p>No workstreams.</p>`,
    html`</section>
<section class="card" aria-labelledby="audiences"><h2 id="audiences">Audiences</h2>
<ul class="plain">`,
    applied.audiences.map(
      (a) => html`<li><strong>${a.key}</strong>: ${a.people} people${a.description ? html` <span class="muted">· ${a.description}</span>` : ''}</li>`,
    ),
    html`</ul></section>
<section class="card" aria-labelledby="comms"><h2 id="comms">Comms</h2>
<div class="scroll" tabindex="0" role="region" aria-label="Comms table"><table><caption class="sr-only">The plan's comms`,
    html`</caption>
<thead><tr><th scope="col">Comm</th><th scope="col">Audiences and channels</th><th scope="col">When</th></tr></thead>
<tbody>`,
    applied.comms.map((c) =>
      concat(
        html`<tr><td>${commTitle(c, c.key)}<br><span class="muted"><code>${c.key}</code> · ${readableKey(c.kind)}${c.survey ? ' · survey' : ''}`,
        html`${c.workstream ? ` · ${workstreamName(c.workstream)}` : ''}</span></td><td>${c.audiences.join(', ')}<br><span`,
        html` class="muted">${c.channels.map(channelName).join(', ')}</span></td><td>${when(c, milestoneLabel)}</td></tr>`,
      ),
    ),
    html`</tbody></table></div></section>`,
  );
}

function summaryBody(request: FastifyRequest, project: DashboardProject, r: MoveResult, when: string, sent: number, label: string): Html {
  const s = r.calendar;
  const examples = (title: string, list: readonly string[]) =>
    list.length ? html`<h3>${title}</h3><ul class="plain">${list.map((l) => html`<li><code>${l}</code></li>`)}</ul>` : '';
  const same = r.from.getTime() === r.to.getTime();
  return concat(
    html`<h1>Move ${label}: dry run</h1>
<div class="card"><p><strong>From</strong> ${localTime(r.from, project.timezone)} <strong>to</strong> `,
    html`${localTime(r.to, project.timezone)}</p>
`,
    same ? html`<p class="note">That is where it already is: nothing would change.</p>` : '',
    html`
`,
    r.warnings.length
      ? html`<div class="note" role="alert"><h2>The order of milestones changes</h2><ul class="plain">${r.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>`
      : '',
    html`
<ul class="plain" aria-label="What the move changes">
<li><strong>${s.moved}</strong> messages move</li>
<li><strong>${s.cancelled}</strong> messages are cancelled</li>
<li><strong>${s.added}</strong> messages are added`,
    s.skipped ? ` (${s.skipped} of the added and moved are already past and are skipped)` : '',
    html`</li>
<li><strong>${sent}</strong> messages tied to it are already sent and stay as they are</li>
<li><strong>${s.unchanged}</strong> messages are unchanged</li>
`,
    r.triggered ? html`<li><strong>${r.triggered}</strong> messages are sent because it moved (milestone-moved comms)</li>` : '',
    html`
</ul>
`,
    examples('Examples of moved messages', s.examples.moved),
    examples('Examples of cancelled messages', s.examples.cancelled),
    examples('Examples of added messages', s.examples.added),
    html`
<p>Nothing is stored until you confirm.</p>
<form method="post" action="/projects/${project.key}/plan/move">${csrfField(request)}<input type="hidden"`,
    html` name="milestone" value="${r.milestone}"><input type="hidden" name="when" value="${when}"><input type="hidden"`,
    html` name="confirm" value="yes">
<button type="submit">Confirm move</button></form>
<p><a href="/projects/${project.key}/plan">Cancel</a></p></div>`,
  );
}

export const planPage: DashboardPage = {
  name: 'plan',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key/plan', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const [applied, rows] = await Promise.all([deps.reads.appliedPlan(project.id), deps.reads.milestones(project.id)]);
      const body = planBody(request, project, applied, rows, field(request.query, 'moved'));
      return sendPage(reply, request, { title: 'Plan', project, active: 'plan', body });
    });

    app.post<{ Params: { key: string } }>('/projects/:key/plan/move', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const milestone = field(request.body, 'milestone') ?? '';
      const when = (field(request.body, 'when') ?? '').trim();
      const confirm = field(request.body, 'confirm') === 'yes';
      const now = deps.clock.now();
      const r = await orRefuse(
        () =>
          moveMilestone(deps.db, { project: project.key, milestone, when, now, source: 'dashboard', dryRun: !confirm, actor: sessionOf(request).token.name }),
        'Not moved',
      );
      if (confirm) {
        await forget(deps, r.queuedChanged);
        return reply.redirect(`/projects/${encodeURIComponent(project.key)}/plan${query({ moved: r.milestone })}`, 303);
      }
      const { comms } = await deps.reads.appliedPlan(project.id);
      const tied = comms.filter((c) => commMilestones(c).includes(r.milestone)).map((c) => c.key);
      const sent = await deps.reads.sentOfComms(project.id, tied);
      const label = (await deps.reads.milestoneLabel(project.id, r.milestone)) ?? r.milestone;
      return sendPage(reply, request, { title: `Move ${label}`, project, active: 'plan', body: summaryBody(request, project, r, when, sent, label) });
    });
  },
};

/** Best effort, as in the API: the move is stored; a stale job that still fires finds its row moved and is not sent then. */
async function forget(deps: DashboardDeps, ids: readonly string[]): Promise<void> {
  if (!ids.length || !deps.forgetQueued) return;
  try {
    await deps.forgetQueued(ids);
  } catch (err) {
    deps.log?.warn({ err, count: ids.length }, 'could not drop the queued jobs of moved messages; the worker will catch up');
  }
}
