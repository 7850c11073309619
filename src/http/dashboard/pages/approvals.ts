/**
 * `/projects/:key/approvals`: comms waiting for a sign-off, soonest first send first, then those
 * decided (last decided first). Each shows its first send in the project zone, its state, the
 * approvers and their decisions by name, the messages held for it, and the preview of every variant
 * (audience, channel, locale, sample recipient, subject, text). An editor approves or requests
 * changes (a reason required), as themselves or on behalf of one of the approvers, through
 * decideApproval as the CLI and the API do (via 'dashboard', the session's token as the actor); a
 * viewer sees no forms. The project manager's notices of held and rejected comms link here.
 */
import type { FastifyRequest } from 'fastify';
import { pendingFirst } from '../../../app/approval-entry.ts';
import { decisionOutcome, decisionWords, needsWords, stateWords, viaWords } from '../../../app/approval-words.ts';
import { APPROVAL_NOTE_MAX, decideApproval } from '../../../app/decide-approval.ts';
import { listApprovals, type ApprovalView } from '../../../app/list-approvals.ts';
import type { ApprovalVariant } from '../../../app/ports.ts';
import { approvalOf } from '../../../domain/approval/rules.ts';
import { HeraldError } from '../../../domain/errors.ts';
import { channelName } from '../../../domain/plan/comm-title.ts';
import type { Plan } from '../../../domain/plan/model.ts';
import { errorLines, statusOf } from '../../error-status.ts';
import { DashboardError, sessionOf } from '../context.ts';
import { html, query, concat, type Html } from '../html.ts';
import { canEdit, csrfField, field, projectOf, sendPage } from '../kit.ts';
import { projectPath } from '../nav.ts';
import { planOf } from '../project-plan.ts';
import type { DashboardPage } from './page.ts';
import { localTime } from './when.ts';

type Decision = 'approve' | 'reject';
const LABEL: Record<Decision, string> = { approve: 'Approve', reject: 'Request changes' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "German (Germany)" for de-DE; the tag itself when the runtime does not know it. */
function localeName(locale: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language', languageDisplay: 'standard' }).of(locale) ?? locale;
  } catch {
    return locale;
  }
}

/** An audience as the plan describes it: "Sponsors (executives)", or its key when it has no description. */
function audienceName(plan: Plan, key: string): string {
  const d = plan.audiences.find((a) => a.key === key)?.description;
  return d ? `${d} (${key})` : key;
}

/** What the last decision did, from the redirect's query (the page after a POST). */
interface Done {
  id: string;
  released: number;
  skipped: number;
  changed: boolean;
  onBehalfOf?: string | undefined;
}

function doneOf(q: unknown): Done | undefined {
  const id = field(q, 'done');
  if (!id || !UUID.test(id)) return undefined;
  const n = (name: string) => {
    const v = Number(field(q, name));
    return Number.isInteger(v) && v >= 0 ? v : 0;
  };
  return { id, released: n('released'), skipped: n('skipped'), changed: field(q, 'unchanged') !== '1', onBehalfOf: field(q, 'for') || undefined };
}

/** The decision form; `note` comes back filled when a note was refused (too long, or a missing reason). */
function decisionForm(request: FastifyRequest, projectKey: string, a: ApprovalView, decision: Decision, again?: { note: string; onBehalfOf?: string }): Html {
  const id = `${decision}-${a.id}`;
  const me = sessionOf(request).token.name;
  const options = concat(
    html`<option value="">Myself (${me})</option>`,
    a.approvers.map((p) => html`<option value="${p.id}"${again?.onBehalfOf === p.id ? html` selected` : ''}>${p.name}</option>`),
  );
  const noteLabel =
    decision === 'approve'
      ? html`Note <span class="muted">(optional, up to ${APPROVAL_NOTE_MAX.toLocaleString('en')} characters)</span>`
      : html`Reason <span class="muted">(required: what should change; up to ${APPROVAL_NOTE_MAX.toLocaleString('en')} characters)</span>`;
  return html`<form method="post" action="/projects/${projectKey}/approvals/${a.id}/${decision}">
${csrfField(request)}<input type="hidden" name="round" value="${a.round}">
<label for="${id}-for">${decision === 'approve' ? 'Approve' : 'Request changes'} for</label>
<select id="${id}-for" name="onBehalfOf">${options}</select>
<label for="${id}-note">${noteLabel}</label>
<textarea id="${id}-note" name="note" rows="${again ? 6 : 2}"${decision === 'reject' ? html` required` : ''}>${again?.note ?? ''}</textarea>
<button type="submit"${decision === 'reject' ? html` class="secondary"` : ''}>${LABEL[decision]}</button></form>`;
}

