import type { OutboundMessage } from '../channels/channel.ts';
import type { Plan } from '../domain/plan/model.ts';
import { signToken } from '../domain/tokens.ts';
import type { DeliveryStore, MessageForDelivery } from './ports.ts';
import { renderEscalationNotice, renderEscalationUpdate, type EscalationItem } from './render-escalation.ts';

const LINK_LIFETIME_S = 30 * 24 * 3600;

/**
 * An escalation notice or "team is on it" update, rendered at send time from the escalations it
 * carries (a batch collects until a worker claims it). Undefined when there is nothing left to say:
 * every escalation in it was acknowledged or resolved before it went out.
 */
export async function noticeOutbound(
  store: Pick<DeliveryStore, 'noticeEscalations'>,
  plan: Plan,
  msg: MessageForDelivery,
  links: { publicUrl: string; secret: string; now: Date },
): Promise<OutboundMessage | undefined> {
  const rows = await store.noticeEscalations(msg.id);
  const reader = { name: msg.person.name, timezone: msg.person.timezone, locale: msg.person.locale };
  const surveyOf = (commKey: string) => plan.comms.find((c) => c.key === commKey)?.survey;
  const labelOf = (commKey: string, value: string): string => surveyOf(commKey)?.options.find((o) => o.value === value)?.label ?? value;
  const common = noticeEnvelope(plan, msg);

  if (msg.kind === 'escalation-update') {
    const e = rows[0];
    if (!e) return undefined;
    const state = msg.key.includes(':resolved:') ? 'resolved' : 'acknowledged';
    const rendered = renderEscalationUpdate({
      project: plan.project.name,
      channel: msg.channel,
      reader,
      ownerName: e.actorName ?? e.ownerName,
      state,
      option: labelOf(e.commKey, e.option),
      question: surveyOf(e.commKey)?.question ?? e.commKey,
    });
    return { ...common, rendered };
  }

  const open = rows.filter((r) => r.state === 'open');
  if (open.length === 0) return undefined;
  const items: EscalationItem[] = open.map((r) => ({
    id: r.id,
    urgent: r.urgency === 'urgent',
    level: Number(r.level),
    answeredBy: r.answeredBy,
    option: labelOf(r.commKey, r.option),
    question: surveyOf(r.commKey)?.question ?? r.commKey,
    commKey: r.commKey,
    comment: r.comment,
    openedAt: new Date(r.openedAt),
    fromOtherAddress: r.fromOtherAddress,
  }));
  const base = links.publicUrl.replace(/\/$/, '');
  const exp = Math.floor(links.now.getTime() / 1000) + LINK_LIFETIME_S;
  const rendered = renderEscalationNotice(
    { project: plan.project.name, channel: msg.channel, reader, items },
    (e, a) => `${base}/e/${signToken(links.secret, { k: 'escalation', m: e, p: msg.person.id, o: a, exp })}`,
  );
  return { ...common, rendered };
}

/** Everything of a notice (escalation or approval) but its text: to the message's person, from the plan's sender, never optional. */
export function noticeEnvelope(plan: Plan, msg: MessageForDelivery): Omit<OutboundMessage, 'rendered'> {
  const recipient = {
    id: msg.person.key,
    name: msg.person.name,
    timezone: msg.person.timezone,
    locale: msg.person.locale,
    email: msg.person.email || undefined,
    slackId: msg.person.slackId || undefined,
  };
  return { messageId: msg.id, projectKey: msg.projectKey, commKey: msg.commKey, optional: false, recipient, sender: plan.project.sender };
}
