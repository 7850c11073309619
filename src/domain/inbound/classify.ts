import { detectAutoReply, detectListCopy } from './auto-reply.ts';
import { failedRecipients, isDeliveryReport, parseDeliveryReport, type DeliveryReport, type DsnRecipient } from './dsn.ts';
import type { InboundEmail } from './inbound-email.ts';
import { detectPlainBounce, fromDaemon } from './plain-bounce.ts';

/**
 * What an inbound mail is, decided before any matching and in this order: bounces (delivery
 * status notifications, then plain-text notices from a mailer daemon), then auto-replies, then mailing-list copies, then replies. The order
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
  const plain = detectPlainBounce(mail);
  if (plain) return plain.delay ? { kind: 'delay', report: plain.report } : { kind: 'bounce', report: plain.report, failed: plain.report.recipients };
  // A mailer daemon's mail that reads as no known notice is still no one's answer.
  if (fromDaemon(mail)) return { kind: 'auto-reply', reason: `sent by a mailer daemon (${mail.from?.address ?? 'Return-Path: <>'})`, readReceipt: false };
  const auto = detectAutoReply(mail);
  if (auto) return { kind: 'auto-reply', ...auto };
  const list = detectListCopy(mail);
  if (list) return { kind: 'list', reason: list };
  return { kind: 'reply' };
}
