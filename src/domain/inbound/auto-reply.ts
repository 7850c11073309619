import { header, type InboundEmail } from './inbound-email.ts';

/**
 * Auto-replies are never answers and are never answered (RFC 3834): out-of-office notices,
 * vacation responders, read receipts and bulk mail.
 */
export interface AutoReplyVerdict {
  /** Why the mail counts as automatic, for the inbox and logs. */
  reason: string;
  readReceipt: boolean;
}

// "Automatic reply:" (Outlook, en), "Automatische Antwort:" (de), "Réponse automatique :" (fr),
// and the other prefixes common responders put on a subject.
const AUTO_SUBJECT = new RegExp(
  String.raw`^\s*(automatic reply|auto(?:matic)?[ -]?reply|autoreply|automatische antwort|réponse automatique` +
    '|reponse automatique|out of (?:the )?office|abwesenheitsnotiz|abwesend|absence|respuesta automática' +
    String.raw`|risposta automatica)\s*:`,
  'i',
);
const READ_RECEIPT_SUBJECT = /^\s*(read|gelesen|lu|gelezen|leído|letto)\s*:/i;

export function detectAutoReply(mail: Pick<InboundEmail, 'headers' | 'subject' | 'contentType' | 'reportType' | 'parts'>): AutoReplyVerdict | undefined {
  if (
    (mail.contentType === 'multipart/report' && mail.reportType === 'disposition-notification') ||
    mail.parts.some((p) => p.contentType === 'message/disposition-notification')
  ) {
    return { reason: 'read receipt (disposition notification)', readReceipt: true };
  }
  const submitted = header(mail, 'auto-submitted');
  if (submitted !== undefined && submitted.split(';')[0]!.trim().toLowerCase() !== 'no') {
    return { reason: `Auto-Submitted: ${submitted}`, readReceipt: false };
  }
  const suppress = header(mail, 'x-auto-response-suppress');
  if (suppress !== undefined) return { reason: `X-Auto-Response-Suppress: ${suppress}`, readReceipt: false };
  const precedence = header(mail, 'precedence')?.toLowerCase();
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'auto_reply') return { reason: `Precedence: ${precedence}`, readReceipt: false };
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    const v = header(mail, name);
    if (v !== undefined && !/^(no|false|0)$/i.test(v)) return { reason: `${name}: ${v}`, readReceipt: false };
  }
  if (AUTO_SUBJECT.test(mail.subject)) return { reason: `automatic-reply subject "${mail.subject.trim().slice(0, 80)}"`, readReceipt: false };
  if (READ_RECEIPT_SUBJECT.test(mail.subject)) return { reason: `read-receipt subject "${mail.subject.trim().slice(0, 80)}"`, readReceipt: true };
  return undefined;
}

/** A mailing-list copy (`List-Id`, `Precedence: list`): kept for a person to look at, records nothing. */
export function detectListCopy(mail: Pick<InboundEmail, 'headers'>): string | undefined {
  const listId = header(mail, 'list-id');
  if (listId !== undefined) return `List-Id: ${listId}`;
  if (header(mail, 'precedence')?.toLowerCase() === 'list') return 'Precedence: list';
  return undefined;
}
