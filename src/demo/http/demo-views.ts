import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { createTransport } from 'nodemailer';
import { escalationNotices, listEscalations, type EscalationEntry, type EscalationNoticeEntry } from '../../app/list-escalations.ts';
import { listApprovals } from '../../app/list-approvals.ts';
import { listResponses } from '../../app/list-responses.ts';
import { previewDigest } from '../../app/preview-digest.ts';
import { channelPhrase } from '../../app/answer-view.ts';
import { commOccurrenceTitle, optionLabel } from '../../domain/plan/comm-title.ts';
import { DEFAULT_ESCALATION, escalationTargets } from '../../domain/escalation/rules.ts';
import type { Plan } from '../../domain/plan/model.ts';
import { localTime } from '../../http/dashboard/pages/when.ts';
import type { Database } from '../../db/database.ts';
import { esc, page, PAGE_CSP } from '../../http/pages.ts';
import { blockActions, interactionBody, slackSignatureHeaders, viewClosed, viewSubmission } from '../../sandbox/slack-payloads.ts';
import type { SlackSandbox } from '../../sandbox/slack-server.ts';
import type { RecordedView } from '../../sandbox/slack/types.ts';
import type { SmtpSink } from '../../sandbox/smtp-sink.ts';
import type { TemplateEngine } from '../../templates/engine.ts';
import { drawBlocks } from '../../http/block-kit.ts';
import type { DemoClock } from '../demo-clock.ts';
import { slackUserOf } from '../demo-workspace.ts';
import { CSRF_FIELD, signinProof } from '../../http/dashboard/session.ts';

export interface DemoViewDeps {
  db: Database;
  /** Also turns the sandboxes' wall-clock stamps into demo time, so the pages match the story. */
  clock: DemoClock;
  slack: SlackSandbox;
  sink: SmtpSink;
  signingSecret: string;
  publicUrl: string;
  inboundSmtpPort: number;
  adminToken: string;
  /** Signs the newcomer in to the dashboard from the /demo page (POST /signin). */
  editorToken: string;
  /** HERALD_SECRET: the /demo page's sign-in form carries a sign-in proof like the dashboard's own. */
  secret: string;
  project: string;
  engine: TemplateEngine;
}

/** The parts of a Block Kit modal (views.open) the demo draws. */
interface SlackModal {
  title?: { text?: string };
  submit?: { text?: string };
  close?: { text?: string };
  callback_id?: string;
  private_metadata?: string;
  blocks?: Array<{ type?: string; optional?: boolean; label?: { text?: string }; element?: { initial_value?: string } }>;
}

interface Person {
  id: string;
  name: string;
  email?: string | undefined;
  slack?: string | undefined;
}

/** The few entities the e-mail templates write, back to text (esc() escapes again on output). */
function unescapeHtml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e] ?? '');
}

/** `same-origin` for /demo: its sign-in form must carry an Origin (see page()). */
function html(reply: FastifyReply, title: string, body: string, referrer: 'no-referrer' | 'same-origin' = 'no-referrer'): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .send(page(title, body, referrer));
}

