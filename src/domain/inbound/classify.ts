import { detectAutoReply, detectListCopy } from './auto-reply.ts';
import { failedRecipients, isDeliveryReport, parseDeliveryReport, type DeliveryReport, type DsnRecipient } from './dsn.ts';
import type { InboundEmail } from './inbound-email.ts';

/**
 * What an inbound mail is, decided before any matching and in this order: bounces (delivery
 * status notifications), then auto-replies, then mailing-list copies, then replies. The order
 * matters: a bounce is also auto-submitted, and a list copy of an out-of-office is still an
 * out-of-office.
 */
export type MailKind =
  | { kind: 'bounce'; report: DeliveryReport; failed: DsnRecipient[] }
  | { kind: 'delay'; report: DeliveryReport }
  | { kind: 'auto-reply'; reason: string; readReceipt: boolean }
  | { kind: 'list'; reason: string }
  | { kind: 'reply' };

export function classifyMail(mail: InboundEmail): MailKind {
  if (isDeliveryReport(mail)) {
    const report = parseDeliveryReport(mail);
    const failed = failedRecipients(report);
    return failed.length ? { kind: 'bounce', report, failed } : { kind: 'delay', report };
  }
  const auto = detectAutoReply(mail);
  if (auto) return { kind: 'auto-reply', ...auto };
  const list = detectListCopy(mail);
  if (list) return { kind: 'list', reason: list };
  return { kind: 'reply' };
}
