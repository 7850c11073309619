import { describe, expect, it } from 'vitest';
import { classifyMail } from '../../../src/domain/inbound/classify.ts';
import { readAnswer } from '../../../src/domain/inbound/read-option.ts';
import { replyText } from '../../../src/domain/inbound/reply-text.ts';
import { fixture, MARKERS, OPTIONS } from './helpers.ts';

/**
 * A corpus of real-world mail shapes (test/fixtures/mail/corpus/), written from the clients' and
 * MTAs' documented formats: RFC 3464 reports from Exchange Online, Gmail, Postfix, Exim, Sendmail;
 * plain-text bounces from qmail, Exim, Postfix and Domino; out-of-office and other auto-replies;
 * mailing-list copies; and replies from Outlook (desktop, web, iOS, Android; English, German and
 * French header blocks with and without addresses), Gmail (attributions wrapped over two lines),
 * Apple Mail and Thunderbird, with signatures and disclaimers without `-- ` and gateways'
 * external-sender banners above the person's words. Bounces, auto-replies and list copies must
 * never become answers; of a reply, exactly the person's words must stay.
 */
type Case =
  | { name: string; kind: 'reply'; option: string | undefined; comment: string | undefined; about: string }
  | { name: string; kind: 'bounce' | 'delay' | 'auto-reply' | 'list'; about: string };

