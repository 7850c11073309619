import { randomBytes } from 'node:crypto';
import { domainToASCII } from 'node:url';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWord, encodeWords, foldLines, isPlainText, quoteString } from 'nodemailer/lib/mime-funcs';
import { HeraldError } from '../../domain/errors.ts';

export interface MimeAddress {
  name?: string;
  address: string;
}

export interface MimeMessage {
  /** An address string (`Herald <herald@x>`, `pm@x`) or a parsed one. */
  from: string | MimeAddress;
  to: MimeAddress;
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  /** `<id@domain>` */
  messageId: string;
  /** Extra headers, values already in their wire form (ASCII). */
  headers: Readonly<Record<string, string>>;
  date?: Date;
  /** The SMTP envelope sender (MAIL FROM), when it is not the From address: Herald's signed bounce address. */
  returnPath?: string;
}

export interface ComposedMime {
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

/**
 * Builds the whole RFC 5322 message in one pass, into one buffer. nodemailer's own pipeline
 * builds a MIME tree and streams every message through several encoders; at hundreds of
 * messages a second that was the e-mail path's largest CPU cost. Bodies that are ASCII with
 * short lines go as 7bit (no encoding at all), anything else as base64 (native code).
 * Header words use nodemailer's own RFC 2047 encoders.
 */
/*
 * A boundary must not occur in the parts: a random per-process prefix and a counter make it as
 * unlikely as fresh random bytes did, without asking the CSPRNG per message (randomBytes was a
 * sixth of composing one; bench:delivery throughput).
 */
const BOUNDARY_PREFIX = `=_herald_${randomBytes(8).toString('hex')}_`;
let boundaries = 0;
const nextBoundary = (): string => `${BOUNDARY_PREFIX}${(boundaries++).toString(36)}`;

/** A project's sender address is the same for thousands of messages: parsed once. */
const senders = new Map<string, MimeAddress>();
function senderAddress(from: string): MimeAddress {
  let a = senders.get(from);
  if (!a) {
    if (senders.size >= 1_000) senders.clear();
    senders.set(from, (a = parseAddress(from)));
  }
  return a;
}

export function composeMime(m: MimeMessage, boundary = nextBoundary()): ComposedMime {
  // Address lists are refused before parsing too: addressparser would quietly read around a break.
  if (typeof m.from === 'string') refuseBreaks(m.from, 'From');
  if (m.replyTo !== undefined) refuseBreaks(m.replyTo, 'Reply-To');
  const from = typeof m.from === 'string' ? senderAddress(m.from) : m.from;
  const lines = [
    `From: ${formatAddress(from, 'From')}`,
    `To: ${formatAddress(m.to, 'To')}`,
    ...(m.replyTo
      ? [
          `Reply-To: ${parseAddresses(m.replyTo)
            .map((a) => formatAddress(a, 'Reply-To'))
            .join(', ')}`,
        ]
      : []),
    foldLines(`Subject: ${headerText(m.subject, 'Subject')}`, 76),
    `Message-ID: ${wireValue(m.messageId, 'Message-ID')}`,
    `Date: ${(m.date ?? new Date()).toUTCString().replace(/GMT/, '+0000')}`,
    'MIME-Version: 1.0',
  ];
  for (const [k, v] of Object.entries(m.headers)) lines.push(`${wireValue(k, 'header name', /^[!-9;-~]+$/)}: ${wireValue(v, k)}`);
  let body: string;
  if (m.html === undefined) {
    const text = part(m.text, 'text/plain');
    lines.push(text.headers);
    body = text.body;
  } else {
    const text = part(m.text, 'text/plain');
    const html = part(m.html, 'text/html');
    lines.push(`Content-Type: multipart/alternative; boundary="${boundary}"`);
    body = `--${boundary}\r\n${text.headers}\r\n\r\n${text.body}\r\n--${boundary}\r\n${html.headers}\r\n\r\n${html.body}\r\n--${boundary}--\r\n`;
  }
  return {
    envelope: { from: envelopeAddress(m.returnPath ?? from.address), to: [envelopeAddress(m.to.address)] },
    raw: Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8'),
  };
}

/** 7bit if every line is short ASCII, else base64 wrapped at 76 columns (RFC 2045). */
function part(content: string, type: string): { headers: string; body: string } {
  const crlf = content.replace(/\r?\n/g, '\r\n');
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(crlf) && !crlf.split('\r\n').some((l) => l.length > 998)) {
    return { headers: `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: 7bit`, body: crlf };
  }
  const b64 = Buffer.from(content, 'utf8').toString('base64');
  const wrapped: string[] = [];
  for (let i = 0; i < b64.length; i += 76) wrapped.push(b64.slice(i, i + 76));
  return { headers: `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64`, body: wrapped.join('\r\n') };
}

function parseAddresses(s: string): MimeAddress[] {
  const list = addressparser(s, { flatten: true }).filter((a) => a.address);
  if (list.length === 0) return [{ address: s.trim() }];
  return list.map((a) => (a.name ? { name: a.name, address: a.address } : { address: a.address }));
}

function parseAddress(s: string): MimeAddress {
  return parseAddresses(s)[0]!;
}

function formatAddress(a: MimeAddress, header: string): string {
  const address = wireValue(a.address, header, /^[^\s<>,;"]+$/);
  if (!a.name) return address;
  refuseBreaks(a.name, header);
  const name = isPlainText(a.name) ? quoteString(a.name) : encodeWord(a.name, 'Q', 52);
  return `${name} <${address}>`;
}

/** Raised for a header value that would end its header early; the message cannot be sent as is. */
export class MailHeaderError extends HeraldError {
  constructor(header: string, why: string) {
    super('MAIL_HEADER_INVALID', `the ${header} header ${why}; the value was refused so it cannot add headers of its own`, { retryable: false });
  }
}

// eslint-disable-next-line no-control-regex
const BREAKS = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/;

/**
 * Every header value Herald writes passes here or through wireValue. nodemailer's isPlainText
 * counts CR and LF as plain, so a name or subject holding them would be written raw and could add
 * headers (Bcc:) or a body: they are refused, never "cleaned" into something else.
 */
function refuseBreaks(value: string, header: string): void {
  if (BREAKS.test(value)) throw new MailHeaderError(header, 'contains a line break or control character');
}

/** A free-text header value (Subject): RFC 2047-encoded when not plain ASCII. */
function headerText(value: string, header: string): string {
  refuseBreaks(value, header);
  return isPlainText(value) ? value : encodeWords(value, 'Q', 52);
}

/** A header value that must already be in wire form (ASCII, no line break), optionally of a given shape. */
function wireValue(value: string, header: string, shape: RegExp = /^[\t\x20-\x7e]*$/): string {
  refuseBreaks(value, header);
  if (!shape.test(value)) throw new MailHeaderError(header, 'is not in its expected form (ASCII, no spaces or brackets where an address goes)');
  return value;
}

/** The SMTP envelope wants the bare address, its domain in ASCII (punycode). */
function envelopeAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const domain = address.slice(at + 1);
  return isPlainText(domain) ? address : `${address.slice(0, at + 1)}${domainToASCII(domain) || domain}`;
}
