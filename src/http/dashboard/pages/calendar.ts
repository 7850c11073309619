/**
 * `/projects/:key/calendar`: the planned messages on a week or month grid in the viewer's zone,
 * filtered by audience, person, comm and channel, with the ICS feed addresses; and
 * `/projects/:key/calendar/messages/:message`: one entry rendered as its person will get it.
 * The grid is seven columns from 52rem; narrower it is an agenda (a month hides its empty days).
 */
import type { FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { calendarGrid } from '../../../app/calendar-grid.ts';
import type { GridDay, GridEntry, OccurrenceGroup } from '../../../app/ports.ts';
import {
  calendarOccurrences,
  occurrenceAudiences,
  occurrenceCopies,
  occurrenceReach,
  occurrenceStatuses,
  occurrenceTime,
  occurrenceTitle,
} from '../../../app/calendar-occurrences.ts';
import { previewMessage } from '../../../app/preview-message.ts';
import { isValidZone } from '../../../domain/plan/calendar-values.ts';
import { channelName, commOccurrenceTitle, commTitle, readableKey } from '../../../domain/plan/comm-title.ts';
import type { Plan } from '../../../domain/plan/model.ts';
import { channelsOf } from '../../../templates/engine.ts';
import { DashboardError, type DashboardDeps } from '../context.ts';
import { html, query, type Html, concat } from '../html.ts';
import { field, projectOf, sendPage, type DashboardProject } from '../kit.ts';
import { cspForEmails, messageViews } from '../message-view.ts';
import { projectPath } from '../nav.ts';
import { oneOf, personLabel, planOf, select } from '../project-plan.ts';
import type { DashboardPage } from './page.ts';

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
  if (view !== 'week' && view !== 'month')
    throw new DashboardError(400, 'No such view', [`view=${view} is not a calendar view.`, 'Use view=week or view=month.']);
  const zone = field(q, 'zone') || plan.project.timezone;
  if (!isValidZone(zone))
    throw new DashboardError(400, 'No such time zone', [`zone=${zone} is not an IANA time zone.`, 'Use one like Europe/London or America/Chicago.']);
  const day = field(q, 'date');
  const date = day ? DateTime.fromISO(day, { zone }) : DateTime.fromJSDate(now, { zone });
  if (!date.isValid || (day && !/^\d{4}-\d{2}-\d{2}$/.test(day)))
    throw new DashboardError(400, 'Not a date', [`date=${day} is not a date.`, 'Use YYYY-MM-DD, e.g. date=2030-02-11.']);
  return {
    view,
    date: date.startOf('day'),
    zone,
    audience: oneOf(
      'audience',
      field(q, 'audience'),
      plan.audiences.map((a) => a.key),
    ),
    person: oneOf(
      'person',
      field(q, 'person'),
      plan.people.map((p) => ({ value: p.id, label: personLabel(plan, p) })),
    ),
    comm: oneOf(
      'comm',
      field(q, 'comm'),
      plan.comms.map((c) => ({ value: c.key, label: commTitle(c, c.key) })),
    ),
    channel: oneOf(
      'channel',
      field(q, 'channel'),
      ['email', 'slack'].map((c) => ({ value: c, label: channelName(c) })),
    ),
  };
}

/** The filters as a query string, with some replaced (e.g. another date). */
function link(project: DashboardProject, f: CalendarFilters, change: Partial<CalendarFilters> = {}): string {
  const g = { ...f, ...change };
  return (
    `${projectPath(project.key, 'calendar')}` +
    `${query({ view: g.view, date: g.date.toISODate(), zone: g.zone, audience: g.audience, person: g.person, comm: g.comm, channel: g.channel })}`
  );
}

function messageHref(project: DashboardProject, e: GridEntry, zone: string): string {
  return `${projectPath(project.key, 'calendar')}/messages/${encodeURIComponent(e.key)}${query({ zone })}`;
}

