import { parseMime } from '../../../src/channels/email/inbound/parse-mime.ts';
import type { InboundEmail } from '../../../src/domain/inbound/inbound-email.ts';
import type { SurveyOption } from '../../../src/domain/plan/model.ts';
import { mailFixture, type FixtureVars } from '../../support/mail-fixtures.ts';

/** The survey of test/fixtures/plans/replies.plan.yaml, which the mail fixtures answer. */
export const QUESTION = 'How is Outlook working for you after the move?';
export const OPTIONS: SurveyOption[] = [
  { value: 'fine', label: 'All good' },
  { value: 'minor', label: 'Some issues' },
  { value: 'blocked', label: "I can't work", escalate: 'urgent' },
];
export const MARKERS = { addresses: ['it-pmo@northwind.example'], question: QUESTION, linkPrefix: 'http://herald.test/r/' };

export function fixture(name: string, vars?: FixtureVars): Promise<InboundEmail> {
  return parseMime(mailFixture(name, vars));
}

/** A hand-made mail: headers as given, a plain-text body. */
export function mail(headers: Record<string, string>, text = 'hello', extra: Partial<InboundEmail> = {}): InboundEmail {
  return {
    references: [],
    recipients: [],
    subject: headers.subject ?? '',
    text,
    contentType: 'text/plain',
    headers: new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]])),
    parts: [],
    ...extra,
  };
}
