/**
 * Receive inbound mail: the one use case the SMTP listener, the IMAP poller and the webhook
 * all call with raw MIME. It stores the mail first (once, however often it is delivered), then
 * classifies it (bounce, delay notice, auto-reply, mailing-list copy, reply), matches it to the
 * Herald message it answers, and acts: a reply is recorded through recordResponse, a bounce
 * fails the message and rejects the address, an out-of-office pauses reminders. Mail that
 * records nothing stays stored and is listed by `herald inbox`; nothing is dropped.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { parseMime, type Envelope } from '../channels/email/inbound/parse-mime.ts';
import {
  claimInbound,
  finishInbound,
  messageById,
  messageByRefs,
  peopleByEmail,
  projectAddresses,
  pauseReminders,
  recordBounce,
  releaseInbound,
  type InboundFinish,
  type InboundVia,
  type MatchedMessage,
} from '../db/repo/inbound-store.ts';
import { classifyMail, type MailKind } from '../domain/inbound/classify.ts';
import type { InboundEmail } from '../domain/inbound/inbound-email.ts';
import { readAnswer } from '../domain/inbound/read-option.ts';
import { baseAddress, quotedMessageIds, replyTokens } from '../domain/inbound/reply-address.ts';
import { replyText } from '../domain/inbound/reply-text.ts';
import { returnDate } from '../domain/inbound/return-date.ts';
import { HeraldError } from '../domain/errors.ts';
import type { CommSpec } from '../domain/plan/model.ts';
import { ResponseRejectedError } from '../domain/response.ts';
import { verifyReplyToken } from '../domain/tokens.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Clock } from './ports.ts';
import { recordResponse } from './record-response.ts';

export interface InboundDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** HERALD_SECRET: verifies the reply token in the plus-addressed Reply-To. */
  secret: string;
  /** PUBLIC_URL: Herald's answer links start with it, so quoted ones mark Herald's own message. */
  publicUrl: string;
}

export interface InboundResult {
  id: string;
  kind: InboundFinish['kind'];
  outcome: InboundFinish['outcome'];
  reason: string;
  /** The mail was stored before (a redelivery): nothing was done again. */
  duplicate: boolean;
}

/** What one delivery of a mail carries besides its bytes. */
export interface InboundSource {
  via: InboundVia;
  envelope?: Envelope;
}

export async function receiveInboundMail(deps: InboundDeps, raw: Buffer, source: InboundSource): Promise<InboundResult> {
  const now = deps.clock.now();
  const mail = await parseMime(raw, source.envelope).catch(() => undefined);
  // mailparser reads anything; a "mail" without a single named header or a From is not one.
  const usable = mail !== undefined && [...mail.headers.keys()].some((k) => k !== '') && mail.from !== undefined;
  const dedupeKey = usable && mail.messageId ? `mid:${mail.messageId}` : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  const claim = await claimInbound(
    deps.prisma,
    { dedupeKey, via: source.via, raw, ...(mail?.from ? { fromAddress: mail.from.address } : {}), ...(mail?.subject ? { subject: mail.subject.slice(0, 500) } : {}) },
    now,
  );
  if (claim.existing) {
    const e = claim.existing;
    return { id: claim.id, kind: e.kind as InboundResult['kind'], outcome: e.outcome as InboundResult['outcome'], reason: e.reason ?? '', duplicate: true };
  }
  try {
    const finish = usable
      ? await handle(deps, mail, dedupeKey, now)
      : { kind: 'unparseable' as const, outcome: 'unparseable' as const, reason: mail && [...mail.headers.keys()].some((k) => k !== '') ? 'it has no From header' : 'no mail headers could be read from it' };
    await finishInbound(deps.prisma, claim.id, finish);
    return { id: claim.id, kind: finish.kind, outcome: finish.outcome, reason: finish.reason, duplicate: false };
  } catch (e) {
    // Give the claim back: the sender retries (SMTP 4xx, webhook 5xx, the next IMAP poll).
    await releaseInbound(deps.prisma, claim.id).catch(() => {});
    throw e;
  }
}