function entryItem(project: DashboardProject, plan: Plan, e: GridEntry, zone: string): Html {
  const at = DateTime.fromISO(e.at, { zone });
  const kind = e.kind ? ` (${e.kind})` : '';
  const person = plan.people.find((p) => p.id === e.person);
  return concat(
    html`<li><a href="${messageHref(project, e, zone)}">${at.toFormat('HH:mm ZZZZ')} ${commOccurrenceTitle(plan, e.comm, e.occurrence)}`,
    html`${e.seriesItem ? ` [${readableKey(e.seriesItem)}]` : ''}${kind}</a> <span class="muted">${person ? personLabel(plan, person) : e.person} · ${channelName(e.channel)}`,
    html`${e.status === 'planned' ? '' : ` · ${e.status}`}</span></li>`,
  );
}

/** Cells per day: the comm occurrences (the PM's view) or, filtered by person, that person's copies. */
type Cells = { total: number; items: Html[] };

function copyCells(project: DashboardProject, plan: Plan, f: CalendarFilters, byDay: ReadonlyMap<string, GridDay>): Map<string, Cells> {
  return new Map([...byDay].map(([day, d]) => [day, { total: d.total, items: d.entries.map((e) => entryItem(project, plan, e, f.zone)) }]));
}

function occurrenceHref(project: DashboardProject, g: OccurrenceGroup, zone: string): string {
  return `${projectPath(project.key, 'calendar')}/occurrences/${encodeURIComponent(g.comm)}/${g.occurrence}${query({ kind: g.kind, zone })}`;
}

/** One comm occurrence: when, what and to whom; opened, its audiences, statuses and the link to its copies. */
function occurrenceItem(project: DashboardProject, plan: Plan, g: OccurrenceGroup, zone: string): Html {
  const status = occurrenceStatuses(g);
  const aud = occurrenceAudiences(g);
  return concat(
    html`<li class="occ"><details><summary><span class="occ-time">${occurrenceTime(g, zone)}</span> <strong>`,
    html`${occurrenceTitle(g, plan)}</strong><br><span class="muted">→ ${occurrenceReach(g)}</span></summary>
`,
    aud ? html`<p class="muted">Audiences: ${aud}</p>` : '',
    status ? html`<p class="muted">Copies: ${status}</p>` : '',
    html`
<p><a href="${occurrenceHref(project, g, zone)}">Recipients and each copy</a></p></details></li>`,
  );
}

function occurrenceCells(project: DashboardProject, plan: Plan, f: CalendarFilters, groups: readonly OccurrenceGroup[]): Map<string, Cells> {
  const days = new Map<string, Cells>();
  for (const g of groups) {
    const day = DateTime.fromISO(g.first, { zone: f.zone }).toISODate()!;
    let d = days.get(day);
    if (!d) days.set(day, (d = { total: 0, items: [] }));
    d.total++;
    d.items.push(occurrenceItem(project, plan, g, f.zone));
  }
  return days;
}

function grid(
  project: DashboardProject,
  f: CalendarFilters,
  byDay: ReadonlyMap<string, Cells>,
  start: DateTime,
  end: DateTime,
  today: string,
  unit: [string, string],
): Html {
  const days: Html[] = [];
  for (let d = start; d < end; d = d.plus({ days: 1 })) {
    const iso = d.toISODate()!;
    const list = byDay.get(iso) ?? { total: 0, items: [] };
    const shown = list.items.slice(0, f.view === 'month' ? MONTH_CELL : WEEK_CELL);
    const more = list.total - shown.length;
    const moreLink =
      more <= 0
        ? ''
        : f.view === 'month'
          ? html`<p><a href="${link(project, f, { view: 'week', date: d })}">+${more} more</a></p>`
          : html`<p class="muted">+${more} more: filter by person, comm or channel to see them.</p>`;
    const cls = ['cal-day', list.total ? '' : 'empty', iso === today ? 'today' : '', f.view === 'month' && d.month !== f.date.month ? 'other' : '']
      .filter(Boolean)
      .join(' ');
    days.push(
      html`<li class="${cls}"><h3>${d.toFormat('ccc d LLL')}${iso === today ? html` <span class="sr-only">(today)</span>` : ''}</h3>${
        shown.length
          ? html`<ul aria-label="${list.total} ${list.total === 1 ? unit[0] : unit[1]}">${shown}</ul>`
          : f.view === 'week'
            ? html`<p class="muted">Nothing planned</p>`
            : ''
      }${moreLink}</li>`,
    );
  }
  return concat(
    html`<ol class="cal cal-${f.view}" aria-label="${f.view === 'week' ? 'Week' : 'Month'} of `,
    f.date.toFormat(f.view === 'week' ? "'week of' d LLLL yyyy" : 'LLLL yyyy'),
    html`">${days}</ol>`,
  );
}

