/**
 * `/projects/:key/escalations[?state=open|all&level=N]`: escalations with who holds them, level,
 * state, age, and who answered what. An editor acknowledges or resolves one with a note (POST,
 * through actOnEscalation, as the CLI does for the PM); a viewer sees no forms.
 */
import type { FastifyRequest } from 'fastify';
import { actOnEscalation, ESCALATION_NOTE_MAX } from '../../../app/act-on-escalation.ts';
import { escalationNotices, formatAge, listEscalations, type EscalationEntry, type EscalationNoticeEntry } from '../../../app/list-escalations.ts';
import { commOccurrenceTitle, optionLabel } from '../../../domain/plan/comm-title.ts';
import type { Plan } from '../../../domain/plan/model.ts';
import { DashboardError, sessionOf } from '../context.ts';
import { planOf } from '../project-plan.ts';
import { html, query, type Html, concat } from '../html.ts';
import { canEdit, csrfField, field, projectOf, sendPage } from '../kit.ts';
import type { DashboardPage } from './page.ts';
import { orRefuse } from './refusal.ts';
import { localTime } from './when.ts';

interface Filter {
  state: 'open' | 'all';
  level?: number | undefined;
}

function filterOf(source: unknown): Filter {
  const level = Number(field(source, 'level'));
  return { state: field(source, 'state') === 'all' ? 'all' : 'open', level: Number.isInteger(level) && level > 0 ? level : undefined };
}

function actions(request: FastifyRequest, projectKey: string, e: EscalationEntry, f: Filter): Html {
  if (!canEdit(request) || e.state === 'resolved') return html``;
  const form = (action: 'acknowledge' | 'resolve', label: string) => html`<form method="post" action="/projects/${projectKey}/escalations/${e.id}/${action}">
${csrfField(request)}<input type="hidden" name="state" value="${f.state}"><input type="hidden" name="level" value="${f.level ?? ''}">
<label for="${action}-${e.id}">${label} note <span class="muted">(optional, up to ${ESCALATION_NOTE_MAX.toLocaleString('en')} characters)</span></label>
<textarea id="${action}-${e.id}" name="note" rows="2"></textarea>
<button type="submit"${action === 'acknowledge' ? '' : html` class="secondary"`}>${label}</button></form>`;
  return html`<div class="grid">${e.state === 'open' ? form('acknowledge', 'Acknowledge') : ''}${form('resolve', 'Resolve')}</div>`;
}

/** Who was told, when and how: the owner's notice, level 2's, the answerer's "on it" (a pending one with its due time). */
function told(notices: readonly EscalationNoticeEntry[], who: (k: string) => string, zone: string): Html {
  const role = { owner: 'owner', second: 'level 2', answerer: 'who answered' } as const;
  const line = (n: EscalationNoticeEntry): Html => {
    const how = n.channel === 'slack' ? 'in Slack' : 'by e-mail';
    if (n.status === 'sent' && n.sentAt) return html`${who(n.person)} (${role[n.role]}) told ${how} ${localTime(n.sentAt, zone)}`;
    if (n.status === 'failed') return html`${who(n.person)} (${role[n.role]}) could not be told ${how}`;
    return html`${who(n.person)} (${role[n.role]}) to be told ${how} ${localTime(n.dueAt, zone)}`;
  };
  return notices.length ? html`<p class="muted">${concat(...notices.flatMap((n, i) => (i ? [html` · `, line(n)] : [line(n)])))}</p>` : html``;
}

function item(
  request: FastifyRequest,
  projectKey: string,
  plan: Plan,
  e: EscalationEntry,
  names: Map<string, string>,
  f: Filter,
  notices: readonly EscalationNoticeEntry[],
): Html {
  const who = (k: string) => names.get(k) ?? k;
  const zone = plan.project.timezone;
  return concat(
    html`<section class="card" id="esc-${e.id}"><h2>${who(e.person)} answered “`,
    html`${optionLabel(plan, e.comm, e.option)}” to ${commOccurrenceTitle(plan, e.comm, e.occurrence)}</h2>
`,
    e.comment ? html`<blockquote>${e.comment}</blockquote>` : html`<p class="muted">No comment.</p>`,
    html`
<p><strong>State:</strong> ${e.state} · <strong>Level:</strong> ${e.level} · <strong>Owner:</strong> ${who(e.owner)} · `,
    html`<strong>Urgency:</strong> ${e.urgency} · <strong>Age:</strong> ${formatAge(e.ageSeconds)}</p>
<p class="muted">Opened ${localTime(e.openedAt, zone)}`,
    e.escalatedAt
      ? ` · went up a level ${localTime(e.escalatedAt, zone)}`
      : e.escalateAt && e.state === 'open'
        ? ` · goes up a level ${localTime(e.escalateAt, zone)}`
        : '',
    html`</p>
`,
    told(notices, who, zone),
    e.acknowledgedAt
      ? html`<p>Acknowledged ${localTime(e.acknowledgedAt, zone)}${e.acknowledgementNote ? html`: <q>${e.acknowledgementNote}</q>` : ''}</p>`
      : '',
    html`
`,
    e.resolvedAt ? html`<p>Resolved ${localTime(e.resolvedAt, zone)}${e.resolutionNote ? html`: <q>${e.resolutionNote}</q>` : ''}</p>` : '',
    html`
${actions(request, projectKey, e, f)}</section>`,
  );
}