function votes(a: ApprovalView, zone: string): Html {
  const when = (at: Date | null, via: string | null) => (at ? html` ${localTime(at, zone)} ${viaWords(via)}` : '');
  const note = (n: string | null) => (n ? html`: <q>${n}</q>` : '');
  const approvers = a.approvers.map((p) => {
    const by = p.actor && p.actor !== p.id ? html` <span class="muted">(recorded by ${p.actor})</span>` : '';
    return html`<li><strong>${p.name}</strong>: ${decisionWords(p.decision)}${when(p.at, p.via)}${by}${note(p.note)}</li>`;
  });
  const others = a.others.map(
    (v) =>
      html`<li><strong>${v.actor}</strong> <span class="muted">(editor, as themselves)</span>: ${decisionWords(v.decision)}${when(v.at, v.via)}${note(v.note)}</li>`,
  );
  return html`<ul class="plain">${approvers}${others}</ul>`;
}

function variant(plan: Plan, v: ApprovalVariant, open: boolean): Html {
  return html`<details class="variant"${open ? html` open` : ''}><summary>${audienceName(plan, v.audience)} · ${channelName(v.channel)} · ${localeName(v.locale)} · as ${v.sample} receives it</summary>
${v.channel === 'email' ? html`<p><strong>Subject:</strong> ${v.subject}</p>` : ''}<pre>${v.text}</pre></details>`;
}

function card(request: FastifyRequest, projectKey: string, plan: Plan, a: ApprovalView, done: Done | undefined): Html {
  const zone = plan.project.timezone;
  const held = `${a.held} message${a.held === 1 ? '' : 's'}`;
  const outcome =
    done?.id === a.id
      ? html`<p class="note" role="status">${decisionOutcome(
          { state: a.state, changed: done.changed, released: done.released, skipped: done.skipped },
          a.state === 'rejected' ? 'reject' : 'approve',
          a.title,
          done.onBehalfOf ? ` for ${a.approvers.find((p) => p.id === done.onBehalfOf)?.name ?? 'an approver'}` : ` as ${sessionOf(request).token.name}`,
          a,
        )}</p>`
      : '';
  const decided = a.decidedAt ? html`<p>${stateWords(a.state)} ${localTime(a.decidedAt, zone)}${a.note ? html`: <q>${a.note}</q>` : ''}</p>` : '';
  const forms =
    a.state === 'pending' && canEdit(request)
      ? html`<div class="grid">${decisionForm(request, projectKey, a, 'approve')}${decisionForm(request, projectKey, a, 'reject')}</div>`
      : '';
  return concat(
    html`<section class="card" id="appr-${a.id}" aria-labelledby="appr-${a.id}-title"><h3 id="appr-${a.id}-title">${a.title}</h3>
${outcome}<p><strong>State:</strong> ${stateWords(a.state)} · <strong>First send:</strong> ${localTime(a.firstSendAt, zone)} · `,
    html`<strong>Held:</strong> ${held}</p>
<p class="muted">Needs ${needsWords(a)} · asked ${localTime(a.requestedAt, zone)}`,
    a.round > 1 ? html` · asked again after the content changed (round ${a.round})` : '',
    html`</p>
${decided}${votes(a, zone)}
<h4>What the approvers sign off</h4>
${a.variants.map((v, i) => variant(plan, v, a.state === 'pending' && i === 0))}
${forms}</section>`,
  );
}