function filterForm(project: DashboardProject, plan: Plan, f: CalendarFilters): Html {
  const people = plan.people
    .filter((p) => !f.audience || p.audiences.includes(f.audience) || p.id === f.person)
    .map((p) => ({ value: p.id, label: personLabel(plan, p) }));
  return html`<form class="filters card" method="get" action="${projectPath(project.key, 'calendar')}" aria-label="Filters">
<input type="hidden" name="date" value="${f.date.toISODate()}">
${select(
  'view',
  'View',
  [
    { value: 'week', label: 'Week' },
    { value: 'month', label: 'Month' },
  ],
  f.view,
  null,
)}
${select('zone', 'Time zone', zonesOf(plan), f.zone, null)}
${select(
  'audience',
  'Audience',
  plan.audiences.map((a) => a.key),
  f.audience,
)}
${select('person', 'Person', people, f.person)}
${select(
  'comm',
  'Comm',
  plan.comms.map((c) => ({ value: c.key, label: commTitle(c, c.key) })),
  f.comm,
)}
${select(
  'channel',
  'Channel',
  ['email', 'slack'].map((c) => ({ value: c, label: channelName(c) })),
  f.channel,
)}
<div><button type="submit">Show</button></div>
</form>`;
}

function feeds(request: FastifyRequest, deps: DashboardDeps, project: DashboardProject, person: string | undefined, personName?: string): Html {
  const base = (deps.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');
  const k = encodeURIComponent(project.key);
  const row = (label: string, path: string, create: string) =>
    html`<li><strong>${label}</strong>: <code>${base}${path}?token=FEED_TOKEN</code><br><span class="muted">FEED_TOKEN from <code>${create}</code></span></li>`;
  return concat(
    html`<section class="card" aria-labelledby="feeds"><h2 id="feeds">Subscribe in a calendar app</h2><ul`,
    html` class="plain">
`,
    row('The project', `/calendar/${k}.ics`, `herald token create --role feed --project ${project.key}`),
    html`
`,
    person
      ? row(
          `${personName ?? person}'s messages`,
          `/calendar/${k}/${encodeURIComponent(person)}.ics`,
          `herald token create --role feed --project ${project.key} --person ${person}`,
        )
      : '',
    html`
</ul></section>`,
  );
}

async function calendarBody(request: FastifyRequest<{ Params: { key: string } }>, deps: DashboardDeps): Promise<{ project: DashboardProject; body: Html }> {
  const project = await projectOf(request, deps, request.params.key);
  const plan = await planOf(deps, project);
  const now = deps.clock.now();
  const f = filtersOf(request, plan, now);
  const start = f.view === 'week' ? f.date.startOf('week') : f.date.startOf('month').startOf('week');
  const end = f.view === 'week' ? start.plus({ weeks: 1 }) : f.date.endOf('month').endOf('week').plus({ days: 1 }).startOf('day');
  const range = { projectId: project.id, from: start.toJSDate(), to: end.toJSDate(), comm: f.comm, channel: f.channel, audience: f.audience };
  // A PM plans in comm occurrences; one person's calendar is their own copies, as they get them.
  let cells: Map<string, Cells>;
  let summary: string;
  let unit: [string, string];
  if (f.person) {
    const byDay = await calendarGrid(deps.db, { ...range, zone: f.zone, perDay: f.view === 'month' ? MONTH_CELL : WEEK_CELL, person: f.person });
    cells = copyCells(project, plan, f, byDay);
    const total = [...byDay.values()].reduce((n, d) => n + d.total, 0);
    summary = `${total} ${total === 1 ? 'message' : 'messages'}`;
    unit = ['message', 'messages'];
  } else {
    const groups = await calendarOccurrences(deps.db, range);
    cells = occurrenceCells(project, plan, f, groups);
    const copies = groups.reduce((n, g) => n + g.copies, 0);
    summary = `${groups.length} comm ${groups.length === 1 ? 'occurrence' : 'occurrences'}, ${copies} ${copies === 1 ? 'message' : 'messages'}`;
    unit = ['comm occurrence', 'comm occurrences'];
  }
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
<h2>${title} <span class="muted">(${f.zone}, ${start.toFormat('ZZZZ')}) · ${summary}</span></h2>
${grid(project, f, cells, start, end, today.toISODate()!, unit)}
${feeds(request, deps, project, f.person, plan.people.find((p) => p.id === f.person)?.name)}`;
  return { project, body };
}

async function messageBody(
  request: FastifyRequest<{ Params: { key: string; message: string } }>,
  deps: DashboardDeps,
): Promise<{ project: DashboardProject; body: Html; csp: string }> {
  const project = await projectOf(request, deps, request.params.key);
  const plan = await planOf(deps, project);
  const zoneAsked = field(request.query, 'zone');
  const zone = zoneAsked && isValidZone(zoneAsked) ? zoneAsked : plan.project.timezone;
  const m = await deps.reads.messageByKey(project.id, request.params.message);
  if (!m)
    throw new DashboardError(404, 'No such message', [`Project ${project.key} has no message "${request.params.message}".`, 'Open one from the calendar.']);
  const comm = plan.comms.find((c) => c.key === m.comm.key);
  const person = plan.people.find((p) => p.id === m.person.key);
  const back = `${projectPath(project.key, 'calendar')}${query({ date: DateTime.fromJSDate(m.dueAt, { zone }).toISODate(), zone, person: m.person.key })}`;
  const due = (z: string) => DateTime.fromJSDate(m.dueAt, { zone: z }).toFormat("cccc d LLLL yyyy 'at' HH:mm");
  const head = concat(
    html`<h1>${commOccurrenceTitle(plan, m.comm.key, m.occurrence)} for ${person?.name ?? m.person.key}</h1>
<div class="card"><p>${channelName(m.channel)}${m.kind === 'comm' ? '' : ` · ${m.kind}`}${m.seriesItem ? ` · ${readableKey(m.seriesItem)}` : ''} ·`,
    html` <span class="status status-${m.status}">${m.status}</span></p>
<p>Due ${due(zone)} (${zone})`,
    m.person.timezone === zone ? '' : html`, ${due(m.person.timezone)} for them (${m.person.timezone})`,
    html`</p>
<p><a href="${back}">Back to the calendar</a></p></div>`,
  );
  let view: Html;
  let csp: string | undefined;
  if (m.kind === 'escalation' || m.kind === 'escalation-update')
    view = html`<p class="note">Escalation notices are written when they are sent, from the answer that raised them: see Escalations.</p>`;
  else if (!comm || !person) view = html`<p class="note">This message's ${comm ? 'person' : 'comm'} is no longer in the plan, so it cannot be drawn.</p>`;
  else if (!deps.templates) view = html`<p class="note">This server has no template engine, so it cannot draw messages (start it with herald serve).</p>`;
  else {
    const rendered = await previewMessage(deps.db, deps.templates, {
      projectId: project.id,
      plan,
      comm,
      person,
      occurrence: { index: m.occurrence, dueAt: m.dueAt, seriesItem: m.seriesItem ?? undefined },
      channels: channelsOf(comm),
      kind: m.kind,
      now: deps.clock.now(),
      publicUrl: deps.publicUrl ?? 'http://localhost',
    });
    view = concat(
      html`<p class="muted">Drawn now with placeholder links; the ${m.channel} version is the one this row sends.`,
      html`</p>`,
      messageViews(rendered, personLabel(plan, person)),
    );
    csp = cspForEmails([rendered.email]);
  }
  return { project, body: html`${head}${view}`, csp: csp ?? cspForEmails([]) };
}

/** Copies an occurrence page lists; a 10,000-person comm has 10,000, which are filtered, not scrolled. */
const COPIES_SHOWN = 500;

async function occurrenceBody(
  request: FastifyRequest<{ Params: { key: string; comm: string; occurrence: string } }>,
  deps: DashboardDeps,
): Promise<{ project: DashboardProject; body: Html }> {
  const project = await projectOf(request, deps, request.params.key);
  const plan = await planOf(deps, project);
  const zoneAsked = field(request.query, 'zone');
  const zone = zoneAsked && isValidZone(zoneAsked) ? zoneAsked : plan.project.timezone;
  const kind = field(request.query, 'kind') || 'comm';
  const index = Number(request.params.occurrence);
  const missing = () =>
    new DashboardError(404, 'No such comm occurrence', [
      `Project ${project.key} has no ${kind === 'comm' ? '' : `${kind} of `}${request.params.comm} occurrence ${request.params.occurrence}.`,
      'Open one from the calendar.',
    ]);
  if (!/^\d{1,9}$/.test(request.params.occurrence)) throw missing();
  const { copies, total } = await occurrenceCopies(deps.db, { projectId: project.id, comm: request.params.comm, occurrence: index, kind, limit: COPIES_SHOWN });
  if (!copies.length) throw missing();
  const [g] = await calendarOccurrences(deps.db, { projectId: project.id, comm: request.params.comm, occurrence: index, kind, includeCancelled: true });
  const first = DateTime.fromISO(copies[0]!.at, { zone });
  const back = `${projectPath(project.key, 'calendar')}${query({ date: first.toISODate(), zone })}`;
  const rows = copies.map((c) => {
    const local = DateTime.fromISO(c.at, { zone: c.timezone });
    const href = `${projectPath(project.key, 'calendar')}/messages/${encodeURIComponent(c.key)}${query({ zone })}`;
    return concat(
      html`<tr><td><a href="${href}">${c.name}</a></td><td>${local.toFormat('ccc d LLL HH:mm ZZZZ')}</td><td>`,
      html`${c.channel === 'email' ? 'E-mail' : 'Slack'}</td><td><span class="status status-${c.status}">${c.status}`,
      html`</span></td></tr>`,
    );
  });
  const body = concat(
    html`<h1>`,
    g ? occurrenceTitle(g, plan) : request.params.comm,
    html`</h1>
<div class="card"><p>${first.toFormat('cccc d LLLL yyyy')}, `,
    g ? occurrenceTime(g, zone) : first.toFormat('HH:mm ZZZZ'),
    html`${g ? html` → ${occurrenceReach(g)}` : ''}</p>
`,
    g && occurrenceAudiences(g) ? html`<p class="muted">Audiences: ${occurrenceAudiences(g)}</p>` : '',
    html`
<p><a href="${back}">Back to the calendar</a></p></div>
<h2>Recipients <span class="muted">(`,
    total > copies.length ? `first ${copies.length} of ${total}` : `${total}`,
    html` copies; open one to see it as its person gets it)</span></h2>
<div class="scroll" role="region" aria-label="Recipients" tabindex="0"><table><thead><tr><th scope="col">Person</th><th`,
    html` scope="col">Their time</th><th scope="col">Channel</th><th scope="col">Status</th></tr></thead><tbody>${rows}`,
    html`</tbody></table></div>`,
  );
  return { project, body };
}

export const calendarPage: DashboardPage = {
  name: 'calendar',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key/calendar', async (request, reply) => {
      const { project, body } = await calendarBody(request, deps);
      return sendPage(reply, request, { title: 'Calendar', project, active: 'calendar', body });
    });
    app.get<{ Params: { key: string; comm: string; occurrence: string } }>('/projects/:key/calendar/occurrences/:comm/:occurrence', async (request, reply) => {
      const { project, body } = await occurrenceBody(request, deps);
      return sendPage(reply, request, { title: 'Comm occurrence', project, active: 'calendar', body });
    });
    app.get<{ Params: { key: string; message: string } }>('/projects/:key/calendar/messages/:message', async (request, reply) => {
      const { project, body, csp } = await messageBody(request, deps);
      return sendPage(reply, request, { title: 'Message', project, active: 'calendar', body, csp });
    });
  },
};
