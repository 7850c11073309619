/**
 * `/projects/:key/inbox`: inbound mail that recorded nothing or needs a person's eye (listInbox),
 * each item readable at `/projects/:key/inbox/:id`. An editor assigns an item in three GET steps
 * (person, then one of that person's survey messages, then option and comment) and one POST, which
 * records it as that person's answer (assignInboundMail → recordResponse) and takes it off the list.
 */
import type { FastifyRequest } from 'fastify';
import { assignInboundMail } from '../../../app/assign-inbound-mail.ts';
import { listInbox, type InboxEntry } from '../../../app/list-inbox.ts';
import { showInboundMail, type InboundMailView } from '../../../app/show-inbound-mail.ts';
import { sessionOf, type DashboardDeps } from '../context.ts';
import { html, query, type Html, concat } from '../html.ts';
import { canEdit, csrfField, field, projectOf, sendPage, type DashboardProject } from '../kit.ts';
import { personLabel, planOf } from '../project-plan.ts';
import { channelName, commOccurrenceTitle, commTitle } from '../../../domain/plan/comm-title.ts';
import type { Plan } from '../../../domain/plan/model.ts';
import type { DashboardPage } from './page.ts';
import { orRefuse } from './refusal.ts';
import { localTime } from './when.ts';

/** Enough for a datalist to help; a larger project types the person's id. */
const PEOPLE_LISTED = 500;

function itemPath(projectKey: string, id: string): string {
  return `/projects/${encodeURIComponent(projectKey)}/inbox/${id}`;
}

function row(projectKey: string, plan: Plan, zone: string, e: InboxEntry): Html {
  const person = e.person === null ? undefined : plan.people.find((p) => p.id === e.person);
  return concat(
    html`<tr><td>${localTime(e.receivedAt, zone)}</td><td>${e.from ?? 'no sender'}`,
    e.fromOtherAddress ? html`<br><strong>Sent from another address</strong>` : '',
    html`</td>
<td><a href="${itemPath(projectKey, e.id)}">${e.subject || '(no subject)'}</a></td><td>${e.outcome}<br><span`,
    html` class="muted">${e.reason ?? ''}</span></td>
<td>${person ? personLabel(plan, person) : (e.person ?? '')}`,
    e.comm
      ? html`<br><span class="muted">${commTitle(
          plan.comms.find((c) => c.key === e.comm),
          e.comm,
        )}</span>`
      : '',
    e.inProject ? '' : html`<br><span class="muted">no known project</span>`,
    html`</td></tr>`,
  );
}

async function assignedNote(deps: DashboardDeps, project: DashboardProject, id: string | undefined): Promise<Html> {
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) return html``;
  const done = await deps.inboxReads.mail(id);
  return done?.projectId === project.id && done.outcome === 'assigned'
    ? html`<div class="card note" role="status"><p>"${done.subject ?? '(no subject)'}" is assigned; the answer is recorded on the Responses page.</p></div>`
    : html``;
}

/** Step 1: whose answer it is. Pre-filled with the person the mail matched, or whose address sent it. */
async function personStep(deps: DashboardDeps, project: DashboardProject, mail: InboundMailView, person: string): Promise<Html> {
  const people = await deps.inboxReads.peopleUpTo(project.id, PEOPLE_LISTED);
  return html`<form method="get" action="${itemPath(project.key, mail.id)}">
<label for="person">1. Person <span class="muted">(their id in the plan)</span></label>
<input type="text" id="person" name="person" value="${person}" list="people" required autocomplete="off" spellcheck="false">
${people.length ? html`<datalist id="people">${people.map((p) => html`<option value="${p.key}">${p.name}</option>`)}</datalist>` : ''}
<button type="submit" class="secondary">Choose person</button></form>`;
}

/** Step 2 and 3: one of the person's sent survey messages, then the option and comment. */
async function answerSteps(
  request: FastifyRequest,
  deps: DashboardDeps,
  project: DashboardProject,
  mail: InboundMailView,
  person: string,
  messageId: string | undefined,
): Promise<Html> {
  const who = await deps.inboxReads.personByKey(project.id, person);
  if (!who) return html`<p class="error" role="alert">No person "${person}" in this project. Check the id in the plan.</p>`;
  const sent = await deps.inboxReads.sentComms(project.id, who.id, 200);
  const surveys = sent.filter((m) => m.comm.spec.survey);
  if (!surveys.length) return html`<p class="error" role="alert">${who.name} has been sent no survey message yet, so there is nothing to answer.</p>`;
  const chosen = surveys.find((m) => m.id === messageId);
  const pick = concat(
    html`<form method="get" action="${itemPath(project.key, mail.id)}"><input type="hidden" name="person"`,
    html` value="${person}">
<label for="message">2. ${who.name}'s survey message</label>
<select id="message" name="message">`,
    surveys.map((m) =>
      concat(
        html`<option value="${m.id}"${m.id === chosen?.id ? html` selected` : ''}>${commOccurrenceTitle({ comms: [m.comm.spec] }, m.comm.key, m.occurrence)} (`,
        html`${channelName(m.channel)}, sent `,
        m.sentAt ? localTime(m.sentAt, project.timezone) : '?',
        html`)</option>`,
      ),
    ),
    html`</select>
<button type="submit" class="secondary">Choose message</button></form>`,
  );
  if (!chosen) return pick;
  const survey = chosen.comm.spec.survey!;
  const answer = concat(
    html`<form method="post" action="${itemPath(project.key, mail.id)}/assign">${csrfField(request)}
<input type="hidden" name="person" value="${person}"><input type="hidden" name="message" value="${chosen.id}">
<fieldset><legend>3. ${survey.question}</legend>
`,
    survey.options.map((o, i) =>
      concat(
        html`<div><input type="radio" id="opt-${i}" name="option" value="${o.value}"${i === 0 ? html` required` : ''}> `,
        html`<label class="inline" for="opt-${i}">${o.label}</label></div>`,
      ),
    ),
    html`
<div><input type="radio" id="opt-none" name="option" value=""> <label class="inline" for="opt-none">No option, comment`,
    html` only</label></div></fieldset>
<label for="comment">Comment</label><textarea id="comment" name="comment" rows="4">${mail.text}</textarea>
<button type="submit">Record as ${who.name}'s answer</button></form>`,
  );
  return html`${pick}${answer}`;
}

