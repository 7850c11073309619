import { readFileSync } from 'node:fs';

/**
 * Raw MIME fixtures in test/fixtures/mail/ carry placeholders in their headers (and in the
 * returned-message part of bounces): {{TO}} the address replied to (Herald's signed Reply-To),
 * {{FROM}} the sender, {{IN_REPLY_TO}} the Message-ID of Herald's mail, {{MESSAGE_ID}} the mail's
 * own Message-ID, {{RCPT}} a bounced recipient, {{HERALD_ID}} Herald's message id.
 */
export interface FixtureVars {
  TO?: string;
  FROM?: string;
  IN_REPLY_TO?: string;
  MESSAGE_ID?: string;
  RCPT?: string;
  HERALD_ID?: string;
}

export const CLIENT_FIXTURES = ['outlook-en', 'outlook-de', 'outlook-fr', 'gmail-en', 'gmail-de', 'apple-mail', 'iphone', 'thunderbird', 'html-only'] as const;

let seq = 0;

export function mailFixture(name: string, vars: FixtureVars = {}): Buffer {
  const raw = readFileSync(new URL(`../fixtures/mail/${name}.eml`, import.meta.url));
  const values: Required<FixtureVars> = {
    TO: 'it-pmo@northwind.example',
    FROM: 'bea.meyer@northwind.example',
    IN_REPLY_TO: '<00000000-0000-4000-8000-000000000000@herald.test>',
    MESSAGE_ID: `<fixture-${process.pid}-${Date.now()}-${++seq}@mail.example>`,
    RCPT: 'gone@northwind.example',
    HERALD_ID: '00000000-0000-4000-8000-000000000000',
    ...vars,
  };
  return Buffer.from(
    raw.toString('latin1').replace(/\{\{([A-Z_]+)\}\}/g, (m, k: string) => (k in values ? values[k as keyof FixtureVars] : m)),
    'latin1',
  );
}
