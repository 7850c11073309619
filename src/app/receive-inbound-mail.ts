/**
 * Receive inbound mail: the one use case the SMTP listener, the IMAP poller and the webhook
 * all call with raw MIME. It stores the mail first (once, however often it is delivered), then
 * classifies it (bounce, delay notice, auto-reply, mailing-list copy, reply), matches it to the
 * Herald message it answers, and acts: a reply is recorded through recordResponse, a bounce
 * fails the message and rejects the address, an out-of-office pauses reminders. Mail that
 * records nothing stays stored and is listed by `herald inbox`; nothing is dropped.
 *
 * Inbound mail is unauthenticated: anyone can send anything to the reply address, with any From
 * and any In-Reply-To. So only a signed token acts: the reply token in the Reply-To records an
 * answer (or pauses reminders), the bounce token in the return path (VERP) fails a send. What
 * anyone can copy (a quoted Message-ID, a returned message's headers, an expired token) only
 * places the mail in a project's inbox for a person to look at.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { parseMime, type Envelope } from '../channels/email/inbound/parse-mime.ts';
import { classifyMail, type MailKind } from '../domain/inbound/classify.ts';
import type { DeliveryReport } from '../domain/inbound/dsn.ts';
import type { InboundEmail } from '../domain/inbound/inbound-email.ts';
import { readAnswer } from '../domain/inbound/read-option.ts';
import { baseAddress, bounceTokens, quotedMessageIds, replyTokens } from '../domain/inbound/reply-address.ts';
import { replyText } from '../domain/inbound/reply-text.ts';
import { returnDate } from '../domain/inbound/return-date.ts';
import { HeraldError } from '../domain/errors.ts';
import { ResponseRejectedError } from '../domain/response.ts';
import { bounceTokenMessage, verifyBounceToken, verifyReplyToken } from '../domain/tokens.ts';
import { dmarcPassFor } from '../domain/inbound/authentication-results.ts';
import type { Clock, InboundFinish, InboundVia, MatchedMessage, StoreDeps } from './ports.ts';
import type { PlanCache } from './plan-cache.ts';
import { recordResponse } from './record-response.ts';

export interface InboundDeps extends StoreDeps {
  clock: Clock;
  /** HERALD_SECRET: verifies the reply token in the plus-addressed Reply-To. */
  secret: string;
  /** PUBLIC_URL: Herald's answer links start with it, so quoted ones mark Herald's own message. */
  publicUrl: string;
  /**
   * INBOUND_TRUSTED_AUTHSERV_IDS (opt-in, empty = off): a reply matched only by a quoted Message-ID
   * counts when the topmost Authentication-Results of one of these ids shows DMARC pass for the
   * person's own address. Never for mail taken by the SMTP listener, where anyone writes the headers.
   */
  trustedAuthservIds?: readonly string[];
  /** The process's plan cache, for the follow-ups of an escalating answer. */
  plans?: PlanCache | undefined;
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
  const claim = await deps.stores.inbound.claim(
    {
      dedupeKey,
      via: source.via,
      raw,
      fromAddress: mail?.from?.address,
      subject: mail?.subject ? mail.subject.slice(0, 500) : undefined,
    },
    now,
  );
  if (claim.existing) {
    const e = claim.existing;
    return { id: claim.id, kind: e.kind as InboundResult['kind'], outcome: e.outcome as InboundResult['outcome'], reason: e.reason ?? '', duplicate: true };
  }
  try {
    const finish = usable
      ? await handle(deps, mail, dedupeKey, now, source.via)
      : {
          kind: 'unparseable' as const,
          outcome: 'unparseable' as const,
          reason: mail && [...mail.headers.keys()].some((k) => k !== '') ? 'it has no From header' : 'no mail headers could be read from it',
        };
    await deps.stores.inbound.finish(claim.id, finish);
    return { id: claim.id, kind: finish.kind, outcome: finish.outcome, reason: finish.reason, duplicate: false };
  } catch (e) {
    // Give the claim back: the sender retries (SMTP 4xx, webhook 5xx, the next IMAP poll).
    await deps.stores.inbound.release(claim.id).catch(() => {});
    throw e;
  }
}

