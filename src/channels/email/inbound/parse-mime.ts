import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { InboundEmail, InboundPart } from '../../../domain/inbound/inbound-email.ts';

/**
 * Raw MIME → the pure core's InboundEmail, through mailparser. `keepDeliveryStatus` keeps a
 * bounce's `message/delivery-status` part as a part instead of folding it into the text.
 */

/** Parts the classifier reads; everything else (images, documents) is left out. */
const REPORT_PARTS = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'message/disposition-notification',
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/global-headers',
]);

/** mailparser's own limit on one part is far above this; a returned message needs only its headers. */
const MAX_PART_TEXT = 256 * 1024;

export interface Envelope {
  mailFrom?: string;
  rcptTo: string[];
}

function addresses(v: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(v) ? v : v ? [v] : [])
    .flatMap((a) => a.value.flatMap((x) => [x.address ?? '', ...(x.group ?? []).map((g) => g.address ?? '')]))
    .filter(Boolean);
}

function headerMap(parsed: ParsedMail): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const h of parsed.headerLines) {
    const value = h.line
      .slice(h.line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    const list = map.get(h.key) ?? [];
    list.push(value);
    map.set(h.key, list);
  }
  return map;
}

function contentType(parsed: ParsedMail): { type: string; reportType?: string } {
  const ct = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | string | undefined;
  if (!ct) return { type: 'text/plain' };
  if (typeof ct === 'string') return { type: ct.split(';')[0]!.trim().toLowerCase() };
  const reportType = ct.params?.['report-type']?.toLowerCase();
  return { type: (ct.value ?? 'text/plain').toLowerCase(), reportType };
}

function idList(v: string | string[] | undefined): string[] {
  return (Array.isArray(v) ? v : v ? [v] : []).flatMap((x) => x.match(/<[^<>\s]+>/g) ?? (x.trim() ? [`<${x.trim().replace(/^<|>$/g, '')}>`] : []));
}

export async function parseMime(raw: Buffer, envelope?: Envelope): Promise<InboundEmail> {
  const parsed = await simpleParser(raw, { keepDeliveryStatus: true, skipImageLinks: true, skipHtmlToText: false });
  const headers = headerMap(parsed);
  const { type, reportType } = contentType(parsed);
  const parts: InboundPart[] = parsed.attachments
    .filter((a) => REPORT_PARTS.has(a.contentType.toLowerCase()))
    .map((a) => ({ contentType: a.contentType.toLowerCase(), content: a.content.subarray(0, MAX_PART_TEXT).toString('utf8') }));
  const recipients = new Set(
    [
      ...addresses(parsed.to),
      ...addresses(parsed.cc),
      ...(envelope?.rcptTo ?? []),
      ...(headers.get('delivered-to') ?? []),
      ...(headers.get('x-original-to') ?? []),
    ].map((a) => a.trim().replace(/^<|>$/g, '').toLowerCase()),
  );
  const fromValue = parsed.from?.value[0];
  const inReplyTo = parsed.inReplyTo ? idList(parsed.inReplyTo)[0] : undefined;
  return {
    ...(parsed.messageId ? { messageId: idList(parsed.messageId)[0] ?? parsed.messageId } : {}),
    inReplyTo,
    references: idList(parsed.references),
    ...(fromValue?.address ? { from: { address: fromValue.address.toLowerCase(), ...(fromValue.name ? { name: fromValue.name } : {}) } } : {}),
    recipients: [...recipients].filter(Boolean),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    contentType: type,
    reportType: reportType || undefined,
    headers,
    parts,
    date: parsed.date,
  };
}