/** `herald demo` only: /demo, the Slack view and the inbox per person, over the sandbox and the sink. */
export async function registerDemoViews(app: FastifyInstance, d: DemoViewDeps): Promise<void> {
  const people = async (): Promise<Person[]> => (await listResponses(d.db, { project: d.project })).plan.people;
  const person = async (id: string): Promise<Person | undefined> => (await people()).find((p) => p.id === id);
  const route = { config: { html: true } };
  const slackOf = (p: Person): string | undefined => slackUserOf(p, d.slack.users.list());
  /** Every time the demo pages show: demo time, in the project's zone (UTC in the demo plan), named as the dashboard names it. */
  const zoneOf = async (): Promise<string> => (await listResponses(d.db, { project: d.project })).plan.project.timezone;
  const when = (at: Date | string, zone: string): string => {
    const iso = typeof at === 'string' ? at : at.toISOString();
    return `<time datetime="${esc(iso)}">${esc(localTime(iso, zone))}</time>`;
  };

  app.get('/demo', route, async (req, reply) => {
    const now = d.clock.now();
    const { entries, plan } = await listResponses(d.db, { project: d.project });
    const open = await listEscalations(d.db, { project: d.project, open: true, now });
    const digest = await previewDigest(d.db, d.engine, { project: d.project, now, publicUrl: d.publicUrl }).then(
      (p) => p.email.text,
      (e: unknown) => `(no digest yet: ${e instanceof Error ? e.message : String(e)})`,
    );
    const shown = plan.people.filter((p) => p.slack || p.email);
    const sent = d.slack.messages.length + d.sink.messages.length;
    const rows = shown
      .map((p) => {
        const links = [
          slackOf(p) ? `<a href="/demo/slack/${encodeURIComponent(p.id)}">Slack</a>` : '',
          p.email ? `<a href="/demo/mail/${encodeURIComponent(p.id)}">Inbox</a>` : '',
        ]
          .filter(Boolean)
          .join(' · ');
        return `<li>${esc(p.name)} <small>(${esc(p.audiences.join(', '))})</small>: ${links}</li>`;
      })
      .join('\n');
    const name = (id: string) => plan.people.find((p) => p.id === id)?.name ?? id;
    const zone = plan.project.timezone;
    const answers = entries
      .map(
        (e) =>
          `<li data-person="${esc(e.person)}">${esc(name(e.person))} answered <strong>${esc(optionLabel(plan, e.comm, e.option) ?? '(a comment)')}` +
          `</strong> to ${esc(commOccurrenceTitle(plan, e.comm, e.occurrence))} ${esc(channelPhrase(e.channel))}, ` +
          `${when(e.firstAnsweredAt, zone)}${e.history.length ? `; last changed ${when(e.answeredAt, zone)}` : ''}</li>`,
      )
      .join('');
    const notices = await escalationNotices(
      d.db,
      open.map((e) => e.id),
    );
    const escalations = open
      .map(
        (e) =>
          `<li data-person="${esc(e.person)}">${esc(name(e.person))}: “${esc(optionLabel(plan, e.comm, e.option) ?? '')}” (${esc(e.urgency)}) → ` +
          `${esc(name(e.owner))}, level ${e.level}, ${esc(e.state)}` +
          `${timeline(plan, e, notices.get(e.id) ?? [], now, name, (at) => when(at, zone))}</li>`,
      )
      .join('');
    const rule = plan.project.escalation ?? DEFAULT_ESCALATION;
    const approvals = (await listApprovals(d.db, { project: d.project }))
      .map((a) => {
        const who = a.approvers
          .map(
            (x) =>
              `${esc(x.name)}: ${x.decision === 'approve' ? 'approved' : x.decision === 'reject' ? `requested changes (“${esc(x.note ?? '')}”)` : 'not yet'}`,
          )
          .join('; ');
        const slackLinks = a.approvers
          .map((x) => plan.people.find((p) => p.id === x.id))
          .filter((p) => p && slackOf(p))
          .map((p) => `<a href="/demo/slack/${encodeURIComponent(p!.id)}">${esc(p!.name)}’s Slack view</a>`)
          .join(', ');
        const state = a.state === 'approved' ? 'approved' : a.state === 'rejected' ? 'changes requested' : 'waiting for approval';
        return (
          `<li data-approval="${esc(a.state)}">${esc(a.title)}, first send ${when(a.firstSendAt, zone)}: <strong>${state}</strong>` +
          `${a.held ? `, ${a.held} held` : ''}. ${who}.${a.state === 'pending' && slackLinks ? ` Approve it from ${slackLinks}.` : ''}</li>`
        );
      })
      .join('');
    return html(
      reply,
      'Herald demo',
      `<h1>Herald demo</h1>
<p>Demo time: <span id="now">${when(now, zone)}</span>. The story runs ${d.clock.speed} times faster than real time` +
        ` (an hour in ${Number((60 / d.clock.speed).toFixed(1))} real minutes). Every time shown is demo time with its zone` +
        ` named: ${esc(zone)} on these pages, the reader’s own zone inside messages.` +
        ` Messages sent so far: <strong id="sent">${sent}</strong>. Reload to see the story move.</p>
<section aria-labelledby="h-responses"><h2 id="h-responses">Responses recorded: <span id="responses">${entries.length}` +
        `</span></h2><ul>${answers}</ul></section>
<section aria-labelledby="h-escalations"><h2 id="h-escalations">Open escalations: <span id="escalations">${open.length}` +
        `</span></h2><ul>${escalations}</ul>
<p class="muted">How an escalation plays out: a "Some issues" answer opens one at once. The workstream's owner is told` +
        ` in the next full hour's batch of notices (an "I can't work" answer at once), which at this speed is within` +
        ` ${Math.max(1, Math.ceil(60 / d.clock.speed))} real minute${Math.ceil(60 / d.clock.speed) > 1 ? 's' : ''}: open` +
        ` the owner's Slack view or inbox below to see the notice. The owner acknowledges it from the notice, and the person` +
        ` who answered is told. Not acknowledged within ${esc(rule.after.raw)} of the notice` +
        `${rule.after.unit.startsWith('business') ? ` (counted ${esc(rule.businessHours.start)}–${esc(rule.businessHours.end)} in the owner's own time zone)` : ''},` +
        ` it goes to level 2: the workstream's escalation person is told too, in their next hourly batch. The digest preview below lists the open` +
        ` ones, as the executives' weekly digest will.</p></section>
<section aria-labelledby="h-approvals"><h2 id="h-approvals">Approvals</h2><ul id="approvals">${approvals || '<li>None asked yet.</li>'}</ul>
<p class="muted">The go-live executive summary is signed off before it goes: Maria is asked in her Slack view two demo minutes` +
        ` ahead. Until she approves it is held and Raj, the workstream's owner, is told; when she approves, it goes out at once.</p></section>
<section aria-labelledby="h-digest"><h2 id="h-digest">Digest preview</h2><pre id="digest">${esc(digest)}</pre></section>
<section aria-labelledby="h-dashboard"><h2 id="h-dashboard">Dashboard</h2>
<form method="post" action="/signin"><input type="hidden" name="token" value="${esc(d.editorToken)}"><input` +
        ` type="hidden" name="${CSRF_FIELD}" value="` +
        `${esc(signinProof(req, reply, { secret: d.secret, clock: d.clock, publicUrl: d.publicUrl }))}"><input` +
        ` type="hidden" name="next" value="/projects/${esc(encodeURIComponent(d.project))}"><button type="submit">` +
        `Open dashboard</button></form></section>
<section aria-labelledby="h-api"><h2 id="h-api">REST API</h2>
<p>The demo's admin API token:</p><pre id="api">curl -H 'Authorization: Bearer ${esc(d.adminToken)}' ` +
        `${esc(d.publicUrl)}/api/v1/projects</pre></section>
<section aria-labelledby="h-people"><h2 id="h-people">People</h2><ul>${rows}</ul></section>`,
      'same-origin',
    );
  });

  app.get<{ Params: { person: string } }>('/demo/slack/:person', route, async (req, reply) => {
    const p = await person(req.params.person);
    const user = p && slackOf(p);
    if (!p || !user) return reply.status(404).type('text/plain').send(`no Slack user for person "${req.params.person}"; pick one on /demo`);
    const messages = d.slack.messagesTo(user);
    const zone = await zoneOf();
    const items = messages
      .map((m) => {
        const body = m.blocks
          ? drawBlocks(m.blocks, (b) => ({
              action: `/demo/slack/${encodeURIComponent(p.id)}/click`,
              hidden: { channel: m.channel, ts: m.ts, action_id: b.actionId, value: b.value, block_id: b.blockId },
            }))
          : esc(m.text ?? '');
        return (
          `<article class="slack-message" aria-label="Message from Herald at ${esc(localTime(d.clock.at(m.at).toISOString(), zone))}">` +
          `<p><strong>Herald</strong> <small>${when(d.clock.at(m.at), zone)}` +
          `${m.updatedAt ? ' (edited)' : ''}</small></p>${body}</article><hr>`
        );
      })
      .join('\n');
    return html(
      reply,
      `Slack: ${p.name}`,
      `<h1>Slack: direct messages to ${esc(p.name)}</h1><p><a href="/demo">Back to the demo</a>` +
        ` · <span class="muted">Times are demo time, ${esc(zone)}.</span></p>` +
        `${items || '<p>No messages yet; reload in a few seconds.</p>'}`,
    );
  });

  app.post<{ Params: { person: string }; Body: Record<string, string> }>('/demo/slack/:person/click', route, async (req, reply) => {
    const p = await person(req.params.person);
    const b = req.body ?? {};
    const user = p && slackOf(p);
    const message = user ? d.slack.messagesTo(user).find((m) => m.ts === b.ts && m.channel === b.channel) : undefined;
    if (!p || !user || !message || !b.action_id)
      return reply.status(400).type('text/plain').send('unknown message or button; go back to the Slack view and click a button there');
    // Exactly what Slack sends: a block_actions payload, form-encoded, signed with the signing secret,
    // stamped in demo time because Herald checks the stamp's age against the clock it was given.
    // The trigger id a views.open for this click carries (Slack's way of tying a dialog to a click).
    const triggerId = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    const payload = blockActions({
      user,
      message: { channel: message.channel, ts: message.ts, blocks: message.blocks ?? [], text: message.text ?? '' },
      actionId: b.action_id,
      value: b.value ?? '',
      blockId: b.block_id ?? 'actions',
      triggerId,
    });
    const updatedBefore = message.updatedAt;
    const failed = await postInteraction(payload);
    if (failed) return reply.status(502).type('text/plain').send(failed);
    // Herald's chat.update (an answer) or views.open (a comment modal) lands in the sandbox shortly after its 200.
    const opened = (): RecordedView | undefined => d.slack.views.find((v) => v.method === 'views.open' && v.triggerId === triggerId);
    for (let i = 0; i < 30 && message.updatedAt === updatedBefore && !opened(); i++) await new Promise((r) => setTimeout(r, 100));
    const modal = opened();
    if (modal) {
      modalsOf.set(modal.viewId, user);
      return reply.redirect(`/demo/slack/${encodeURIComponent(p.id)}/modal/${encodeURIComponent(modal.viewId)}`, 303);
    }
    return reply.redirect(`/demo/slack/${encodeURIComponent(p.id)}`, 303);
  });

  /** Signs and posts an interaction payload as Slack does; a message when Herald refused it. */
  async function postInteraction(payload: Record<string, unknown>): Promise<string | undefined> {
    const body = interactionBody(payload);
    // Stamped in demo time: Herald checks the stamp's age against the clock it was given.
    const res = await fetch(`${d.publicUrl}/slack/events`, {
      method: 'POST',
      headers: slackSignatureHeaders(d.signingSecret, body, Math.floor(d.clock.now().getTime() / 1000)),
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return res.ok ? undefined : `Herald answered ${res.status} to the interaction: ${await res.text()}`;
  }

  /** The modal Herald opened for `user` (views.open), as Slack shows it over the conversation. */
  const modalsOf = new Map<string, string>();
  const modalOf = (user: string, viewId: string): SlackModal | undefined => {
    const v = modalsOf.get(viewId) === user ? d.slack.views.find((x) => x.method === 'views.open' && x.viewId === viewId) : undefined;
    if (!v) return undefined;
    // The WebClient sends `view` as JSON text in its form body.
    return (typeof v.view === 'string' ? JSON.parse(v.view) : v.view) as SlackModal;
  };

  app.get<{ Params: { person: string; view: string } }>('/demo/slack/:person/modal/:view', route, async (req, reply) => {
    const p = await person(req.params.person);
    const user = p && slackOf(p);
    const view = user ? modalOf(user, req.params.view) : undefined;
    if (!p || !view) return reply.status(404).type('text/plain').send('no such Slack dialog; go back to the Slack view and click a button there');
    const back = `/demo/slack/${encodeURIComponent(p.id)}`;
    const action = `${back}/modal/${encodeURIComponent(req.params.view)}`;
    const input = (view.blocks ?? []).find((b) => b.type === 'input');
    const info = drawBlocks((view.blocks ?? []).filter((b) => b.type !== 'input'));
    const field = input
      ? `<label for="comment">${esc(input.label?.text ?? 'Comment')}</label><textarea id="comment" name="comment"` +
        ` rows="4" maxlength="3000"${input.optional ? '' : ' required'}>${esc(input.element?.initial_value ?? '')}` +
        '</textarea>'
      : '';
    return html(
      reply,
      `Slack: ${view.title?.text ?? 'Dialog'}`,
      `<h1>${esc(view.title?.text ?? 'Dialog')}</h1><p class="muted">A Slack dialog (modal) Herald opened for ` +
        `${esc(p.name)}.</p>
<article class="slack-message">${info}</article>
<form method="post" action="${esc(action)}">${field}<button type="submit" name="do" value="submit">` +
        `${esc(view.submit?.text ?? 'Submit')}</button><button type="submit" name="do" value="cancel"` +
        ` class="secondary" formnovalidate>${esc(view.close?.text ?? 'Cancel')}</button></form>
<p><a href="${esc(back)}">Back to the Slack view</a></p>`,
    );
  });

  app.post<{ Params: { person: string; view: string }; Body: Record<string, string> }>('/demo/slack/:person/modal/:view', route, async (req, reply) => {
    const p = await person(req.params.person);
    const user = p && slackOf(p);
    const view = user ? modalOf(user, req.params.view) : undefined;
    if (!p || !user || !view) return reply.status(400).type('text/plain').send('no such Slack dialog; go back to the Slack view and click a button there');
    const opened = { id: req.params.view, callback_id: view.callback_id ?? '', private_metadata: view.private_metadata ?? '', blocks: view.blocks ?? [] };
    const comment = (req.body?.comment ?? '').trim();
    const payload = req.body?.do === 'cancel' ? viewClosed({ user, view: opened }) : viewSubmission({ user, view: opened, comment: comment || null });
    const failed = await postInteraction(payload);
    if (failed) return reply.status(502).type('text/plain').send(failed);
    // The answer's chat.update follows Herald's 200 shortly.
    await new Promise((r) => setTimeout(r, 300));
    return reply.redirect(`/demo/slack/${encodeURIComponent(p.id)}`, 303);
  });

  // The mail's own Date header: Herald stamps it with the delivery's (demo) clock, the sent time it records.
  const mailDate = (m: SmtpSink['messages'][number]): Date => {
    const date = m.headers.date ? new Date(m.headers.date) : undefined;
    return date && !Number.isNaN(date.getTime()) ? date : d.clock.at(m.receivedAt);
  };
  const mailOf = (p: Person) => d.sink.messages.filter((m) => p.email && m.envelope.rcptTo.some((r) => r.toLowerCase() === p.email!.toLowerCase()));

  app.get<{ Params: { person: string } }>('/demo/mail/:person', route, async (req, reply) => {
    const p = await person(req.params.person);
    if (!p?.email) return reply.status(404).type('text/plain').send(`no e-mail address for person "${req.params.person}"; pick one on /demo`);
    const zone = await zoneOf();
    const items = mailOf(p)
      .map((m, i) => {
        const links = [...m.html.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)]
          .map((x) => ({ href: unescapeHtml(x[1] ?? ''), label: unescapeHtml((x[2] ?? '').replace(/<[^>]+>/g, '')).trim() }))
          .filter((l) => l.href.startsWith(d.publicUrl));
        const linkList = links.map((l) => `<li><a href="${esc(l.href)}">${esc(l.label || l.href)}</a></li>`).join('');
        return (
          `<article aria-labelledby="mail-${i}"><h2 id="mail-${i}">${esc(m.subject)}</h2><p><small>From ` +
          `${esc(m.from)} · ${when(mailDate(m), zone)}</small></p>
<pre>${esc(m.text)}</pre>${linkList ? `<ul aria-label="Links in this e-mail">${linkList}</ul>` : ''}
<form method="post" action="/demo/mail/${encodeURIComponent(p.id)}/reply/${i}"><label for="reply-${i}">Reply</label>` +
          `<textarea id="reply-${i}" name="text" rows="2" required></textarea><button type="submit">Send reply` +
          '</button></form></article><hr>'
        );
      })
      .join('\n');
    return html(
      reply,
      `Inbox: ${p.name}`,
      `<h1>Inbox of ${esc(p.name)}</h1><p><a href="/demo">Back to the demo</a> · <span class="muted">Times are demo time,` +
        ` ${esc(zone)}.</span></p>${items || '<p>No mail yet; reload in a few seconds.</p>'}`,
    );
  });

  app.post<{ Params: { person: string; index: string }; Body: Record<string, string> }>('/demo/mail/:person/reply/:index', route, async (req, reply) => {
    const p = await person(req.params.person);
    const m = p ? mailOf(p)[Number(req.params.index)] : undefined;
    const text = (req.body?.text ?? '').trim();
    if (!p?.email || !m || !text) return reply.status(400).type('text/plain').send('unknown e-mail or empty reply; go back to the inbox and write a reply');
    // A real MIME reply, as a mail client sends it, to Herald's inbound SMTP listener.
    const to = m.headers['reply-to'] || m.from;
    const transport = createTransport({ host: '127.0.0.1', port: d.inboundSmtpPort, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({
        from: `${p.name} <${p.email}>`,
        to,
        subject: `Re: ${m.subject}`,
        text: `${text}\n\nOn ${d.clock.at(m.receivedAt).toUTCString()}, Herald wrote:\n${m.text
          .split('\n')
          .map((l) => `> ${l}`)
          .join('\n')}`,
        inReplyTo: m.messageId,
        references: [m.messageId],
      });
    } finally {
      transport.close();
    }
    return html(
      reply,
      'Reply sent',
      `<h1>Reply sent</h1><p>Herald's inbound listener has your reply to “${esc(m.subject)}”.</p><p><a href="/demo/mail/` +
        `${encodeURIComponent(p.id)}">Back to the inbox</a> · <a href="/demo">Back to the demo</a></p>`,
    );
  });
}

/**
 * One escalation's story on /demo, in time order: opened by the answer, the owner told (or when they will be),
 * acknowledged, level 2 (due or reached), the person who answered told. Each step carries its time.
 */
function timeline(
  plan: Plan,
  e: EscalationEntry,
  notices: readonly EscalationNoticeEntry[],
  now: Date,
  name: (key: string) => string,
  when: (at: string) => string,
): string {
  const steps: Array<{ at: string; event: string; text: string }> = [{ at: e.openedAt, event: 'opened', text: 'opened by the answer' }];
  // The notice itself is one click away: the person's Slack view or inbox.
  const how = (n: EscalationNoticeEntry): string =>
    n.channel === 'slack'
      ? `in <a href="/demo/slack/${esc(encodeURIComponent(n.person))}">Slack</a>`
      : `by <a href="/demo/mail/${esc(encodeURIComponent(n.person))}">e-mail</a>`;
  const told = (n: EscalationNoticeEntry, who: string, what: string): void => {
    const sent = n.status === 'sent' && n.sentAt !== null;
    steps.push({
      at: sent ? n.sentAt! : n.dueAt,
      event: `${n.role}-${sent ? 'told' : 'due'}`,
      text: sent ? `${who} told ${how(n)}${what}` : n.status === 'failed' ? `${who} could not be told ${how(n)}` : `${who} to be told ${how(n)}${what}`,
    });
  };
  for (const n of notices) {
    if (n.role === 'owner') told(n, `${esc(name(n.person))} (the owner)`, '');
    else if (n.role === 'second') told(n, `${esc(name(n.person))} (level 2)`, '');
    else told(n, esc(name(n.person)), ' that the owner is on it');
  }
  if (e.acknowledgedAt) steps.push({ at: e.acknowledgedAt, event: 'acknowledged', text: 'acknowledged' });
  const comm = plan.comms.find((c) => c.key === e.comm);
  const second = comm && escalationTargets(plan, comm, e.person)?.second;
  if (e.escalatedAt) {
    steps.push({ at: e.escalatedAt, event: 'level-2', text: `went to level 2${second ? ` (${esc(name(second))})` : ''}: not acknowledged in time` });
  }
  if (e.level === 1 && e.state === 'open' && e.escalateAt && second) {
    const due = new Date(e.escalateAt) > now;
    steps.push({
      at: e.escalateAt,
      event: 'level-2-due',
      text: due ? `goes to level 2 (${esc(name(second))}) unless acknowledged by then` : `due to go to level 2 (${esc(name(second))})`,
    });
  }
  // Same instant: the acknowledgement comes before the notice it causes (both are stamped with one `now`).
  const rank = (event: string): number => (event === 'opened' ? 0 : event === 'acknowledged' ? 2 : event.startsWith('answerer') ? 3 : 1);
  steps.sort((a, b) => a.at.localeCompare(b.at) || rank(a.event) - rank(b.event));
  return `<ol class="timeline">${steps.map((s) => `<li data-event="${s.event}">${when(s.at)}: ${s.text}</li>`).join('')}</ol>`;
}
