/**
 * `/projects/:key/responses[?comm=KEY&q=text]`: per survey comm the answer split and the response
 * rate per audience, the comments (searched with `q`), and each person's answer with its history.
 */
import type { CommSummary, ResponseEntry } from '../../../app/list-responses.ts';
import { responsesView } from '../../../app/responses-view.ts';
import { commOccurrenceTitle, commTitle, optionLabel } from '../../../domain/plan/comm-title.ts';
import type { Plan } from '../../../domain/plan/model.ts';
import { html, type Html, concat } from '../html.ts';
import { field, projectOf, sendPage } from '../kit.ts';
import type { DashboardPage } from './page.ts';
import { channelPhrase } from '../../../app/answer-view.ts';
import { bar, share } from './bar.ts';
import { orRefuse } from './refusal.ts';
import { localTime } from './when.ts';

function split(s: CommSummary, title: string): Html {
  const total = s.counts.reduce((n, c) => n + c.count, 0);
  return html`<div class="scroll" tabindex="0" role="region" aria-label="Answers to ${title}"><table>
<caption class="sr-only">Answers to ${title}</caption>
<thead><tr><th scope="col">Answer</th><th scope="col">Count</th><th scope="col"><span class="sr-only">Share</span></th></tr></thead>
<tbody>${s.counts.map((c) => html`<tr><td>${c.label}</td><td>${share(c.count, total)}</td><td>${bar(c.count, total)}</td></tr>`)}</tbody>
</table></div>`;
}

function rates(s: CommSummary, title: string): Html {
  return html`<div class="scroll" tabindex="0" role="region" aria-label="Response rate for ${title}"><table>
<caption class="sr-only">Response rate per audience for ${title}</caption>
<thead><tr><th scope="col">Audience</th><th scope="col">Answered</th><th scope="col"><span class="sr-only">Rate</span></th></tr></thead>
<tbody>${s.rates.map((r) => html`<tr><td>${r.audience}</td><td>${share(r.answered, r.asked)}</td><td>${bar(r.answered, r.asked)}</td></tr>`)}</tbody>
</table></div>`;
}

/** The comments matching the search (the database filtered them), latest first. */
function comments(plan: Plan, s: CommSummary, q: string, names: Map<string, string>): Html {
  if (!s.comments.length) return html`<p class="muted">${q ? `No comment matches "${q}".` : 'No comments yet.'}</p>`;
  return concat(
    html`<ul class="plain">`,
    s.comments.map((c) =>
      concat(
        html`<li><strong>${names.get(c.person) ?? c.person}</strong> <span class="muted">(`,
        optionLabel(plan, s.comm, c.option) ?? 'no option',
        html`)</span><br>${c.comment}</li>`,
      ),
    ),
    html`</ul>`,
  );
}

/** Rows in the history table and comments listed; a large project finds one person with the search box. */
const HISTORY_ROWS = 200;

function history(plan: Plan, entries: readonly ResponseEntry[], matching: number, q: string, names: Map<string, string>): Html {
  const zone = plan.project.timezone;
  const label = (e: ResponseEntry, v: string | null) => optionLabel(plan, e.comm, v);
  if (!entries.length) return html`<p class="muted">${q ? `No answer matches "${q}".` : 'No answers yet.'}</p>`;
  return concat(
    matching > entries.length ? html`<p class="muted">The ${entries.length} latest of ${matching} answers; search a name or id to find one person.</p>` : '',
    html`<div class="scroll" tabindex="0" role="region" aria-label="Each person's answers"><table>
<caption class="sr-only">Each person's answer and its history</caption>
<thead><tr><th scope="col">Person</th><th scope="col">Comm</th><th scope="col">Answer</th><th scope="col">History</th>`,
    html`</tr></thead>
<tbody>`,
    entries.map((e) =>
      concat(
        html`<tr><td>${names.get(e.person) ?? e.person}</td><td>${commOccurrenceTitle(plan, e.comm, e.occurrence)}`,
        html`</td>
<td>${label(e, e.option) ?? 'comment only'}<br><span class="muted">${localTime(e.answeredAt, zone)} · ${channelPhrase(e.channel)}`,
        html`</span>`,
        e.fromOtherAddress ? html`<br><strong>Sent from another address</strong>` : '',
        html`</td>
<td>`,
        e.history.length
          ? concat(
              html`<ul class="plain">`,
              e.history.map(
                (h) =>
                  html`<li>${label(e, h.from) ?? 'none'} → ${label(e, h.to) ?? 'none'} <span class="muted">${localTime(h.at, zone)} · ${channelPhrase(h.channel)}</span></li>`,
              ),
              html`</ul>`,
            )
          : html`<span class="muted">first answer</span>`,
        html`</td></tr>`,
      ),
    ),
    html`</tbody>
</table></div>`,
  );
}

export const responsesPage: DashboardPage = {
  name: 'responses',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key/responses', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const comm = field(request.query, 'comm') || undefined;
      const q = (field(request.query, 'q') ?? '').trim();
      const { plan, entries, matching, summaries, names } = await orRefuse(
        () => responsesView(deps.db, { project: project.key, comm, search: q, limit: HISTORY_ROWS }),
        'No such survey',
      );
      const surveys = plan.comms.filter((c) => c.survey);
      const filters = concat(
        html`<form class="filters" method="get" action="/projects/${project.key}/responses" role="search">
<div><label for="comm">Survey</label><select id="comm" name="comm"><option value="">All surveys</option>`,
        surveys.map((c) => html`<option value="${c.key}"${c.key === comm ? html` selected` : ''}>${commTitle(c, c.key)}</option>`),
        html`</select></div>
<div><label for="q">Search comments and people</label><input type="search" id="q" name="q" value="${q}"></div>
<div><button type="submit">Show</button></div>
</form>`,
      );
      const cards = summaries.map((s) => {
        const title = commTitle(
          plan.comms.find((c) => c.key === s.comm),
          s.comm,
        );
        return html`<section class="card" aria-labelledby="s-${s.comm}"><h2 id="s-${s.comm}">${title}: ${s.question}</h2>
<div class="grid"><div><h3>Answers</h3>${split(s, title)}</div><div><h3>Response rate</h3>${rates(s, title)}</div></div>
<h3>Comments</h3>${comments(plan, s, q, names)}</section>`;
      });
      const body = html`<h1>Responses</h1><div class="card">${filters}</div>
${summaries.length ? cards : html`<div class="card"><p>This project has no survey comms.</p></div>`}
<section class="card" aria-labelledby="people"><h2 id="people">Each person's answers</h2>${history(plan, entries, matching, q, names)}</section>`;
      return sendPage(reply, request, { title: 'Responses', project, active: 'responses', body });
    });
  },
};