async function handle(deps: InboundDeps, mail: InboundEmail, dedupeKey: string, now: Date, via: InboundVia): Promise<InboundFinish> {
  const kind = classifyMail(mail);
  switch (kind.kind) {
    case 'bounce':
      return bounce(deps, mail, kind);
    case 'delay': {
      const { message, hint } = await bounceCredential(deps, mail, kind.report);
      const who = kind.report.recipients.map((r) => `${r.address} ${r.action}${r.status ? ` ${r.status}` : ''}`).join(', ');
      return {
        kind: 'delay',
        outcome: 'ignored',
        reason: `delivery notice (${who || 'no recipients named'}): nothing marked failed`,
        ...placed(message ?? hint),
      };
    }
    case 'auto-reply':
      return autoReply(deps, mail, kind, now);
    case 'list': {
      const match = await replyCredential(deps, mail, now);
      const m = match.message ?? match.hint;
      return {
        kind: 'list',
        outcome: 'listed',
        reason: `mailing-list copy (${kind.reason}): kept, nothing recorded`,
        ...placed(m),
        projectId: m?.projectId ?? (await projectOf(deps, mail)),
      };
    }
    case 'reply':
      return reply(deps, mail, dedupeKey, now, via);
  }
}

function placed(m: MatchedMessage | undefined): Partial<InboundFinish> {
  return m ? { projectId: m.projectId, messageId: m.id, personId: m.person.id } : {};
}

/**
 * What a mail proves. `message` is set only by a valid signed token, the one credential; `hint`
 * is a message named by what anyone can copy (a quoted Message-ID, an expired token, a returned
 * message's headers): it places the mail in that project's inbox and acts on nothing.
 */
interface Credential {
  message?: MatchedMessage;
  hint?: MatchedMessage;
  /** How it matched, or why nothing did. */
  how: string;
}

/** The reply token in the address replied to; else, as a hint only, the Message-IDs the mail quotes. */
async function replyCredential(deps: InboundDeps, mail: InboundEmail, now: Date): Promise<Credential> {
  let tokenProblem: string | undefined;
  let hint: MatchedMessage | undefined;
  for (const token of replyTokens(mail.recipients).slice(0, 10)) {
    try {
      const payload = verifyReplyToken(deps.secret, token, Math.floor(now.getTime() / 1000));
      const message = await deps.stores.inbound.messageById(payload.m);
      if (message) return { message, how: 'reply token' };
      tokenProblem = `the reply token names message ${payload.m}, which no longer exists`;
    } catch (e) {
      if (!(e instanceof HeraldError)) throw e;
      if (e.code === 'TOKEN_EXPIRED') {
        // Signed by Herald but too old to answer with: it still says which project the mail is for.
        hint ??= await deps.stores.inbound.messageById(verifyReplyToken(deps.secret, token, 0).m);
        tokenProblem = 'the reply token has expired';
      } else tokenProblem ??= 'the reply token is not valid';
    }
  }
  const quoted = hint ? undefined : await deps.stores.inbound.messageByRefs(quotedMessageIds(mail).slice(0, 50));
  if (quoted) {
    const why = tokenProblem ? `${tokenProblem}; ` : 'no signed reply token; ';
    return { hint: quoted, how: `${why}it names a Herald message only by a quoted Message-ID (In-Reply-To/References), which anyone can copy` };
  }
  return { hint, how: tokenProblem ?? 'no reply token and no quoted Message-ID of a Herald message' };
}

/**
 * The signed return path (VERP) a bounce came back to: the envelope recipient, Delivered-To,
 * X-Original-To or To of the report, or the Return-Path of the returned message where the report
 * quotes it. The token is checked against the address the message was sent to.
 */
