/**
 * `/a/:token` — an approver approves or requests changes from the link in an approval request
 * (e-mail, and the "approval page" link in Slack). Like the answer and escalation links, a GET only
 * shows the page: the content of every variant, who else has decided, and two forms; mail scanners
 * open every link, so only a POST of one of those forms, carrying its proof field bound to the
 * token, decides. The token names the approval, the approver (their person id) and the round it
 * was sent for: a link to content that has changed since decides nothing.
 */
import type { FastifyInstance } from 'fastify';
import { approvalForLink, type ApprovalLinkView } from '../app/approval-link.ts';
import { parseApprovalOption } from '../app/approval-outbound.ts';
import { APPROVAL_NOTE_MAX, decideApproval, type DecideApprovalResult } from '../app/decide-approval.ts';
import { approvalWhen, variantHeading } from '../app/render-approval.ts';
import { HeraldError } from '../domain/errors.ts';
import type { TokenPayload } from '../domain/tokens.ts';
import { readToken, requireSecret, sendPage, type PageDeps } from './answer-links.ts';
import { checkFormProof, issueFormProof } from './form-proof.ts';
import { esc, messagePage, page } from './pages.ts';

type Decision = 'approve' | 'reject';

/** The decision and round a token carries; a token without them is not an approval link. */
function optionOf(payload: TokenPayload): { decision: Decision; round: number } {
  const o = parseApprovalOption(payload.o);
  if (!o)
    throw new HeraldError('TOKEN_INVALID', 'the link or token is not valid (not an approval link)', { hint: 'use the link exactly as it came in the message' });
  return o;
}

