import type { InboundEmail } from './inbound-email.ts';

/**
 * Delivery status notifications (RFC 3464): `multipart/report; report-type=delivery-status`
 * with a `message/delivery-status` part, and usually the returned message or its headers.
 */
export type DsnAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

export interface DsnRecipient {
  /** Final-Recipient (or Original-Recipient) address, lower case. */
  address: string;
  action: DsnAction | 'unknown';
  /** Enhanced status code, e.g. `5.1.1`. */
  status?: string;
  /** Diagnostic-Code without its type, e.g. `550 5.1.1 user unknown`. */
  diagnostic?: string;
}

export interface DeliveryReport {
  recipients: DsnRecipient[];
  /** Message-IDs of the returned message (its Message-ID and X-Herald-Message-Id). */
  originalMessageIds: string[];
  /** Herald message ids named by the returned message's X-Herald-Message-Id header. */
  heraldMessageIds: string[];
  /** Return-Path of the returned message, where the report quotes it: Herald's signed bounce address. */
  returnPaths: string[];
}

/** Parses `Name: value` blocks separated by blank lines, folding continuation lines. */
function fieldBlocks(text: string): Array<Map<string, string>> {
  const blocks: Array<Map<string, string>> = [];
  let current = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      if (current.size) blocks.push(current);
      current = new Map();
      last = undefined;
      continue;
    }
    if (/^[ \t]/.test(line) && last) {
      current.set(last, `${current.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    if (!current.has(last)) current.set(last, line.slice(colon + 1).trim());
  }
  if (current.size) blocks.push(current);
  return blocks;
}

/** `rfc822; Bea <bea@x>` → `bea@x`. */
function addressOf(field: string | undefined): string | undefined {
  if (!field) return undefined;
  const value = field.includes(';') ? field.slice(field.indexOf(';') + 1) : field;
  const angle = /<([^<>]+)>/.exec(value);
  const address = (angle?.[1] ?? value).trim().toLowerCase();
  return address.includes('@') ? address : undefined;
}

const ACTIONS = new Set<string>(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);

/** The header section of a returned message (`message/rfc822` or `text/rfc822-headers`). */
export function returnedHeaderIds(content: string): { messageIds: string[]; heraldIds: string[]; returnPaths: string[] } {
  const head = content.replace(/\r\n?/g, '\n').split(/\n\n/, 1)[0] ?? '';
  const fields = fieldBlocks(head)[0] ?? new Map<string, string>();
  const messageIds = [...(fields.get('message-id') ?? '').matchAll(/<[^<>\s]+>/g)].map((m) => m[0]);
  const herald = fields.get('x-herald-message-id')?.trim();
  const returnPath = /<?([^<>\s]+@[^<>\s]+)>?/.exec(fields.get('return-path') ?? '')?.[1]?.toLowerCase();
  return { messageIds, heraldIds: herald ? [herald] : [], returnPaths: returnPath ? [returnPath] : [] };
}

export function isDeliveryReport(mail: Pick<InboundEmail, 'contentType' | 'reportType' | 'parts'>): boolean {
  return (
    (mail.contentType === 'multipart/report' && mail.reportType === 'delivery-status') || mail.parts.some((p) => p.contentType === 'message/delivery-status')
  );
}

/** Reads the recipients and the returned message's ids out of a DSN. */
export function parseDeliveryReport(mail: Pick<InboundEmail, 'parts'>): DeliveryReport {
  const recipients: DsnRecipient[] = [];
  const originalMessageIds: string[] = [];
  const heraldMessageIds: string[] = [];
  const returnPaths: string[] = [];
  for (const part of mail.parts) {
    if (part.contentType === 'message/delivery-status' || part.contentType === 'message/global-delivery-status') {
      // The first block is about the message; each later one is one recipient.
      for (const block of fieldBlocks(part.content)) {
        const address = addressOf(block.get('final-recipient')) ?? addressOf(block.get('original-recipient'));
        if (!address) continue;
        const action = (block.get('action') ?? '').toLowerCase().split(/[\s(]/)[0] ?? '';
        const status = /\d\.\d{1,3}\.\d{1,3}/.exec(block.get('status') ?? '')?.[0];
        const diag = block.get('diagnostic-code');
        recipients.push({
          address,
          action: ACTIONS.has(action) ? (action as DsnAction) : 'unknown',
          status,
          diagnostic: diag ? (diag.includes(';') ? diag.slice(diag.indexOf(';') + 1) : diag).trim() : undefined,
        });
      }
    } else if (part.contentType === 'message/rfc822' || part.contentType === 'text/rfc822-headers' || part.contentType === 'message/global-headers') {
      const ids = returnedHeaderIds(part.content);
      originalMessageIds.push(...ids.messageIds);
      heraldMessageIds.push(...ids.heraldIds);
      returnPaths.push(...ids.returnPaths);
    }
  }
  return { recipients, originalMessageIds, heraldMessageIds, returnPaths };
}

/**
 * A permanent failure: `Action: failed` (any status), or a 5.x.x status. A report whose
 * recipients are all `delayed` (or delivered) is only a notice.
 */
export function failedRecipients(report: DeliveryReport): DsnRecipient[] {
  return report.recipients.filter((r) => r.action === 'failed' || (r.action === 'unknown' && r.status?.startsWith('5.')));
}
