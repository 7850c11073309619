/**
 * `/projects/:key/audit`: the audit trail (listAudit), oldest first, 100 a page, from a date on:
 * when (in the project zone, named), who (people by name), what (in words), and what it refers to.
 */
import { listAudit } from '../../../app/audit-trail.ts';
import { auditActionLabel, parseSince, type AuditEntry } from '../../../domain/audit/actions.ts';
import { HeraldError } from '../../../domain/errors.ts';
import { DashboardError } from '../context.ts';
import { concat, html, query, type Html } from '../html.ts';
import { field, projectOf, sendPage } from '../kit.ts';
import type { DashboardPage } from './page.ts';
import { localTime } from './when.ts';
import { planOf } from '../project-plan.ts';
import { commTitle } from '../../../domain/plan/comm-title.ts';

const PAGE = 100;
/** People looked up to show names for the plan ids that acted (opt-outs, escalation owners). */
const PEOPLE_NAMED = 5000;

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** A stored value as a person reads it: instants in the project's zone, people by name. */
function shown(v: unknown, zone: string, names: ReadonlyMap<string, string>): string {
  if (typeof v !== 'string') return JSON.stringify(v);
  if (ISO_INSTANT.test(v)) return localTime(v, zone);
  return names.get(v) ?? v;
}

function details(d: Record<string, unknown>, zone: string, names: ReadonlyMap<string, string>): string {
  return Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined && v !== false)
    .map(([k, v]) => `${k}: ${shown(v, zone, names)}`)
    .join(' · ');
}

function row(e: AuditEntry, zone: string, names: ReadonlyMap<string, string>): Html {
  return html`<tr><td>${localTime(e.at, zone)}</td><td>${names.get(e.actor) ?? e.actor}</td><td>${auditActionLabel(e.action)}</td><td>${names.get(e.ref) ?? e.ref}<br><span class="muted">${details(e.detail, zone, names)}</span></td></tr>`;
}

export const auditPage: DashboardPage = {
  name: 'audit',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key/audit', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const sinceText = field(request.query, 'since')?.trim() || undefined;
      const after = field(request.query, 'after');
      if (after !== undefined && !/^\d{1,18}$/.test(after)) throw new DashboardError(400, 'No such page', [`"${after}" is not a position in the audit trail.`]);
      let since: Date | undefined;
      try {
        since = sinceText === undefined ? undefined : parseSince(sinceText, project.timezone);
      } catch (e) {
        if (!(e instanceof HeraldError)) throw e;
        throw new DashboardError(400, 'Not a date', [e.message, 'Pick a date, or leave it empty for the whole trail.']);
      }
      const rows = await listAudit(deps.db, { project: project.key, since, afterSeq: after, limit: PAGE + 1 });
      const list = rows.slice(0, PAGE);
      const people = await deps.inboxReads.peopleUpTo(project.id, PEOPLE_NAMED);
      // People by name and comms by title, wherever an entry names one by its key.
      const plan = await planOf(deps, project);
      const names = new Map([...people.map((p) => [p.key, p.name] as const), ...plan.comms.map((c) => [c.key, commTitle(c, c.key)] as const)]);
      const next = rows.length > PAGE ? query({ since: sinceText, after: list.at(-1)!.seq }) : undefined;
      const table = list.length
        ? concat(
            html`<div class="scroll" tabindex="0" role="region" aria-label="Audit trail"><table><caption class="sr-only">Audit trail`,
            html`, oldest first</caption>
<thead><tr><th scope="col">When (${project.timezone})</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">About</th></tr></thead>
<tbody>`,
            list.map((e) => row(e, project.timezone, names)),
            html`</tbody></table></div>`,
            next ? html`<p><a href="${next}">Next ${PAGE} entries</a></p>` : '',
          )
        : html`<p>Nothing recorded${sinceText ? html` since ${sinceText}` : ''} yet.</p>`;
      const body = concat(
        html`<h1>Audit</h1>
<div class="card"><p class="muted">Every change to what people receive or what Herald records: plan applies and rollbacks,`,
        html` milestone moves, retries and manual sends, escalations acted on, tokens, opt-outs. Times are in ${project.timezone}.</p>
<form method="get" class="filters"><label for="since">From</label><input type="date" id="since" name="since" value="${sinceText ?? ''}">`,
        html`<button type="submit" class="secondary">Show</button></form>${table}</div>`,
      );
      return sendPage(reply, request, { title: 'Audit', project, active: 'audit', body });
    });
  },
};