export const approvalsPage: DashboardPage = {
  name: 'approvals',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key/approvals', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const plan = await planOf(deps, project);
      const list = pendingFirst(await listApprovals(deps.db, { project: project.key }));
      const done = doneOf(request.query);
      const pending = list.filter((a) => a.state === 'pending');
      const decided = list.filter((a) => a.state !== 'pending');
      const body = list.length
        ? concat(
            html`<h1>Approvals</h1>
<h2>Waiting for a decision (${pending.length})</h2>
`,
            pending.length
              ? pending.map((a) => card(request, project.key, plan, a, done))
              : html`<div class="card"><p>Nothing is waiting for a sign-off.</p></div>`,
            html`<h2>Decided (${decided.length})</h2>
`,
            decided.length ? decided.map((a) => card(request, project.key, plan, a, done)) : html`<div class="card"><p>Nothing decided yet.</p></div>`,
          )
        : plan.comms.some((c) => approvalOf(plan, c))
          ? html`<h1>Approvals</h1><div class="card"><p>No approvals yet.</p>
<p>No occurrence of the comms that need a sign-off has messages still to send. <code>herald apply</code> asks their approvers as soon as one has; a plan applied here or through the API is picked up by the worker within 15 seconds (is <code>herald worker</code> running?).</p></div>`
          : html`<h1>Approvals</h1><div class="card"><p>No comm of this project waits for a sign-off.</p>
<p>Give a comm <code>approval: { by: [maria, raj], needs: any }</code>, or the project <code>approval: { kinds: [exec-summary], by: [maria] }</code>, and apply the plan: its approvers are asked before it goes out, and it is listed here.</p></div>`;
      return sendPage(reply, request, { title: 'Approvals', project, active: 'approvals', body });
    });

    app.post<{ Params: { key: string; id: string; decision: string } }>('/projects/:key/approvals/:id/:decision', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const decision = request.params.decision;
      if (decision !== 'approve' && decision !== 'reject')
        throw new DashboardError(404, 'No such action', [`"${decision}" is not an approval action.`, 'Use the Approve or Request changes button.']);
      if (!UUID.test(request.params.id)) throw new DashboardError(404, 'No such approval', [`"${request.params.id}" is not an approval id.`]);
      const note = field(request.body, 'note');
      const onBehalfOf = field(request.body, 'onBehalfOf') || undefined;
      const round = Number(field(request.body, 'round'));
      const title = decision === 'approve' ? 'Not approved' : 'Changes not requested';
      let r: Awaited<ReturnType<typeof decideApproval>>;
      try {
        r = await decideApproval(
          { stores: deps.db.stores, clock: deps.clock },
          {
            approvalId: request.params.id,
            decision,
            note,
            onBehalfOf,
            actor: sessionOf(request).token.name,
            via: 'dashboard',
            project: project.key,
            ...(Number.isInteger(round) && round > 0 ? { round } : {}),
          },
        );
      } catch (e) {
        if (!(e instanceof HeraldError)) throw e;
        const lines = errorLines(e.message, e.hint);
        const a =
          e.code === 'APPROVAL_NOTE_INVALID' || e.code === 'APPROVAL_REASON_REQUIRED'
            ? (await listApprovals(deps.db, { project: project.key })).find((x) => x.id === request.params.id)
            : undefined;
        if (e.code === 'APPROVAL_STALE') {
          throw new DashboardError(409, title, [lines[0]!, 'To fix: read the new version on the Approvals page, then decide again.']);
        }
        if (!a) {
          const status = statusOf(e);
          throw new DashboardError(status === 404 || status === 409 ? status : 422, title, lines);
        }
        // The note is given back in the form, so a long one is shortened rather than typed again.
        const body = html`<h1>${title}</h1><div class="card error" role="alert">${lines.map((l) => html`<p>${l}</p>`)}</div>
<div class="card"><h2>${a.title}</h2>${decisionForm(request, project.key, a, decision, { note: note ?? '', ...(onBehalfOf ? { onBehalfOf } : {}) })}</div>
<p><a href="${projectPath(project.key, 'approvals')}#appr-${a.id}">Back to approvals</a></p>`;
        return sendPage(reply, request, { title, project, active: 'approvals', body }, 422);
      }
      const q = query({ done: r.approvalId, released: r.released, skipped: r.skipped, unchanged: r.changed ? undefined : 1, for: onBehalfOf });
      return reply.redirect(`${projectPath(project.key, 'approvals')}${q}#appr-${r.approvalId}`, 303);
    });
  },
};
