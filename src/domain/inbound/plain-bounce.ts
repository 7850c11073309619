import type { DeliveryReport, DsnRecipient } from './dsn.ts';
import { header, type InboundEmail } from './inbound-email.ts';

/**
 * Bounces that are not RFC 3464 reports: qmail's "Hi. This is the qmail-send program…", and the
 * plain-text notices of Exim, Postfix, Sendmail, Lotus and others when they are configured (or
 * too old) to send no `message/delivery-status` part. They come from a mailer daemon or the
 * postmaster, or say so in their first lines; read as replies they would record an MTA's words as
 * someone's answer.
 */

const DAEMON_LOCAL = /^(mailer-daemon|mailer_daemon|mail-daemon|maildaemon|postmaster|mdaemon|bounces?|nobody|double-bounce)$/i;
const DAEMON_NAME = /\b(mail delivery (subsystem|system|service)|mailer[- ]daemon|postmaster|e-?mail delivery system|mail administrator)\b/i;
/** Phrases of the first lines of a plain-text failure notice, from the MTAs' own sources and manuals. */
const FAILURE_TEXT = [
  /this is the qmail-send program/i,
  /i'm afraid i wasn't able to deliver your message/i,
  /this is a permanent error/i,
  /delivery to the following recipients? (failed|has failed)/i,
  /could not be delivered to one or more (of its )?recipients/i,
  /the following (address(\(es\))?|recipients?)( had permanent fatal errors| failed)/i,
  /message (could not|was not|wasn't) (be )?delivered/i,
  /unable to deliver (your )?message/i,
  /returned mail: see transcript/i,
  /undeliverable|undelivered mail|delivery (status notification|failure)|failure notice|returned mail|mail delivery failed/i,
  /unzustellbar|nicht zugestellt|unzustellbare|konnte nicht zugestellt werden/i,
  /non remis|impossible de remettre|n'a pas pu être remis/i,
];
const DELAY_TEXT = /\b(delayed|not yet been delivered|hasn't been delivered yet|will (continue|keep) (to )?(try|attempt)|still trying|verzögert|retardée?)\b/i;
const SUBJECT = new RegExp(
  String.raw`^\s*(failure notice|undeliverable|undelivered mail|returned mail|mail delivery (failed|failure` +
    '|system)|delivery (status notification|failure|failed|delayed|has failed)' +
    '|warning: could not send message|unzustellbar|nicht zustellbar|non remis' +
    '|message not delivered)',
  'i',
);

export function fromDaemon(mail: Pick<InboundEmail, 'from' | 'headers'>): boolean {
  const address = mail.from?.address ?? '';
  const local = address.slice(0, address.lastIndexOf('@') < 0 ? address.length : address.lastIndexOf('@'));
  if (DAEMON_LOCAL.test(local) || DAEMON_NAME.test(mail.from?.name ?? '')) return true;
  // The final MTA writes the empty envelope sender of a bounce as `Return-Path: <>`.
  return header(mail, 'return-path')?.replace(/\s/g, '') === '<>';
}

export type PlainBounce = { delay: boolean; report: DeliveryReport };

/** A plain-text bounce or delay notice, or undefined. Only the first 8,000 characters are read. */
export function detectPlainBounce(mail: Pick<InboundEmail, 'from' | 'headers' | 'subject' | 'text'>): PlainBounce | undefined {
  const text = mail.text.slice(0, 8_000);
  const head = text.slice(0, 1_500);
  const qmail = /^\s*hi\. this is the qmail-send program/i.test(text);
  const daemon = fromDaemon(mail);
  const says = SUBJECT.test(mail.subject) || FAILURE_TEXT.some((re) => re.test(head));
  if (!qmail && !(daemon && says)) return undefined;
  return { delay: !qmail && DELAY_TEXT.test(`${mail.subject}\n${head}`) && !/permanent|fatal|failed/i.test(head), report: readPlainReport(text) };
}

/** Recipients and status codes as qmail (`<a@b>:` then the reason), Postfix and Exim (indented address, then the reason) write them. */
function readPlainReport(text: string): DeliveryReport {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const recipients: DsnRecipient[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length && recipients.length < 50; i++) {
    const line = lines[i]!;
    if (/^-{2,}\s*(below this line|original message|the original message|this is a copy)/i.test(line.trim())) break;
    const m = /^\s*<([^<>\s@]+@[^<>\s@]+)>:?\s*(.*)$/.exec(line) ?? /^\s{2,}([^<>\s@:]+@[^<>\s@:]+)\s*$/.exec(line);
    if (!m) continue;
    const address = m[1]!.toLowerCase();
    if (seen.has(address)) continue;
    seen.add(address);
    // The reason follows until a blank line (qmail unindented, Postfix and Exim indented) or the next recipient.
    const after: string[] = [];
    for (const next of lines.slice(i + 1, i + 6)) {
      if (!next.trim() || /^\s*<[^<>\s@]+@[^<>\s@]+>:/.test(next)) break;
      after.push(next);
    }
    const reason = [m[2] ?? '', ...after].join(' ').replace(/\s+/g, ' ').trim();
    const status = /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(reason)?.[0];
    recipients.push({ address, action: 'failed', status, diagnostic: reason.slice(0, 500) || undefined });
  }
  const copy = /^(?:return-path|message-id|x-herald-message-id):.*$/gim;
  const originalMessageIds: string[] = [];
  const heraldMessageIds: string[] = [];
  const returnPaths: string[] = [];
  for (const m of text.slice(0, 64_000).matchAll(copy)) {
    const [name, ...rest] = m[0].split(':');
    const value = rest.join(':').trim();
    const n = name!.toLowerCase();
    if (n === 'message-id') originalMessageIds.push(...(value.match(/<[^<>\s]+>/g) ?? []));
    else if (n === 'x-herald-message-id' && value) heraldMessageIds.push(value);
    else if (n === 'return-path') returnPaths.push(...[...value.matchAll(/<?([^<>\s]+@[^<>\s]+)>?/g)].map((x) => x[1]!.toLowerCase()));
  }
  return { recipients, originalMessageIds, heraldMessageIds, returnPaths };
}
