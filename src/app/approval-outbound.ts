import type { OutboundMessage } from '../channels/channel.ts';
import { approvalOf } from '../domain/approval/rules.ts';
import { commOccurrenceTitle } from '../domain/plan/comm-title.ts';
import type { Plan } from '../domain/plan/model.ts';
import { signToken } from '../domain/tokens.ts';
import type { RenderedMessage } from '../templates/rendered.ts';
import { approverOfKey, roundOfKey } from './approval-notices.ts';
import { noticeEnvelope } from './notice-outbound.ts';
import type { MessageForDelivery, Stores } from './ports.ts';
import { labelVariant, renderApprovalNotice, renderApprovalRequest } from './render-approval.ts';

const LINK_LIFETIME_S = 30 * 24 * 3600;

/** The decision a link or button carries: approve or reject, for one round (a link to older content decides nothing). */
export function approvalOption(decision: 'approve' | 'reject', round: number): string {
  return `${decision}.r${round}`;
}

export function parseApprovalOption(o: string | undefined): { decision: 'approve' | 'reject'; round: number } | undefined {
  const m = /^(approve|reject)\.r(\d{1,6})$/.exec(o ?? '');
  return m ? { decision: m[1] as 'approve' | 'reject', round: Number(m[2]) } : undefined;
}

/**
 * An approval message rendered at send time: a request (or reminder) to an approver, or a notice to
 * the project manager. Undefined when there is nothing left to say: the approval was decided or
 * withdrawn, or this approver has already voted.
 */
export async function approvalOutbound(
  stores: Pick<Stores, 'approvals'>,
  plan: Plan,
  msg: MessageForDelivery,
  links: { publicUrl: string; secret: string; now: Date },
): Promise<OutboundMessage | undefined> {
  const a = await stores.approvals.find(msg.projectId, msg.commId, msg.occurrence);
  const comm = plan.comms.find((c) => c.key === msg.commKey);
  if (!a || !comm) return undefined;
  if (roundOfKey(msg.key) !== a.round) return undefined;
  const votes = await stores.approvals.votes(a.id, a.round);
  const reader = { name: msg.person.name, timezone: msg.person.timezone, locale: msg.person.locale };
  const base = links.publicUrl.replace(/\/$/, '');
  const nameOf = (id: string) => plan.people.find((p) => p.id === id)?.name ?? id;
  const input = {
    project: plan.project.name,
    channel: msg.channel,
    reader,
    title: commOccurrenceTitle(plan, msg.commKey, msg.occurrence),
    firstSendAt: a.firstSendAt,
    variants: a.preview.map((v) => labelVariant(plan, v)),
    recipients: await stores.approvals.recipients(msg.projectId, msg.commId, msg.occurrence),
  };
  let rendered: RenderedMessage;
  if (msg.kind === 'approval-request') {
    if (a.state !== 'pending' || votes.some((v) => v.approver === approverOfKey(msg.key))) return undefined;
    const exp = Math.floor(links.now.getTime() / 1000) + LINK_LIFETIME_S;
    const token = (d: 'approve' | 'reject') => signToken(links.secret, { k: 'approval', m: a.id, p: msg.person.id, o: approvalOption(d, a.round), exp });
    rendered = renderApprovalRequest(
      input,
      { approve: `${base}/a/${token('approve')}`, reject: `${base}/a/${token('reject')}`, page: `${base}/a/${token('approve')}`, slackValue: token },
      msg.key.includes(':remind'),
    );
  } else {
    const rejected = msg.kind === 'approval-rejected';
    if (rejected ? a.state !== 'rejected' : a.state !== 'pending') return undefined;
    const rejection = votes.find((v) => v.decision === 'reject');
    const waitingFor = (approvalOf(plan, comm)?.by ?? []).filter((id) => !votes.some((v) => v.approver === id)).map(nameOf);
    rendered = renderApprovalNotice(
      {
        ...input,
        kind: rejected ? 'rejected' : 'held',
        waitingFor,
        reason: a.note ?? rejection?.note ?? '',
        rejectedBy: rejection ? nameOf(rejection.approver) : undefined,
      },
      `${base}/projects/${encodeURIComponent(plan.project.key)}/approvals`,
    );
  }
  return { ...noticeEnvelope(plan, msg), rendered };
}