export const escalationsPage: DashboardPage = {
  name: 'escalations',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key/escalations', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const plan = await planOf(deps, project);
      const f = filterOf(request.query);
      const all = await listEscalations(deps.db, { project: project.key, open: f.state === 'open', now: deps.clock.now() });
      const list = f.level === undefined ? all : all.filter((e) => e.level === f.level);
      const notices = await escalationNotices(
        deps.db,
        list.map((e) => e.id),
      );
      const keys = [...new Set([...list.flatMap((e) => [e.person, e.owner]), ...[...notices.values()].flat().map((n) => n.person)])];
      const names = await deps.reads.personNames(project.id, keys);
      const levels = [...new Set(all.map((e) => e.level))].sort((a, b) => a - b);
      const filters = concat(
        html`<form class="filters" method="get" action="/projects/${project.key}/escalations">
<div><label for="state">State</label><select id="state" name="state"><option value="open">Open and acknowledged</option>`,
        html`<option value="all"${f.state === 'all' ? html` selected` : ''}>All, resolved too</option></select></div>
<div><label for="level">Level</label><select id="level" name="level"><option value="">Any level</option>`,
        levels.map((l) => html`<option value="${l}"${l === f.level ? html` selected` : ''}>Level ${l}</option>`),
        html`</select></div>
<div><button type="submit">Show</button></div></form>`,
      );
      const body = concat(
        html`<h1>Escalations</h1><div class="card">${filters}</div>
`,
        list.length
          ? list.map((e) => item(request, project.key, plan, e, names, f, notices.get(e.id) ?? []))
          : html`<div class="card"><p>No escalations ${f.state === 'open' ? 'are open' : 'yet'}${f.level ? ` at level ${f.level}` : ''}.</p></div>`,
      );
      return sendPage(reply, request, { title: 'Escalations', project, active: 'escalations', body });
    });

    app.post<{ Params: { key: string; id: string; action: string } }>('/projects/:key/escalations/:id/:action', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const action = request.params.action;
      if (action !== 'acknowledge' && action !== 'resolve')
        throw new DashboardError(404, 'No such action', [`"${action}" is not an escalation action.`, 'Use the Acknowledge or Resolve button.']);
      if (!/^[0-9a-f-]{36}$/i.test(request.params.id)) throw new DashboardError(404, 'No such escalation', [`"${request.params.id}" is not an escalation id.`]);
      const note = field(request.body, 'note');
      const verb = action === 'acknowledge' ? 'acknowledged' : 'resolved';
      const f = filterOf(request.body);
      const act = () =>
        actOnEscalation(
          { stores: deps.db.stores, clock: deps.clock },
          {
            escalationId: request.params.id,
            action,
            project: project.key,
            note,
            actor: sessionOf(request).token.name,
          },
        );
      try {
        await orRefuse(act, `Not ${verb}`);
      } catch (e) {
        if (!(e instanceof DashboardError) || e.status !== 422) throw e;
        // The note is given back in the form, so a long one is shortened rather than typed again.
        const again = concat(
          html`<form method="post" action="/projects/${project.key}/escalations/${request.params.id}/`,
          html`${action}">${csrfField(request)}
<input type="hidden" name="state" value="${f.state}"><input type="hidden" name="level" value="${f.level ?? ''}">
<label for="note">Note <span class="muted">(${(note ?? '').trim().length.toLocaleString('en')} of at most `,
          html`${ESCALATION_NOTE_MAX.toLocaleString('en')} characters)</span></label>
<textarea id="note" name="note" rows="6">${note ?? ''}</textarea><button type="submit">`,
          action === 'acknowledge' ? 'Acknowledge' : 'Resolve',
          html`</button></form>`,
        );
        const body = html`<h1>${e.title}</h1><div class="card error" role="alert">${e.lines.map((l) => html`<p>${l}</p>`)}</div><div class="card">${again}</div>
<p><a href="/projects/${project.key}/escalations">Back to escalations</a></p>`;
        return sendPage(reply, request, { title: e.title, project, active: 'escalations', body }, 422);
      }
      return reply.redirect(
        `/projects/${encodeURIComponent(project.key)}/escalations` +
          `${query({ state: f.state === 'all' ? 'all' : undefined, level: f.level })}#esc-${request.params.id}`,
        303,
      );
    });
  },
};