export const inboxPage: DashboardPage = {
  name: 'inbox',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key/inbox', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const list = await listInbox(deps.db, project.key, readerScope(request));
      const plan = await planOf(deps, project);
      const table = list.length
        ? concat(
            html`<div class="scroll" tabindex="0" role="region" aria-label="Inbox"><table><caption class="sr-only">Mail`,
            html` waiting for a person</caption>
<thead><tr><th scope="col">Received</th><th scope="col">From</th><th scope="col">Subject</th><th scope="col">Outcome`,
            html`</th><th scope="col">Matched</th></tr></thead>
<tbody>`,
            list.map((e) => row(project.key, plan, project.timezone, e)),
            html`</tbody></table></div>`,
          )
        : html`<p>The inbox is empty: every inbound mail was recorded or handled.</p>`;
      const body = concat(
        html`<h1>Inbox</h1>`,
        await assignedNote(deps, project, field(request.query, 'assigned')),
        html`
<div class="card"><p class="muted">Unmatched mail, mailing-list copies, unparseable mail, replies that said nothing new`,
        html` or could not be recorded, and replies sent from another address.</p>${table}</div>`,
      );
      return sendPage(reply, request, { title: 'Inbox', project, active: 'inbox', body });
    });

    app.get<{ Params: { key: string; id: string } }>('/projects/:key/inbox/:id', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const mail = await orRefuse(() => showInboundMail(deps.db, project.key, request.params.id, readerScope(request)), 'No such inbox item');
      const person = field(request.query, 'person')?.trim() ?? (await guessPerson(deps, project, mail.id));
      const assign =
        canEdit(request) && mail.open
          ? concat(
              html`<section class="card" aria-labelledby="assign"><h2 id="assign">Assign to a person and message</h2>
`,
              await personStep(deps, project, mail, person ?? ''),
              person ? await answerSteps(request, deps, project, mail, person, field(request.query, 'message')) : '',
              html`</section>`,
            )
          : '';
      const body = html`<h1>${mail.subject || '(no subject)'}</h1>
<div class="card"><p><strong>From:</strong> ${mail.from ?? 'no sender'} · <strong>Received:</strong> ${localTime(mail.receivedAt, project.timezone)}</p>
<p><strong>${mail.kind}, ${mail.outcome}:</strong> ${mail.reason ?? ''}</p>
<h2>New text</h2><pre>${mail.text || '(nothing above the quoted message)'}</pre>
<details><summary>Whole text</summary><pre>${mail.fullText}</pre></details></div>
${assign}<p><a href="/projects/${project.key}/inbox">Back to the inbox</a></p>`;
      return sendPage(reply, request, { title: mail.subject || 'Inbox item', project, active: 'inbox', body });
    });

    app.post<{ Params: { key: string; id: string } }>('/projects/:key/inbox/:id/assign', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const b = request.body;
      const option = field(b, 'option') || null;
      const comment = field(b, 'comment')?.trim() || null;
      await orRefuse(
        () =>
          assignInboundMail(
            { stores: deps.db.stores, clock: deps.clock },
            {
              project: project.key,
              inboundId: request.params.id,
              person: field(b, 'person') ?? '',
              messageId: field(b, 'message') ?? '',
              option,
              comment,
              by: sessionOf(request).token.name,
              ...readerScope(request),
            },
          ),
        'Not assigned',
      );
      return reply.redirect(`/projects/${encodeURIComponent(project.key)}/inbox${query({ assigned: request.params.id })}`, 303);
    });
  },
};

/** Mail of no known project may belong to any project: only a token for every project sees it. */
function readerScope(request: FastifyRequest): { projectless: boolean } {
  return { projectless: sessionOf(request).token.projectKey === null };
}

/** The person the mail matched, else the one person of the project whose address sent it. */
async function guessPerson(deps: DashboardDeps, project: DashboardProject, id: string): Promise<string | undefined> {
  return deps.inboxReads.likelySender(project.id, id);
}