async function handle(deps: InboundDeps, mail: InboundEmail, dedupeKey: string, now: Date): Promise<InboundFinish> {
  const kind = classifyMail(mail);
  switch (kind.kind) {
    case 'bounce':
      return bounce(deps, kind, now);
    case 'delay': {
      const m = await returnedMessage(deps, kind.report);
      const who = kind.report.recipients.map((r) => `${r.address} ${r.action}${r.status ? ` ${r.status}` : ''}`).join(', ');
      return { kind: 'delay', outcome: 'ignored', reason: `delivery notice (${who || 'no recipients named'}): nothing marked failed`, ...placed(m) };
    }
    case 'auto-reply':
      return autoReply(deps, mail, kind, now);
    case 'list': {
      const match = await matchReply(deps, mail, now);
      return { kind: 'list', outcome: 'listed', reason: `mailing-list copy (${kind.reason}): kept, nothing recorded`, ...placed(match.message), projectId: match.message?.projectId ?? (await projectOf(deps, mail)) };
    }
    case 'reply':
      return reply(deps, mail, dedupeKey, now);
  }
}

function placed(m: MatchedMessage | undefined): Partial<InboundFinish> {
  return m ? { projectId: m.projectId, messageId: m.id, personId: m.person.id } : {};
}

async function returnedMessage(deps: InboundDeps, report: Extract<MailKind, { kind: 'bounce' }>['report']): Promise<MatchedMessage | undefined> {
  for (const id of report.heraldMessageIds) {
    const m = await messageById(deps.prisma, id);
    if (m) return m;
  }
  return messageByRefs(deps.prisma, report.originalMessageIds);
}

async function bounce(deps: InboundDeps, kind: Extract<MailKind, { kind: 'bounce' }>, now: Date): Promise<InboundFinish> {
  const m = await returnedMessage(deps, kind.report);
  const addresses = kind.failed.map((r) => r.address).join(', ');
  if (!m) return { kind: 'bounce', outcome: 'unmatched', reason: `bounce for ${addresses}: the returned message is not one Herald sent` };
  // A forged or misdirected report must not reject someone else's address.
  const failed = kind.failed.find((r) => r.address === m.person.email?.toLowerCase());
  if (!failed || m.channel !== 'email') {
    return { kind: 'bounce', outcome: 'unmatched', reason: `bounce for ${addresses}, but message ${m.id} went to ${m.person.email ?? 'no address'}`, ...placed(m) };
  }
  const error = `bounced ${failed.status ?? 'unknown status'}${failed.diagnostic ? `: ${failed.diagnostic}` : ''}`.slice(0, 1000);
  await recordBounce(deps.prisma, { messageId: m.id, personId: m.person.id, error }, now);
  return { kind: 'bounce', outcome: 'bounced', reason: `${failed.address} ${error}; the address is marked rejected`, ...placed(m) };
}

async function autoReply(deps: InboundDeps, mail: InboundEmail, kind: Extract<MailKind, { kind: 'auto-reply' }>, now: Date): Promise<InboundFinish> {
  const match = await matchReply(deps, mail, now);
  const m = match.message;
  const people = m
    ? [{ id: m.person.id, projectId: m.projectId, timezone: m.person.timezone }]
    : mail.from
      ? await peopleByEmail(deps.prisma, mail.from.address)
      : [];
  const base = { kind: 'auto-reply' as const, ...placed(m), ...(!m && people.length === 1 ? { projectId: people[0]!.projectId, personId: people[0]!.id } : {}) };
  if (kind.readReceipt) return { ...base, outcome: 'ignored', reason: kind.reason };
  if (!people.length) return { ...base, outcome: 'unmatched', reason: `auto-reply (${kind.reason}) from ${mail.from?.address ?? 'no sender'} matching no message or person` };
  const back = returnDate(`${mail.subject}\n${mail.text}`, DateTime.fromJSDate(now, { zone: 'utc' }).toISODate()!);
  if (!back) return { ...base, outcome: 'ignored', reason: `auto-reply (${kind.reason}) without a return date` };
  await pauseReminders(
    deps.prisma,
    people.map((p) => ({ personId: p.id, until: DateTime.fromISO(back, { zone: p.timezone }).startOf('day').toJSDate() })),
  );
  return { ...base, outcome: 'paused', reason: `out of office: reminders paused until ${back} (${kind.reason})` };
}

interface ReplyMatch {
  message?: MatchedMessage;
  /** How it matched, or why nothing did. */
  how: string;
}