async function bounceCredential(deps: InboundDeps, mail: InboundEmail, report: DeliveryReport): Promise<Credential> {
  let problem = 'it did not come back to a return path Herald signed (VERP) for that message and recipient';
  for (const token of bounceTokens([...mail.recipients, ...report.returnPaths]).slice(0, 10)) {
    let id: string;
    try {
      id = bounceTokenMessage(token);
    } catch (e) {
      if (e instanceof HeraldError) continue;
      throw e;
    }
    const message = await deps.stores.inbound.messageById(id);
    if (!message?.person.email) continue;
    try {
      verifyBounceToken(deps.secret, token, message.person.email);
      return { message, how: 'signed return path' };
    } catch (e) {
      if (!(e instanceof HeraldError)) throw e;
      problem = `its return path token does not match message ${message.id} and its recipient`;
    }
  }
  return { ...(await returnedMessageHint(deps, report)), how: problem };
}

async function returnedMessageHint(deps: InboundDeps, report: DeliveryReport): Promise<{ hint?: MatchedMessage }> {
  for (const id of report.heraldMessageIds.slice(0, 10)) {
    const m = await deps.stores.inbound.messageById(id);
    if (m) return { hint: m };
  }
  const m = await deps.stores.inbound.messageByRefs(report.originalMessageIds.slice(0, 50));
  return { hint: m };
}

async function bounce(deps: InboundDeps, mail: InboundEmail, kind: Extract<MailKind, { kind: 'bounce' }>): Promise<InboundFinish> {
  const { message: m, hint, how } = await bounceCredential(deps, mail, kind.report);
  const addresses = kind.failed.map((r) => r.address).join(', ') || 'an unnamed recipient';
  if (!m || m.channel !== 'email' || !m.person.email) {
    // A delivery report anyone can write must not fail a send or reject someone's address.
    return { kind: 'bounce', outcome: 'unmatched', reason: `bounce for ${addresses}, but ${how}: nothing marked failed`, ...placed(hint) };
  }
  const email = m.person.email.toLowerCase();
  // The token names the message and its recipient; a report naming another address is a forwarding mailbox's.
  const failed = kind.failed.find((r) => r.address === email) ?? kind.failed[0];
  const error = `bounced ${failed?.status ?? 'unknown status'}${failed?.diagnostic ? `: ${failed.diagnostic}` : ''}`.slice(0, 1000);
  await deps.stores.inbound.recordBounce({ messageId: m.id, personId: m.person.id, error }, deps.clock.now());
  return { kind: 'bounce', outcome: 'bounced', reason: `${email} ${error} (matched by its ${how}); the address is marked rejected`, ...placed(m) };
}

/** An auto-reply to a signed Reply-To or return path names its person; nothing else may pause anyone. */
async function autoReply(deps: InboundDeps, mail: InboundEmail, kind: Extract<MailKind, { kind: 'auto-reply' }>, now: Date): Promise<InboundFinish> {
  let cred = await replyCredential(deps, mail, now);
  if (!cred.message) {
    const viaReturnPath = await bounceCredential(deps, mail, { recipients: [], originalMessageIds: [], heraldMessageIds: [], returnPaths: [] });
    if (viaReturnPath.message) cred = viaReturnPath;
  }
  const m = cred.message;
  const base = { kind: 'auto-reply' as const, ...placed(m ?? cred.hint) };
  if (kind.readReceipt) return { ...base, outcome: 'ignored', reason: kind.reason };
  if (!m)
    return {
      ...base,
      outcome: cred.hint ? 'ignored' : 'unmatched',
      reason: `auto-reply (${kind.reason}) from ${mail.from?.address ?? 'no sender'}: ${cred.how}, so no reminders were paused`,
    };
  const back = returnDate(`${mail.subject}\n${mail.text}`, DateTime.fromJSDate(now, { zone: 'utc' }).toISODate()!);
  if (!back) return { ...base, outcome: 'ignored', reason: `auto-reply (${kind.reason}) without a return date` };
  await deps.stores.inbound.pauseReminders([{ personId: m.person.id, until: DateTime.fromISO(back, { zone: m.person.timezone }).startOf('day').toJSDate() }]);
  return { ...base, outcome: 'paused', reason: `out of office: reminders paused until ${back} (${kind.reason}; matched by its ${cred.how})` };
}

