/**
 * `/projects/:key/preview`: a comm as one person will get it — pick the comm, an audience (its
 * first member stands in) or a person, an occurrence and a channel. Shows the email in a
 * sandboxed frame and the Slack message as Block Kit (../message-view.ts), as the CLI's
 * `herald preview` renders them, with placeholder links; a digest is computed from stored data.
 */
import type { FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { previewMessage } from '../../../app/preview-message.ts';
import { recipientsOf } from '../../../domain/audience.ts';
import { HeraldError } from '../../../domain/errors.ts';
import type { Channel, CommSpec, PersonSpec, Plan } from '../../../domain/plan/model.ts';
import { channelName, commOccurrenceTitle, commTitle, readableKey } from '../../../domain/plan/comm-title.ts';
import { channelsOf } from '../../../templates/engine.ts';
import type { DashboardDeps } from '../context.ts';
import { html, type Html, concat } from '../html.ts';
import { field, projectOf, sendPage, type DashboardProject } from '../kit.ts';
import { cspForEmails, messageViews } from '../message-view.ts';
import { projectPath } from '../nav.ts';
import { oneOf, personLabel, planOf, select } from '../project-plan.ts';
import type { DashboardPage } from './page.ts';

interface Choice {
  comm: CommSpec;
  audience?: string | undefined;
  person?: PersonSpec | undefined;
  channel?: Channel | undefined;
}

function choiceOf(request: FastifyRequest, plan: Plan): Choice {
  const q = request.query;
  const commKey = oneOf(
    'comm',
    field(q, 'comm'),
    plan.comms.map((c) => ({ value: c.key, label: commTitle(c, c.key) })),
  );
  const comm = plan.comms.find((c) => c.key === commKey) ?? plan.comms[0]!;
  const audience = oneOf('audience', field(q, 'audience'), comm.audiences);
  const personKey = oneOf(
    'person',
    field(q, 'person'),
    plan.people.map((p) => ({ value: p.id, label: personLabel(plan, p) })),
  );
  const recipients = recipientsOf(plan, comm);
  // As `herald preview --audience`: the first person of that audience the comm reaches stands in.
  const person = personKey ? plan.people.find((p) => p.id === personKey) : recipients.find((p) => !audience || p.audiences.includes(audience));
  return { comm, audience, person, channel: oneOf('channel', field(q, 'channel'), channelsOf(comm)) as Channel | undefined };
}

/** The person's stored occurrences of the comm (what will be sent), soonest first; the next one is the default. */
async function occurrencesOf(deps: DashboardDeps, project: DashboardProject, comm: CommSpec, person: PersonSpec) {
  return deps.reads.occurrencesOf(project.id, comm.key, person.id);
}

function form(
  project: DashboardProject,
  plan: Plan,
  c: Choice,
  occurrences: ReadonlyArray<{ occurrence: number; dueAt: Date; seriesItem: string | null }>,
  chosen: number | undefined,
): Html {
  const people = recipientsOf(plan, c.comm).filter((p) => !c.audience || p.audiences.includes(c.audience));
  if (c.person && !people.includes(c.person)) people.unshift(c.person);
  const occ = occurrences.map((o) => ({
    value: String(o.occurrence),
    label:
      `${commOccurrenceTitle(plan, c.comm.key, o.occurrence)} · ` +
      `${DateTime.fromJSDate(o.dueAt, { zone: c.person?.timezone ?? plan.project.timezone }).toFormat('ccc d LLL yyyy HH:mm ZZZZ')}` +
      `${o.seriesItem ? ` · ${readableKey(o.seriesItem)}` : ''}`,
  }));
  return html`<form class="filters card" method="get" action="${projectPath(project.key, 'preview')}" aria-label="What to preview">
${select(
  'comm',
  'Comm',
  plan.comms.map((x) => ({ value: x.key, label: commTitle(x, x.key) })),
  c.comm.key,
  null,
)}
${select('audience', 'Audience', c.comm.audiences, c.audience, 'Any of the comm’s')}
${select(
  'person',
  'Person',
  people.map((p) => ({ value: p.id, label: personLabel(plan, p) })),
  c.person?.id,
  'First in the audience',
)}
${occ.length ? select('occurrence', 'Occurrence', occ, chosen === undefined ? undefined : String(chosen), 'The next one') : ''}
${select(
  'channel',
  'Channel',
  channelsOf(c.comm).map((ch) => ({ value: ch, label: channelName(ch) })),
  c.channel,
  'All of the comm’s',
)}
<div><button type="submit">Preview</button></div>
</form>`;
}

async function previewBody(
  request: FastifyRequest<{ Params: { key: string } }>,
  deps: DashboardDeps,
): Promise<{ project: DashboardProject; body: Html; csp?: string }> {
  const project = await projectOf(request, deps, request.params.key);
  const plan = await planOf(deps, project);
  if (!plan.comms.length) return { project, body: html`<h1>Preview</h1><div class="card"><p>This plan has no comms to preview.</p></div>` };
  const c = choiceOf(request, plan);
  const now = deps.clock.now();
  const occurrences = c.person ? await occurrencesOf(deps, project, c.comm, c.person) : [];
  const asked = field(request.query, 'occurrence');
  const chosen = asked
    ? Number(
        oneOf(
          'occurrence',
          asked,
          occurrences.map((o) => String(o.occurrence)),
        ),
      )
    : undefined;
  const occ = chosen === undefined ? (occurrences.find((o) => o.dueAt >= now) ?? occurrences.at(-1)) : occurrences.find((o) => o.occurrence === chosen);
  const top = html`<h1>Preview</h1>${form(project, plan, c, occurrences, chosen)}`;
  if (!c.person)
    return {
      project,
      body: concat(
        html`${top}<p class="note">${commTitle(c.comm, c.comm.key)} reaches nobody${c.audience ? ` in ${c.audience}` : ''}: add people`,
        html` to ${c.comm.audiences.join(', ')} in the plan.</p>`,
      ),
    };
  if (!deps.templates)
    return { project, body: html`${top}<p class="note">This server has no template engine, so it cannot draw messages (start it with herald serve).</p>` };
  const person = c.person;
  const occurrence = occ
    ? { index: occ.occurrence, dueAt: occ.dueAt, seriesItem: occ.seriesItem ?? undefined }
    : { index: 0, dueAt: now, seriesItem: c.comm.series?.[0] };
  try {
    const rendered = await previewMessage(deps.db, deps.templates, {
      projectId: project.id,
      plan,
      comm: c.comm,
      person,
      occurrence,
      channels: c.channel ? [c.channel] : channelsOf(c.comm),
      now,
      publicUrl: deps.publicUrl ?? 'http://localhost',
    });
    const variant = c.comm.audiences.find((a) => person.audiences.includes(a));
    const when = occ
      ? DateTime.fromJSDate(occ.dueAt, { zone: person.timezone }).toFormat("cccc d LLLL yyyy 'at' HH:mm ZZZZ") + ` (${person.timezone})`
      : 'when triggered';
    const summary = concat(
      html`<p class="muted">${commOccurrenceTitle(plan, c.comm.key, occurrence.index)} for ${personLabel(plan, person)}, ${when};`,
      html` `,
      variant ? `the ${variant} variant` : `${person.name} is in none of ${c.comm.audiences.join(', ')}`,
      html`. Links are placeholders.</p>`,
    );
    return {
      project,
      body: html`${top}<h2>${person.name} gets</h2>${summary}${messageViews(rendered, personLabel(plan, person))}`,
      csp: cspForEmails([rendered.email]),
    };
  } catch (e) {
    // A template that does not render for this person is what a preview is for finding: say why.
    if (!(e instanceof HeraldError)) throw e;
    return {
      project,
      body: html`${top}<div class="card error" role="alert"><p>${commTitle(c.comm, c.comm.key)} does not render for ${personLabel(plan, person)}: ${e.message}</p></div>`,
    };
  }
}

export const previewPage: DashboardPage = {
  name: 'preview',
  register(app, deps) {
    app.get<{ Params: { key: string } }>('/projects/:key/preview', async (request, reply) => {
      const { project, body, csp } = await previewBody(request, deps);
      return sendPage(reply, request, { title: 'Preview', project, active: 'preview', body, csp: csp || undefined });
    });
  },
};
