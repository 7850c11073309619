import type { OutboundMessage } from '../channels/channel.ts';
import type { Plan } from '../domain/plan/model.ts';
import { signToken } from '../domain/tokens.ts';
import type { MessageForDelivery } from '../db/repo/delivery-store.ts';
import type { SqlClient } from '../db/repo/sql-client.ts';
import { renderEscalationNotice, renderEscalationUpdate, type EscalationItem } from './render-escalation.ts';

const LINK_LIFETIME_S = 30 * 24 * 3600;

interface NoticeRow {
  id: string;
  urgency: string;
  level: number;
  state: string;
  option: string;
  comment: string | null;
  openedAt: Date | string;
  occurrence: number;
  commKey: string;
  answeredBy: string;
  answeredOn: string;
  fromOtherAddress: boolean;
  ownerName: string;
  actorName: string | null;
}

/**
 * An escalation notice or "team is on it" update, rendered at send time from the escalations it
 * carries (a batch collects until a worker claims it). Undefined when there is nothing left to say:
 * every escalation in it was acknowledged or resolved before it went out.
 * Raw SQL: the worker's delivery path holds only the driver-level SqlClient.
 */
export async function noticeOutbound(
  db: SqlClient,
  plan: Plan,
  msg: MessageForDelivery,
  links: { publicUrl: string; secret: string; now: Date },
): Promise<OutboundMessage | undefined> {
  const rows = await db.$queryRawUnsafe<NoticeRow[]>(
    `SELECT e."id", e."urgency", e."level", e."state", e."option", e."comment", e."openedAt", e."occurrence",
            c."key" AS "commKey", p."name" AS "answeredBy", r."channel" AS "answeredOn", r."fromOtherAddress",
            o."name" AS "ownerName", a."name" AS "actorName"
     FROM "EscalationNotice" n JOIN "Escalation" e ON e."id"=n."escalationId" JOIN "Comm" c ON c."id"=e."commId"
       JOIN "Person" p ON p."id"=e."personId" JOIN "Response" r ON r."id"=e."responseId" JOIN "Person" o ON o."id"=e."ownerId"
       LEFT JOIN "Person" a ON a."id"=COALESCE(e."resolvedBy", e."acknowledgedBy")
     WHERE n."messageId"=$1::uuid ORDER BY e."openedAt", e."id"`,
    msg.id,
  );
  const reader = { name: msg.person.name, timezone: msg.person.timezone, locale: msg.person.locale };
  const surveyOf = (commKey: string) => plan.comms.find((c) => c.key === commKey)?.survey;
  const labelOf = (commKey: string, value: string): string => surveyOf(commKey)?.options.find((o) => o.value === value)?.label ?? value;
  const recipient = {
    id: msg.person.key,
    name: msg.person.name,
    timezone: msg.person.timezone,
    locale: msg.person.locale,
    ...(msg.person.email ? { email: msg.person.email } : {}),
    ...(msg.person.slackId ? { slackId: msg.person.slackId } : {}),
  };
  const common = { messageId: msg.id, projectKey: msg.projectKey, commKey: msg.commKey, optional: false, recipient, sender: plan.project.sender };

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
  const rendered = renderEscalationNotice({ project: plan.project.name, channel: msg.channel, reader, items }, (e, a) =>
    `${base}/e/${signToken(links.secret, { k: 'escalation', m: e, p: msg.person.id, o: a, exp })}`,
  );
  return { ...common, rendered };
}
