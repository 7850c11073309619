/**
 * `/projects/:key/calendar`: the planned messages on a week or month grid in the viewer's zone,
 * filtered by audience, person, comm and channel, with the ICS feed addresses; and
 * `/projects/:key/calendar/messages/:message`: one entry rendered as its person will get it.
 * The grid is seven columns from 52rem; narrower it is an agenda (a month hides its empty days).
 */
import type { FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { calendarGrid, type GridDay, type GridEntry } from '../../../app/calendar-grid.ts';
import { previewMessage } from '../../../app/preview-message.ts';
import { isValidZone } from '../../../domain/plan/calendar-values.ts';
import type { Plan } from '../../../domain/plan/model.ts';
import { channelsOf } from '../../../templates/engine.ts';
import { DashboardError, type DashboardDeps } from '../context.ts';
import { html, query, type Html } from '../html.ts';
import { field, projectOf, sendPage, type DashboardProject } from '../kit.ts';
import { cspForEmails, messageViews } from '../message-view.ts';
import { projectPath } from '../nav.ts';
import { oneOf, planOf, select } from '../project-plan.ts';
import type { DashboardPage } from './index.ts';

/** Entries a month cell shows before "+N more" (which opens that week). */
const MONTH_CELL = 4;
/**
 * Entries a week day shows: a big project has thousands a day (one per person and channel), which
 * no one reads on a page; past this the day says how many more and to filter.
 */
const WEEK_CELL = 40;

interface CalendarFilters {
  view: 'week' | 'month';
  date: DateTime;
  zone: string;
  audience?: string | undefined;
  person?: string | undefined;
  comm?: string | undefined;
  channel?: string | undefined;
}

function zonesOf(plan: Plan): string[] {
  return [...new Set([plan.project.timezone, ...plan.people.map((p) => p.timezone)])].sort();
}

function filtersOf(request: FastifyRequest, plan: Plan, now: Date): CalendarFilters {
  const q = request.query;
  const view = field(q, 'view') || 'week';
  if (view !== 'week' && view !== 'month') throw new DashboardError(400, 'No such view', [`view=${view} is not a calendar view.`, 'Use view=week or view=month.']);
  const zone = field(q, 'zone') || plan.project.timezone;
  if (!isValidZone(zone)) throw new DashboardError(400, 'No such time zone', [`zone=${zone} is not an IANA time zone.`, 'Use one like Europe/London or America/Chicago.']);
  const day = field(q, 'date');
  const date = day ? DateTime.fromISO(day, { zone }) : DateTime.fromJSDate(now, { zone });
  if (!date.isValid || (day && !/^\d{4}-\d{2}-\d{2}$/.test(day))) throw new DashboardError(400, 'Not a date', [`date=${day} is not a date.`, 'Use YYYY-MM-DD, e.g. date=2030-02-11.']);
  return {
    view,
    date: date.startOf('day'),
    zone,
    audience: oneOf('audience', field(q, 'audience'), plan.audiences.map((a) => a.key)),
    person: oneOf('person', field(q, 'person'), plan.people.map((p) => p.id)),
    comm: oneOf('comm', field(q, 'comm'), plan.comms.map((c) => c.key)),
    channel: oneOf('channel', field(q, 'channel'), ['email', 'slack']),
  };
}

/** The filters as a query string, with some replaced (e.g. another date). */
function link(project: DashboardProject, f: CalendarFilters, change: Partial<CalendarFilters> = {}): string {
  const g = { ...f, ...change };
  return `${projectPath(project.key, 'calendar')}${query({ view: g.view, date: g.date.toISODate(), zone: g.zone, audience: g.audience, person: g.person, comm: g.comm, channel: g.channel })}`;
}

function messageHref(project: DashboardProject, e: GridEntry, zone: string): string {
  return `${projectPath(project.key, 'calendar')}/messages/${encodeURIComponent(e.key)}${query({ zone })}`;
}

function entryItem(project: DashboardProject, e: GridEntry, zone: string): Html {
  const at = DateTime.fromISO(e.at, { zone });
  const kind = e.kind ? ` (${e.kind})` : '';
  return html`<li><a href="${messageHref(project, e, zone)}">${at.toFormat('HH:mm')} ${e.comm}${e.seriesItem ? ` [${e.seriesItem}]` : ''}${kind}</a> <span class="muted">${e.person} · ${e.channel}${e.status === 'planned' ? '' : ` · ${e.status}`}</span></li>`;
}

function grid(project: DashboardProject, f: CalendarFilters, byDay: ReadonlyMap<string, GridDay>, start: DateTime, end: DateTime, today: string): Html {
  const days: Html[] = [];
  for (let d = start; d < end; d = d.plus({ days: 1 })) {
    const iso = d.toISODate()!;
    const list = byDay.get(iso) ?? { total: 0, entries: [] };
    const shown = list.entries.slice(0, f.view === 'month' ? MONTH_CELL : WEEK_CELL);
    const more = list.total - shown.length;
    const moreLink =
      more <= 0 ? '' : f.view === 'month' ? html`<p><a href="${link(project, f, { view: 'week', date: d })}">+${more} more</a></p>` : html`<p class="muted">+${more} more: filter by person, comm or channel to see them.</p>`;
    const cls = ['cal-day', list.total ? '' : 'empty', iso === today ? 'today' : '', f.view === 'month' && d.month !== f.date.month ? 'other' : ''].filter(Boolean).join(' ');
    days.push(html`<li class="${cls}"><h3>${d.toFormat('ccc d LLL')}${iso === today ? html` <span class="sr-only">(today)</span>` : ''}</h3>${
      shown.length ? html`<ul>${shown.map((e) => entryItem(project, e, f.zone))}</ul>` : f.view === 'week' ? html`<p class="muted">Nothing planned</p>` : ''
    }${moreLink}</li>`);
  }
  return html`<ol class="cal cal-${f.view}" aria-label="${f.view === 'week' ? 'Week' : 'Month'} of ${f.date.toFormat(f.view === 'week' ? "'week of' d LLLL yyyy" : 'LLLL yyyy')}">${days}</ol>`;
}

function filterForm(project: DashboardProject, plan: Plan, f: CalendarFilters): Html {
  const people = plan.people.filter((p) => !f.audience || p.audiences.includes(f.audience) || p.id === f.person).map((p) => ({ value: p.id, label: `${p.name} (${p.id})` }));
  return html`<form class="filters card" method="get" action="${projectPath(project.key, 'calendar')}" aria-label="Filters">
<input type="hidden" name="date" value="${f.date.toISODate()}">
${select('view', 'View', [{ value: 'week', label: 'Week' }, { value: 'month', label: 'Month' }], f.view, null)}
${select('zone', 'Time zone', zonesOf(plan), f.zone, null)}
${select('audience', 'Audience', plan.audiences.map((a) => a.key), f.audience)}
${select('person', 'Person', people, f.person)}
${select('comm', 'Comm', plan.comms.map((c) => c.key), f.comm)}
${select('channel', 'Channel', ['email', 'slack'], f.channel)}
<div><button type="submit">Show</button></div>
</form>`;
}

function feeds(request: FastifyRequest, deps: DashboardDeps, project: DashboardProject, person: string | undefined): Html {
  const base = (deps.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
  const k = encodeURIComponent(project.key);
  const row = (label: string, path: string, create: string) =>
    html`<li><strong>${label}</strong>: <code>${base}${path}?token=FEED_TOKEN</code><br><span class="muted">FEED_TOKEN from <code>${create}</code></span></li>`;
  return html`<section class="card" aria-labelledby="feeds"><h2 id="feeds">Subscribe in a calendar app</h2><ul class="plain">
${row('The project', `/calendar/${k}.ics`, `herald token create --role feed --project ${project.key}`)}
${person ? row(`${person}'s messages`, `/calendar/${k}/${encodeURIComponent(person)}.ics`, `herald token create --role feed --project ${project.key} --person ${person}`) : ''}
</ul></section>`;
}

async function calendarBody(request: FastifyRequest<{ Params: { key: string } }>, deps: DashboardDeps): Promise<{ project: DashboardProject; body: Html }> {
  const project = await projectOf(request, deps, request.params.key);
  const plan = await planOf(deps, project);
  const now = deps.clock.now();
  const f = filtersOf(request, plan, now);
  const start = f.view === 'week' ? f.date.startOf('week') : f.date.startOf('month').startOf('week');
  const end = f.view === 'week' ? start.plus({ weeks: 1 }) : f.date.endOf('month').endOf('week').plus({ days: 1 }).startOf('day');
  const byDay = await calendarGrid(deps.db.sql, {
    projectId: project.id,
    from: start.toJSDate(),
    to: end.toJSDate(),
    zone: f.zone,
    perDay: f.view === 'month' ? MONTH_CELL : WEEK_CELL,
    person: f.person,
    comm: f.comm,
    channel: f.channel,
    audience: f.audience,
  });
  const total = [...byDay.values()].reduce((n, d) => n + d.total, 0);
  const step = f.view === 'week' ? { weeks: 1 } : { months: 1 };
  const title = f.view === 'week' ? `Week of ${start.toFormat('d LLLL yyyy')}` : f.date.toFormat('LLLL yyyy');
  const today = DateTime.fromJSDate(now, { zone: f.zone }).startOf('day');
  const body = html`<h1>Calendar</h1>
${filterForm(project, plan, f)}
<nav class="pager" aria-label="Calendar pages">
<a href="${link(project, f, { date: f.date.minus(step) })}">← Previous ${f.view}</a>
<a href="${link(project, f, { date: today })}">Today</a>
<a href="${link(project, f, { date: f.date.plus(step) })}">Next ${f.view} →</a>
<a href="${link(project, f, { view: f.view === 'week' ? 'month' : 'week' })}">${f.view === 'week' ? 'Month view' : 'Week view'}</a>
</nav>
<h2>${title} <span class="muted">(${f.zone}) · ${total} ${total === 1 ? 'message' : 'messages'}</span></h2>
${grid(project, f, byDay, start, end, today.toISODate()!)}
${feeds(request, deps, project, f.person)}`;
  return { project, body };
}

async function messageBody(request: FastifyRequest<{ Params: { key: string; message: string } }>, deps: DashboardDeps): Promise<{ project: DashboardProject; body: Html; csp: string }> {
  const project = await projectOf(request, deps, request.params.key);
  const plan = await planOf(deps, project);
  const zoneAsked = field(request.query, 'zone');
  const zone = zoneAsked && isValidZone(zoneAsked) ? zoneAsked : plan.project.timezone;
  const m = await deps.db.prisma.message.findUnique({
    where: { projectId_key: { projectId: project.id, key: request.params.message } },
    select: { key: true, kind: true, occurrence: true, channel: true, seriesItem: true, dueAt: true, status: true, comm: { select: { key: true } }, person: { select: { key: true, timezone: true } } },
  });
  if (!m) throw new DashboardError(404, 'No such message', [`Project ${project.key} has no message "${request.params.message}".`, 'Open one from the calendar.']);
  const comm = plan.comms.find((c) => c.key === m.comm.key);
  const person = plan.people.find((p) => p.id === m.person.key);
  const back = `${projectPath(project.key, 'calendar')}${query({ date: DateTime.fromJSDate(m.dueAt, { zone }).toISODate(), zone, person: m.person.key })}`;
  const due = (z: string) => DateTime.fromJSDate(m.dueAt, { zone: z }).toFormat("cccc d LLLL yyyy 'at' HH:mm");
  const head = html`<h1>${m.comm.key} #${m.occurrence} for ${person?.name ?? m.person.key}</h1>
<div class="card"><p>${m.channel}${m.kind === 'comm' ? '' : ` · ${m.kind}`}${m.seriesItem ? ` · ${m.seriesItem}` : ''} · <span class="status status-${m.status}">${m.status}</span></p>
<p>Due ${due(zone)} (${zone})${m.person.timezone === zone ? '' : html`, ${due(m.person.timezone)} for them (${m.person.timezone})`}</p>
<p><a href="${back}">Back to the calendar</a></p></div>`;
  let view: Html;
  let csp: string | undefined;
  if (m.kind === 'escalation' || m.kind === 'escalation-update') view = html`<p class="note">Escalation notices are written when they are sent, from the answer that raised them: see Escalations.</p>`;
  else if (!comm || !person) view = html`<p class="note">This message's ${comm ? 'person' : 'comm'} is no longer in the plan, so it cannot be drawn.</p>`;
  else if (!deps.templates) view = html`<p class="note">This server has no template engine, so it cannot draw messages (start it with herald serve).</p>`;
  else {
    const rendered = await previewMessage(deps.db.prisma, deps.templates, {
      projectId: project.id,
      plan,
      comm,
      person,
      occurrence: { index: m.occurrence, dueAt: m.dueAt, ...(m.seriesItem ? { seriesItem: m.seriesItem } : {}) },
      channels: channelsOf(comm),
      kind: m.kind,
      now: deps.clock.now(),
      publicUrl: deps.publicUrl ?? 'http://localhost',
    });
    view = html`<p class="muted">Drawn now with placeholder links; the ${m.channel} version is the one this row sends.</p>${messageViews(rendered, `${person.name} (${person.id})`)}`;
    csp = cspForEmails([rendered.email]);
  }
  return { project, body: html`${head}${view}`, csp: csp ?? cspForEmails([]) };
}

export const calendarPage: DashboardPage = {
  name: 'calendar',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key/calendar', async (request, reply) => {
      const { project, body } = await calendarBody(request, deps);
      return sendPage(reply, request, { title: 'Calendar', project, active: 'calendar', body });
    });
    app.get<{ Params: { key: string; message: string } }>('/projects/:key/calendar/messages/:message', async (request, reply) => {
      const { project, body, csp } = await messageBody(request, deps);
      return sendPage(reply, request, { title: 'Message', project, active: 'calendar', body, csp });
    });
  },
};