const RCPT = 'bea.meyer@northwind.example';
const CASES: Case[] = [
  {
    name: 'outlook-en-names-only',
    kind: 'reply',
    option: 'minor',
    comment: 'the shared calendar does not load',
    about: 'Outlook for Mac, header block with display names only',
  },
  {
    name: 'outlook-de-names-only',
    kind: 'reply',
    option: 'fine',
    comment: 'Alles gut, danke!',
    about: 'Outlook desktop (de), separator line and display names only',
  },
  {
    name: 'outlook-de-names-no-separator',
    kind: 'reply',
    option: 'minor',
    comment: 'die Signatur fehlt seit dem Umzug.',
    about: 'Outlook (de) header block with names only, no separator line',
  },
  {
    name: 'outlook-fr-names-only',
    kind: 'reply',
    option: 'blocked',
    comment: "impossible d'ouvrir ma boîte depuis ce matin",
    about: 'Outlook (fr) header block with names only',
  },
  {
    name: 'outlook-web-en',
    kind: 'reply',
    option: 'minor',
    comment: 'search finds nothing older than a week',
    about: 'Outlook on the web, header block with addresses',
  },
  { name: 'outlook-ios', kind: 'reply', option: 'fine', comment: 'all fine', about: 'Outlook for iOS with its footer' },
  { name: 'outlook-android-de', kind: 'reply', option: 'minor', comment: 'Kalender synchronisiert nicht', about: 'Outlook for Android (de) with its footer' },
  {
    name: 'outlook-original-message',
    kind: 'reply',
    option: 'blocked',
    comment: "I can't send mail at all",
    about: 'older Outlook with an "Original Message" line',
  },
  { name: 'outlook-ursprungliche', kind: 'reply', option: 'fine', comment: undefined, about: 'Outlook (de) with "Ursprüngliche Nachricht"' },
  {
    name: 'gmail-en-wrapped',
    kind: 'reply',
    option: 'minor',
    comment: 'Teams needs a restart every morning',
    about: 'Gmail (en), attribution wrapped over two lines',
  },
  {
    name: 'gmail-de-wrapped',
    kind: 'reply',
    option: 'minor',
    comment: 'Outlook fragt ständig nach dem Passwort',
    about: 'Gmail (de), attribution wrapped inside the address',
  },
  { name: 'gmail-de-wrapped-name', kind: 'reply', option: 'fine', comment: 'läuft alles', about: 'Gmail (de), attribution wrapped before the address' },
  {
    name: 'gmail-forwarded-thread',
    kind: 'reply',
    option: 'blocked',
    comment: 'My laptop cannot reach the new mailbox.',
    about: 'Gmail (en), answering a thread a colleague forwarded (attribution of another person)',
  },
  { name: 'apple-mail-de', kind: 'reply', option: 'fine', comment: 'alles bestens\n\nBea', about: 'Apple Mail (de)' },
  { name: 'thunderbird-de', kind: 'reply', option: 'minor', comment: 'Kontakte fehlen', about: 'Thunderbird (de), attribution without an address' },
  {
    name: 'signature-de-no-dashes',
    kind: 'reply',
    option: 'minor',
    comment: 'die geteilten Postfächer fehlen noch',
    about: 'German sign-off, signature block and disclaimer without "-- "',
  },
  { name: 'signature-de-registry', kind: 'reply', option: 'fine', comment: undefined, about: 'German sign-off with company registry lines, no disclaimer' },
  {
    name: 'signature-en-no-dashes',
    kind: 'reply',
    option: 'blocked',
    comment: 'Outlook crashes on start',
    about: 'English sign-off and contact block without "-- "',
  },
  {
    name: 'banner-exchange-caution',
    kind: 'reply',
    option: 'minor',
    comment: 'my archive folder is gone\n\nBea',
    about: 'Exchange transport-rule banner above the text',
  },
  { name: 'banner-mimecast', kind: 'reply', option: 'fine', comment: 'works fine now', about: 'Mimecast external-sender banner above the text' },
  {
    name: 'banner-proofpoint',
    kind: 'reply',
    option: 'minor',
    comment: 'printing from Outlook fails',
    about: 'Proofpoint "[EXTERNAL]" tag line above the text',
  },
  {
    name: 'banner-first-contact',
    kind: 'reply',
    option: 'blocked',
    comment: 'no access to the team mailbox',
    about: 'Microsoft "You don\'t often get email from" tip above the text',
  },
  { name: 'banner-de-extern', kind: 'reply', option: 'fine', comment: 'alles in Ordnung', about: 'German gateway banner above the text' },
  {
    name: 'banner-no-blank-line',
    kind: 'reply',
    option: 'minor',
    comment: 'the mobile app asks me to sign in twice',
    about: 'gateway banner wrapped over two lines with no blank line before the words',
  },
  { name: 'signature-bilingual', kind: 'reply', option: 'fine', comment: 'keine Probleme', about: 'bilingual sign-off, signature block and disclaimer' },
  {
    name: 'no-option-outlook',
    kind: 'reply',
    option: undefined,
    comment: "Can we talk about it on Thursday? Some things work, some don't.",
    about: 'a reply that names no option',
  },
  {
    name: 'html-outlook-label',
    kind: 'reply',
    option: 'fine',
    comment: 'thanks for the quick move.',
    about: 'HTML-only Outlook reply naming the option by its label',
  },
  { name: 'dsn-exchange-online', kind: 'bounce', about: 'Exchange Online NDR (5.1.10)' },
  { name: 'dsn-gmail', kind: 'bounce', about: 'Gmail "Delivery Status Notification (Failure)"' },
  { name: 'dsn-postfix-mailbox-full', kind: 'bounce', about: 'Postfix DSN, mailbox full (5.2.2)' },
  { name: 'dsn-exim', kind: 'bounce', about: 'Exim multipart/report' },
  { name: 'dsn-sendmail', kind: 'bounce', about: 'Sendmail "Returned mail: see transcript for details"' },
  { name: 'dsn-exchange-de', kind: 'bounce', about: 'Exchange (de) NDR "Unzustellbar"' },
  { name: 'dsn-gmail-delay', kind: 'delay', about: 'Gmail delay notice (4.4.1)' },
  { name: 'plain-qmail', kind: 'bounce', about: 'qmail "Hi. This is the qmail-send program" (with the returned message quoting the survey)' },
  { name: 'plain-qmail-remote', kind: 'bounce', about: 'qmail, remote host refused' },
  { name: 'plain-exim', kind: 'bounce', about: 'Exim plain-text bounce' },
  { name: 'plain-postfix', kind: 'bounce', about: 'old Postfix plain-text bounce' },
  { name: 'plain-domino', kind: 'bounce', about: 'Lotus Domino "DELIVERY FAILURE"' },
  { name: 'plain-qmail-delay', kind: 'delay', about: 'a plain-text delay warning' },
  { name: 'oof-exchange-en', kind: 'auto-reply', about: 'Exchange OOF (Auto-Submitted, X-Auto-Response-Suppress)' },
  { name: 'oof-exchange-de', kind: 'auto-reply', about: 'Exchange OOF (de) "Automatische Antwort"' },
  { name: 'oof-gmail-vacation', kind: 'auto-reply', about: 'Gmail vacation responder (Auto-Submitted: auto-replied only)' },
  { name: 'oof-abwesenheitsnotiz', kind: 'auto-reply', about: '"Abwesenheitsnotiz" subject, no RFC 3834 headers (Notes / Thunderbird filter)' },
  { name: 'oof-subject-only', kind: 'auto-reply', about: '"Out of Office:" subject and nothing else' },
  { name: 'auto-precedence-bulk', kind: 'auto-reply', about: 'ticket system acknowledgement (Precedence: bulk)' },
  { name: 'auto-x-autoreply', kind: 'auto-reply', about: 'responder with X-Autoreply: yes' },
  { name: 'auto-icloud-vacation', kind: 'auto-reply', about: 'iCloud vacation (Auto-Submitted and X-Autoreply)' },
  { name: 'read-receipt-gelesen', kind: 'auto-reply', about: 'plain "Gelesen:" receipt' },
  { name: 'list-mailman', kind: 'list', about: 'Mailman copy (List-Id, List-Post)' },
  { name: 'list-google-groups', kind: 'list', about: 'Google Groups copy (Precedence: list, List-Id)' },
  { name: 'list-precedence-only', kind: 'list', about: 'Precedence: list without List-Id' },
];

describe('the inbound corpus: kind, option and the exact comment kept', () => {
  it('has at least 40 mails of every kind', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    for (const k of ['reply', 'bounce', 'delay', 'auto-reply', 'list']) expect(CASES.some((c) => c.kind === k)).toBe(true);
  });

  for (const c of CASES) {
    it(`${c.name}: ${c.about} → ${c.kind}${c.kind === 'reply' ? ` ${c.option ?? 'no option'}` : ''}`, async () => {
      const mail = await fixture(`corpus/${c.name}`, { RCPT, HERALD_ID: '00000000-0000-4000-8000-000000000000' });
      const kind = classifyMail(mail);
      expect(kind.kind).toBe(c.kind);
      if (c.kind === 'bounce' && kind.kind === 'bounce') {
        // The failed recipient is read from the report, whatever its shape.
        expect(kind.failed.map((r) => r.address)).toContain(RCPT);
      }
      if (c.kind !== 'reply') return;
      const text = replyText(mail.text, MARKERS);
      const answer = readAnswer(text.text, OPTIONS);
      expect({ option: answer.option, comment: answer.comment }).toEqual({ option: c.option, comment: c.comment });
    });
  }
});