/** The project whose sender or reply address the mail was sent to, for mail that names no message. */
async function projectOf(deps: InboundDeps, mail: InboundEmail): Promise<string | null> {
  const to = new Set(mail.recipients.map((r) => baseAddress(r)).filter((a): a is string => a !== undefined));
  const hits = (await deps.stores.inbound.projectAddresses()).filter((p) => p.addresses.some((a) => to.has(baseAddress(a) ?? '')));
  return hits.length === 1 ? hits[0]!.projectId : null;
}

/** The person's words and the option they name, read against the survey of message `m`; undefined when it asks nothing. */
async function readReply(
  deps: InboundDeps,
  mail: InboundEmail,
  m: MatchedMessage,
): Promise<{ answer: ReturnType<typeof readAnswer>; truncated: boolean } | undefined> {
  const spec = m.comm.spec;
  if (!spec.survey) return undefined;
  const addresses = (await deps.stores.inbound.projectAddresses()).find((p) => p.projectId === m.projectId)?.addresses ?? [];
  const text = replyText(mail.text, {
    addresses: addresses.map((a) => baseAddress(a)).filter((a): a is string => a !== undefined),
    question: spec.survey.question,
    linkPrefix: `${deps.publicUrl.replace(/\/$/, '')}/r/`,
  });
  return { answer: readAnswer(text.text, spec.survey.options), truncated: text.truncated };
}

async function reply(deps: InboundDeps, mail: InboundEmail, dedupeKey: string, now: Date, via: InboundVia): Promise<InboundFinish> {
  const match = await replyCredential(deps, mail, now);
  let m = match.message;
  let how = match.how;
  // Opt-in: the receiving provider vouches (DMARC pass) that the person's own address sent it.
  if (!m && match.hint?.person.email && via !== 'smtp' && dmarcPassFor(mail, deps.trustedAuthservIds ?? [], match.hint.person.email)) {
    m = match.hint;
    how = 'a quoted Message-ID, sent with DMARC pass from the person’s own address (trusted Authentication-Results)';
  }
  if (!m) {
    const hint = match.hint;
    if (!hint) return { kind: 'reply', outcome: 'unmatched', reason: how, projectId: await projectOf(deps, mail) };
    // Shown in the inbox with what it seems to say, for a person to assign; it records nothing and flags nothing.
    const read = await readReply(deps, mail, hint);
    return {
      kind: 'reply',
      outcome: 'unmatched',
      reason: `${how}: not recorded; it seems to answer ${hint.comm.key} for ${hint.person.key}, for a person to assign`,
      ...placed(hint),
      option: read?.answer.option ?? null,
      comment: read?.answer.comment ?? null,
    };
  }
  const fromOtherAddress = !!mail.from && mail.from.address !== m.person.email?.toLowerCase();
  const where = { ...placed(m), fromOtherAddress };
  const read = await readReply(deps, mail, m);
  if (!read) return { kind: 'reply', outcome: 'kept', reason: `reply to ${m.comm.key}, which asks nothing: kept for a person to read`, ...where };
  const { answer } = read;
  if (answer.option === undefined && answer.comment === undefined) {
    return { kind: 'reply', outcome: 'empty', reason: `matched by ${how}, but no new text above the quoted message`, ...where };
  }
  try {
    const recorded = await recordResponse(
      { stores: deps.stores, clock: deps.clock, plans: deps.plans },
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
      reason:
        `${said} (${recorded.kind}), matched by ${how}` +
        `${fromOtherAddress ? `, sent from ${mail.from?.address} rather than ${m.person.email ?? 'the person’s address'}` : ''}` +
        `${read.truncated ? '; the reply was cut to its first 16,000 characters' : ''}`,
      ...where,
      responseId: recorded.response.id,
      option: answer.option ?? null,
      comment: answer.comment ?? null,
    };
  } catch (e) {
    if (!(e instanceof ResponseRejectedError)) throw e;
    return {
      kind: 'reply',
      outcome: 'kept',
      reason: `matched by ${how}, not recorded: ${e.message}`,
      ...where,
      option: answer.option ?? null,
      comment: answer.comment ?? null,
    };
  }
}