/** By the signed token in the address replied to, else by the Message-IDs the mail quotes. */
async function matchReply(deps: InboundDeps, mail: InboundEmail, now: Date): Promise<ReplyMatch> {
  let tokenProblem: string | undefined;
  for (const token of replyTokens(mail.recipients)) {
    try {
      const payload = verifyReplyToken(deps.secret, token, Math.floor(now.getTime() / 1000));
      const message = await messageById(deps.prisma, payload.m);
      if (message) return { message, how: 'reply token' };
      tokenProblem = `the reply token names message ${payload.m}, which no longer exists`;
    } catch (e) {
      if (!(e instanceof HeraldError)) throw e;
      // An expired or forged token is no credential; do not fall back to the quoted ids either.
      tokenProblem = e.code === 'TOKEN_EXPIRED' ? 'the reply token has expired' : 'the reply token is not valid';
    }
  }
  if (tokenProblem) return { how: tokenProblem };
  const message = await messageByRefs(deps.prisma, quotedMessageIds(mail));
  return message ? { message, how: 'In-Reply-To/References' } : { how: 'no reply token and no quoted Message-ID of a Herald message' };
}

/** The project whose sender or reply address the mail was sent to, for mail that names no message. */
async function projectOf(deps: InboundDeps, mail: InboundEmail): Promise<string | null> {
  const to = new Set(mail.recipients.map((r) => baseAddress(r)).filter((a): a is string => a !== undefined));
  const hits = (await projectAddresses(deps.prisma)).filter((p) => p.addresses.some((a) => to.has(baseAddress(a) ?? '')));
  return hits.length === 1 ? hits[0]!.projectId : null;
}

async function reply(deps: InboundDeps, mail: InboundEmail, dedupeKey: string, now: Date): Promise<InboundFinish> {
  const match = await matchReply(deps, mail, now);
  const m = match.message;
  if (!m) return { kind: 'reply', outcome: 'unmatched', reason: match.how, projectId: await projectOf(deps, mail) };
  const fromOtherAddress = !!mail.from && mail.from.address !== m.person.email?.toLowerCase();
  const where = { ...placed(m), fromOtherAddress };
  const spec = m.comm.spec as CommSpec;
  if (!spec.survey) return { kind: 'reply', outcome: 'kept', reason: `reply to ${m.comm.key}, which asks nothing: kept for a person to read`, ...where };

  const addresses = (await projectAddresses(deps.prisma)).find((p) => p.projectId === m.projectId)?.addresses ?? [];
  const text = replyText(mail.text, {
    addresses: addresses.map((a) => baseAddress(a)).filter((a): a is string => a !== undefined),
    question: spec.survey.question,
    linkPrefix: `${deps.publicUrl.replace(/\/$/, '')}/r/`,
  });
  const answer = readAnswer(text.text, spec.survey.options);
  if (answer.option === undefined && answer.comment === undefined) {
    return { kind: 'reply', outcome: 'empty', reason: `matched by ${match.how}, but no new text above the quoted message`, ...where };
  }
  try {
    const recorded = await recordResponse(
      { prisma: deps.prisma },
      {
        messageId: m.id,
        option: answer.option ?? null,
        comment: answer.comment ?? null,
        channel: 'email-reply',
        receivedAt: now,
        sourceRef: `mail:${dedupeKey.replace(/^mid:/, '')}`,
        fromOtherAddress,
      },
    );
    const said = answer.option === undefined ? 'a comment without an option' : `option ${answer.option}`;
    return {
      kind: 'reply',
      outcome: 'recorded',
      reason: `${said} (${recorded.kind}), matched by ${match.how}${fromOtherAddress ? `, sent from ${mail.from?.address} rather than ${m.person.email ?? 'the person’s address'}` : ''}${text.truncated ? '; the reply was cut to its first 16,000 characters' : ''}`,
      ...where,
      responseId: recorded.response.id,
      option: answer.option ?? null,
      comment: answer.comment ?? null,
    };
  } catch (e) {
    if (!(e instanceof ResponseRejectedError)) throw e;
    return { kind: 'reply', outcome: 'kept', reason: `matched by ${match.how}, not recorded: ${e.message}`, ...where, option: answer.option ?? null, comment: answer.comment ?? null };
  }
}