/** Times on the page: in the approver's zone, the zone named, in English (the page's language). */
function whenFor(view: ApprovalLinkView, at: Date): string {
  const locale = view.reader.locale.toLowerCase().startsWith('en') ? view.reader.locale : 'en';
  return approvalWhen(at, { timezone: view.reader.timezone, locale });
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function stateLine(view: ApprovalLinkView): string {
  const at = view.decidedAt ? ` on ${whenFor(view, view.decidedAt)}` : '';
  if (view.state === 'approved') return `${view.title} was approved${at}.`;
  if (view.state === 'rejected')
    return `Changes to ${view.title} were requested${at}. Its messages stay held until the content changes; you will be asked again then.`;
  return `${view.title} is waiting for approval.`;
}

function decisionsHtml(view: ApprovalLinkView): string {
  if (view.decisions.length === 0 && view.waitingFor.length === 0) return '';
  const items = view.decisions.map((d) => {
    const who = d.you ? `${d.name} (you)` : d.name;
    const what = d.decision === 'approve' ? 'approved' : 'requested changes';
    const note = d.note ? `: “${esc(d.note)}”` : '';
    return `<li><strong>${esc(who)}</strong> ${what} on ${esc(whenFor(view, d.at))}${note}</li>`;
  });
  const rule = view.needs === 'all' ? 'Every approver must approve.' : 'One approval is enough.';
  const waiting = view.state === 'pending' && view.waitingFor.length > 0 ? `<p>Waiting for: ${esc(view.waitingFor.join(', '))}.</p>` : '';
  return `<h2>Decisions</h2>\n${items.length ? `<ul>${items.join('')}</ul>` : '<p>No one has decided yet.</p>'}\n${waiting}\n<p class="muted">${esc(rule)}</p>`;
}

function previewHtml(view: ApprovalLinkView): string {
  const parts = view.variants.map(
    (v) =>
      `<section><h3>${esc(variantHeading(v))}</h3><p><strong>Subject:</strong> ${esc(v.subject)}</p>` +
      `<div class="preview" role="group" aria-label="${esc(`Message as ${v.sample} gets it`)}">${esc(v.text)}</div></section>`,
  );
  const count = view.variants.length === 1 ? 'One version' : `${view.variants.length} versions`;
  return `<h2>What people will get</h2>\n<p class="muted">${esc(count)}: one for each audience, channel and language.</p>\n${parts.join('\n')}`;
}

/** What the page shows besides the approval: its token, fresh form proofs, which form comes first, and a refused form's problem. */
interface PageInput {
  token: string;
  proof: () => string;
  first: Decision;
  error?: { decision: Decision; text: string; note: string } | undefined;
}

const FORM = {
  approve: { heading: 'Approve', label: '<strong>Note</strong> (optional)', required: '', button: '<button type="submit">Approve</button>' },
  reject: {
    heading: 'Request changes',
    label: '<strong>What should change?</strong> (required; the project manager reads it)',
    required: ' required',
    button: '<button type="submit" class="secondary">Request changes</button>',
  },
} as const;

function decisionForm(d: Decision, p: PageInput): string {
  const f = FORM[d];
  const failed = p.error?.decision === d ? p.error : undefined;
  return (
    `<form method="post" action="/a/${esc(p.token)}"><input type="hidden" name="proof" value="${esc(p.proof())}">` +
    `<input type="hidden" name="decision" value="${d}"><h2>${f.heading}</h2>` +
    (failed ? `<p class="error" id="${d}-error">${esc(failed.text)}</p>` : '') +
    `<label for="${d}-note">${f.label}</label><textarea id="${d}-note" name="note" maxlength="${APPROVAL_NOTE_MAX}"${f.required}` +
    `${failed ? ` aria-describedby="${d}-error"` : ''}>${esc(failed?.note ?? '')}</textarea>${f.button}</form>`
  );
}

function formsHtml(view: ApprovalLinkView, p: PageInput): string {
  const mine = view.decisions.find((d) => d.you);
  const already = mine
    ? `<p class="note">You ${mine.decision === 'approve' ? 'approved' : 'requested changes'} on ${esc(whenFor(view, mine.at))}. You can change your decision below.</p>`
    : '';
  const order: Decision[] = p.first === 'approve' ? ['approve', 'reject'] : ['reject', 'approve'];
  return ['<div id="decide">', already, ...order.map((d) => decisionForm(d, p)), '<p class="muted">Nothing is recorded until you press a button.</p>', '</div>']
    .filter(Boolean)
    .join('\n');
}

function approvalPage(view: ApprovalLinkView, p: PageInput): string {
  const pending = view.state === 'pending';
  const body = [
    `<p class="muted">${esc(view.project)}</p>`,
    `<h1>${esc(!pending ? view.title : p.first === 'approve' ? `Approve “${view.title}”?` : `Request changes to “${view.title}”?`)}</h1>`,
    `<p>${esc(`${view.title} goes to ${plural(view.recipients, 'person', 'people')} from ${whenFor(view, view.firstSendAt)}.`)}` +
      `${view.held > 0 ? ` ${esc(`${plural(view.held, 'message is', 'messages are')} held until it is approved.`)}` : ''}</p>`,
    pending ? '<p><a href="#decide">Skip to your decision</a></p>' : `<p class="note">${esc(stateLine(view))}</p>`,
    decisionsHtml(view),
    previewHtml(view),
    pending ? formsHtml(view, p) : '',
  ];
  return page(pending ? `Approve ${view.title}` : view.title, body.filter(Boolean).join('\n'));
}

function stalePage(view: ApprovalLinkView): string {
  const lines = [
    `The content of ${view.title} changed after this request was sent, so this link no longer decides anything.`,
    view.state === 'pending' ? 'A new approval request with the new content was sent to you: approve or request changes from that one.' : stateLine(view),
  ];
  return messagePage('This request is out of date', lines, 'note');
}

function outcomePage(view: ApprovalLinkView, decision: Decision, note: string | undefined, r: DecideApprovalResult): string {
  if (!r.changed) {
    const was = r.state === 'approved' ? 'was already approved' : r.state === 'rejected' ? 'was already sent back for changes' : 'is still waiting';
    return messagePage('Already decided', [`${view.title} ${was}; your answer changed nothing.`], 'note');
  }
  if (r.state === 'rejected') {
    return messagePage(
      'Changes requested',
      [
        `You requested changes to ${view.title}: “${note ?? ''}”`,
        'The project manager is told your reason. Its messages stay held until the content changes; you will be asked again then.',
      ],
      'note',
    );
  }
  if (r.state === 'pending') {
    const others = view.waitingFor.filter((n) => n !== view.reader.name);
    const lines = [
      decision === 'approve' ? `Your approval of ${view.title} is recorded.` : `Your request for changes to ${view.title} is recorded.`,
      others.length > 0 ? `It still waits for: ${others.join(', ')} (every approver must approve).` : 'It still waits for the other approvers.',
    ];
    return messagePage('Thank you, your decision is recorded', lines, 'note');
  }
  const lines = [`You approved ${view.title}.`];
  if (r.released > 0) lines.push(`${plural(r.released, 'held message goes', 'held messages go')} out now.`);
  else lines.push(`Its messages go out at their planned time, from ${whenFor(view, view.firstSendAt)}.`);
  if (r.skipped > 0) lines.push(`${plural(r.skipped, 'held message was', 'held messages were')} not sent: approved too long after their planned time.`);
  return messagePage('Approved', lines, 'note');
}

export function registerApprovalLinks(app: FastifyInstance, deps: PageDeps): void {
  const config = { html: true, rateLimit: deps.rateLimit };
  const seconds = () => Math.floor(deps.clock.now().getTime() / 1000);

  app.get<{ Params: { token: string } }>('/a/:token', { config }, async (request, reply) => {
    const secret = requireSecret(deps.secret);
    const token = request.params.token;
    const payload = readToken(secret, token, 'approval', deps.clock.now());
    const option = optionOf(payload);
    const view = await approvalForLink(deps.db, { approvalId: payload.m, personId: payload.p });
    if (!view.needed) {
      return sendPage(reply, 200, messagePage('No approval needed any more', [`The plan no longer asks for an approval of ${view.title}.`], 'note'));
    }
    if (option.round !== view.round) return sendPage(reply, 409, stalePage(view));
    return sendPage(reply, 200, approvalPage(view, { token, proof: () => issueFormProof(secret, token, seconds()), first: option.decision }));
  });

  app.post<{ Params: { token: string }; Body: Record<string, unknown> | undefined }>('/a/:token', { config }, async (request, reply) => {
    const secret = requireSecret(deps.secret);
    const token = request.params.token;
    const now = deps.clock.now();
    const payload = readToken(secret, token, 'approval', now);
    const option = optionOf(payload);
    const body = request.body ?? {};
    checkFormProof(secret, token, body.proof, seconds());
    const view = await approvalForLink(deps.db, { approvalId: payload.m, personId: payload.p });
    if (option.round !== view.round) return sendPage(reply, 409, stalePage(view));
    const decision = body.decision === 'approve' || body.decision === 'reject' ? body.decision : undefined;
    const raw = typeof body.note === 'string' ? body.note : '';
    const again = (status: number, d: Decision, text: string) =>
      sendPage(
        reply,
        status,
        approvalPage(view, {
          token,
          proof: () => issueFormProof(secret, token, seconds()),
          first: d,
          error: { decision: d, text, note: raw.slice(0, APPROVAL_NOTE_MAX) },
        }),
      );
    if (decision === undefined) return again(400, option.decision, 'Press Approve or Request changes.');
    const note = raw.trim() === '' ? undefined : raw.trim();
    if (note !== undefined && note.length > APPROVAL_NOTE_MAX) {
      return again(422, decision, `The note is ${note.length} characters; at most ${APPROVAL_NOTE_MAX} are kept. Shorten it, or link to a longer write-up.`);
    }
    if (decision === 'reject' && note === undefined) return again(422, 'reject', 'Say what should change: the project manager needs a reason to act on.');
    if (!view.needed) {
      return sendPage(reply, 200, messagePage('No approval needed any more', [`The plan no longer asks for an approval of ${view.title}.`], 'note'));
    }
    let r: DecideApprovalResult;
    try {
      r = await decideApproval(
        { stores: deps.db.stores, clock: deps.clock },
        { approvalId: view.approvalId, decision, note, approver: view.reader.key, actor: view.reader.key, via: 'email', round: option.round },
      );
    } catch (err) {
      if (err instanceof HeraldError && err.code === 'APPROVAL_STALE') {
        return sendPage(reply, 409, stalePage(await approvalForLink(deps.db, { approvalId: payload.m, personId: payload.p })));
      }
      throw err;
    }
    return sendPage(reply, 200, outcomePage(view, decision, note, r));
  });
}
