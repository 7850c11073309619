/**
 * `/projects/:key/messages`: the delivery log (listMessages) with every attempt, filtered by
 * status, comm, person and channel, 50 a page. An editor retries a failed message, or all of
 * them, with retryMessages: they go back in the calendar due now and the sweeper queues them.
 */
import type { FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { listMessages, retryMessages, type MessageLogEntry } from '../../../app/message-log.ts';
import { NotFoundError } from '../../../domain/errors.ts';
import type { Plan } from '../../../domain/plan/model.ts';
import { DashboardError, sessionOf } from '../context.ts';
import { html, query, type Html, concat } from '../html.ts';
import { canEdit, csrfField, field, projectOf, sendPage, type DashboardProject } from '../kit.ts';
import { projectPath } from '../nav.ts';
import { oneOf, personLabel, planOf, select } from '../project-plan.ts';
import { channelName, commOccurrenceTitle, commTitle } from '../../../domain/plan/comm-title.ts';
import type { DashboardPage } from './page.ts';
import { MESSAGE_STATUSES } from '../../../domain/message-status.ts';

const PAGE_SIZE = 50;
const STATUSES: readonly string[] = MESSAGE_STATUSES;
const FILTERS = ['status', 'comm', 'person', 'channel'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function filtersOf(source: unknown, plan: Plan): Filters {
  return {
    status: oneOf('status', field(source, 'status'), STATUSES),
    comm: oneOf(
      'comm',
      field(source, 'comm'),
      plan.comms.map((c) => ({ value: c.key, label: commTitle(c, c.key) })),
    ),
    person: oneOf(
      'person',
      field(source, 'person'),
      plan.people.map((p) => ({ value: p.id, label: personLabel(plan, p) })),
    ),
    channel: oneOf(
      'channel',
      field(source, 'channel'),
      ['email', 'slack'].map((c) => ({ value: c, label: channelName(c) })),
    ),
  };
}

/** The filters a retry form came from, read back from its `back` field (only the known ones). */
function backFilters(back: string | undefined, plan: Plan): Filters {
  const p = new URLSearchParams(back ?? '');
  const out: Filters = {};
  for (const k of FILTERS) {
    const v = p.get(k);
    if (v) out[k] = v;
  }
  return filtersOf(out, plan);
}

function when(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('ccc d LLL yyyy HH:mm ZZZZ');
}

function entry(request: FastifyRequest, project: DashboardProject, plan: Plan, m: MessageLogEntry, back: string): Html {
  const occurrence = Number(m.key.split('#')[1]?.split(':')[0] ?? 0);
  const person = plan.people.find((p) => p.id === m.person)?.name ?? m.person;
  const title = commOccurrenceTitle(plan, m.comm, occurrence);
  const retry =
    m.status === 'failed' && canEdit(request)
      ? concat(
          html`<form method="post" action="${projectPath(project.key, 'messages')}/retry">${csrfField(request)}<input`,
          html` type="hidden" name="id" value="${m.id}"><input type="hidden" name="back" value="${back}"><button`,
          html` type="submit" class="secondary" aria-label="Retry ${title} to ${person}">Retry</button></form>`,
        )
      : '';
  const attempts = m.deliveries.length
    ? concat(
        html`<ul>`,
        m.deliveries.map(
          (d) =>
            html`<li>${when(d.at, project.timezone)} · ${channelName(d.channel)} · ${d.outcome}${d.error ? html` · <span class="muted">${d.error}</span>` : ''}</li>`,
        ),
        html`</ul>`,
      )
    : '';
  // The calendar page draws any stored message as its person gets it.
  const view = `${projectPath(project.key, 'calendar')}/messages/${encodeURIComponent(m.key)}`;
  return concat(
    html`<li><p><a href="${view}"><strong>${title}</strong></a> → ${person}`,
    html` · ${channelName(m.channel)} · <span class="status status-${m.status}">${m.status}</span> ${retry}</p>
<p class="muted">Due ${when(m.dueAt, project.timezone)}`,
    m.sentAt ? ` · sent ${when(m.sentAt, project.timezone)}` : '',
    html` · ${m.attempts} ${m.attempts === 1 ? 'attempt' : 'attempts'}</p>
`,
    m.lastError ? html`<p class="error">${m.lastError}</p>` : '',
    html`${attempts}</li>`,
  );
}

function notice(request: FastifyRequest): Html {
  const n = field(request.query, 'retried');
  if (n === undefined || !/^\d+$/.test(n)) return html``;
  const text =
    n === '0'
      ? 'Nothing was retried: the message is no longer failed.'
      : `${n} failed ${n === '1' ? 'message is' : 'messages are'} back in the calendar, due now (planned); the sweeper` +
        ` queues ${n === '1' ? 'it' : 'them'} within a second.`;
  return html`<p class="note" role="status">${text}</p>`;
}

export const messagesPage: DashboardPage = {
  name: 'messages',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key/messages', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const plan = await planOf(deps, project);
      const f = filtersOf(request.query, plan);
      const pageNo = Math.max(1, Number.parseInt(field(request.query, 'page') ?? '1', 10) || 1);
      const rows = await listMessages(deps.db, { project: project.key, ...f, limit: PAGE_SIZE + 1, offset: (pageNo - 1) * PAGE_SIZE });
      const shown = rows.slice(0, PAGE_SIZE);
      const failed = canEdit(request) ? await deps.reads.failedMessages(project.id) : 0;
      const back = query(f).replace(/^\?/, '');
      const here = projectPath(project.key, 'messages');
      const pager = concat(
        html`<nav class="pager" aria-label="Pages">`,
        pageNo > 1 ? html`<a href="${here}${query({ ...f, page: pageNo - 1 })}">← Previous</a>` : '',
        html`<span>Page ${pageNo}</span>`,
        rows.length > PAGE_SIZE ? html`<a href="${here}${query({ ...f, page: pageNo + 1 })}">Next →</a>` : '',
        html`</nav>`,
      );
      const body = concat(
        html`<h1>Messages</h1>
${notice(request)}
<form class="filters card" method="get" action="${here}" aria-label="Filters">
${select('status', 'Status', STATUSES, f.status)}
`,
        select(
          'comm',
          'Comm',
          plan.comms.map((c) => ({ value: c.key, label: commTitle(c, c.key) })),
          f.comm,
        ),
        html`
`,
        select(
          'person',
          'Person',
          plan.people.map((p) => ({ value: p.id, label: personLabel(plan, p) })),
          f.person,
        ),
        html`
`,
        select(
          'channel',
          'Channel',
          ['email', 'slack'].map((c) => ({ value: c, label: channelName(c) })),
          f.channel,
        ),
        html`
<div><button type="submit">Show</button></div>
</form>
`,
        failed > 0
          ? concat(
              html`<form method="post" action="${here}/retry" class="card">${csrfField(request)}<input type="hidden"`,
              html` name="back" value="${back}"><p>${failed} failed ${failed === 1 ? 'message' : 'messages'} in this`,
              html` project.</p><button type="submit">Retry all failed</button></form>`,
            )
          : '',
        html`
<section class="card" aria-labelledby="log"><h2 id="log">Delivery log <span class="muted">(times in ${project.timezone})`,
        html`</span></h2>
`,
        shown.length ? html`<ol class="log">${shown.map((m) => entry(request, project, plan, m, back))}</ol>` : html`<p>No messages match these filters.</p>`,
        html`
${pager}</section>`,
      );
      return sendPage(reply, request, { title: 'Messages', project, active: 'messages', body });
    });

    app.post<{ Params: { key: string } }>('/projects/:key/messages/retry', async (request, reply) => {
      const project = await projectOf(request, deps, request.params.key);
      const plan = await planOf(deps, project);
      const id = field(request.body, 'id');
      if (id !== undefined && !UUID.test(id))
        throw new DashboardError(400, 'No such message', [`"${id}" is not a message id.`, 'Go back to Messages and use its Retry button.']);
      const f = backFilters(field(request.body, 'back'), plan);
      let retried = 0;
      try {
        retried = await retryMessages(deps.db, {
          project: project.key,
          messageIds: id ? [id] : undefined,
          now: deps.clock.now(),
          actor: sessionOf(request).token.name,
        });
      } catch (e) {
        // Someone retried it first (or it was sent meanwhile): say so on the page rather than fail.
        if (!(e instanceof NotFoundError)) throw e;
      }
      return reply.redirect(`${projectPath(project.key, 'messages')}${query({ ...f, retried })}`, 303);
    });
  },
};
