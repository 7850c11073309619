/**
 * Issue 15 §1.5: CR/LF in a person's name reached the To: header (and the escalation notice's
 * Subject:). Control characters are now validation errors in plan and CSV values (file:line and
 * field), and every header Herald writes refuses a line break, whatever its source.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanFile, loadPlanText } from '../../src/app/load-plan.ts';
import { renderEscalationNotice } from '../../src/app/render-escalation.ts';
import { ChannelError, type OutboundMessage } from '../../src/channels/channel.ts';
import { createEmailChannel } from '../../src/channels/email/email-channel.ts';
import { composeMime, MailHeaderError } from '../../src/channels/email/mime.ts';
import { PlanInvalidError } from '../../src/domain/errors.ts';
import { startSmtpSink, type SmtpSink } from '../../src/sandbox/smtp-sink.ts';

const plan = (name: string, extra = '') => `project:
  key: hdr-test
  name: Header test
  timezone: UTC
audiences:
  users: { description: Users }
people:
  inline:
    - id: ana
      name: ${JSON.stringify(name)}
      email: ana@example.com
      audiences: [users]
comms:
  - key: note
    kind: announcement
    audience: users
    channels: [email]
    template: announcement
    trigger: manual${extra}
`;

// Each would end a header early or hide in one: CR, LF, CRLF, NUL, VT, FF, ESC, DEL, C1 NEL, U+2028, U+2029.
const BAD = ['\r', '\n', '\r\n', '\u0000', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029'];

function refused(fn: () => unknown): PlanInvalidError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlanInvalidError);
    return e as PlanInvalidError;
  }
  throw new Error('expected the plan to be refused');
}

describe('control characters in plan values', () => {
  it.each(BAD.map((c) => [JSON.stringify(c), c]))('a name holding %s is an error at its line, naming the field', (_shown, c) => {
    const err = refused(() => loadPlanText(plan(`Ana${c}Bcc: all@example.com`)));
    expect(err.issues).toEqual([
      expect.objectContaining({ file: 'plan.yaml', line: 10, path: 'people.inline[0].name', message: expect.stringContaining('control character U+') }),
    ]);
  });

  it('any other string value too (project name, data keys), and a tab is fine', () => {
    const err = refused(() => loadPlanText(plan('Ana').replace('name: Header test', 'name: "Header\\r\\ntest"')));
    expect(err.issues[0]).toMatchObject({ line: 3, path: 'project.name' });
    expect(() => loadPlanText(plan('Ana\tSilva'))).not.toThrow();
  });

  it('data: text may hold line breaks (templates render them), but not CR, NUL or U+2028', () => {
    expect(() => loadPlanText(plan('Ana', '\n    data: { body: "one\\ntwo" }'))).not.toThrow();
    const err = refused(() => loadPlanText(plan('Ana', '\n    data: { title: "one\\r\\nBcc: x@example.com" }')));
    expect(err.issues[0]).toMatchObject({ line: 20, path: 'comms[0].data.title' });
  });
});

describe('control characters in the people CSV', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'herald-hdr-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(BAD.map((c) => [JSON.stringify(c), c]))('a quoted CSV name holding %s is an error at its row', async (_shown, c) => {
    writeFileSync(
      path.join(dir, 'people.csv'),
      `id,name,email,audiences\nbo,Bo,bo@example.com,users\nev,"Eve${c}Bcc: all@example.com",eve@example.com,users\n`,
    );
    writeFileSync(path.join(dir, 'plan.yaml'), plan('Ana').replace('people:\n  inline:', 'people:\n  csv: people.csv\n  inline:'));
    const err = await loadPlanFile(path.join(dir, 'plan.yaml'), { cwd: dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PlanInvalidError);
    expect((err as PlanInvalidError).issues).toEqual([
      expect.objectContaining({ file: 'people.csv', line: 3, path: 'people.csv[ev].name', message: expect.stringContaining('control character') }),
    ]);
  });
});

describe('every mail header refuses a line break (values not from the plan: stored rows, answers)', () => {
  const base = {
    from: 'Herald <herald@example.org>',
    to: { name: 'Ana', address: 'ana@example.com' },
    subject: 'Hi',
    text: 'x',
    messageId: '<m@herald.test>',
    headers: {},
  };

  it.each([
    ['To name', { to: { name: 'Ana\r\nBcc: all@example.com', address: 'ana@example.com' } }],
    ['To address', { to: { address: 'ana@example.com\r\nBcc: all@example.com' } }],
    ['From', { from: { name: 'Herald\nX-Evil: 1', address: 'herald@example.org' } }],
    ['Reply-To', { replyTo: 'a@example.com\r\nBcc: all@example.com' }],
    ['Subject CRLF', { subject: 'Hello\r\nBcc: all@example.com' }],
    ['Subject LF', { subject: 'Hello\nBcc: all@example.com' }],
    ['Subject U+2028', { subject: 'Hello\u2028Bcc: all@example.com' }],
    ['Subject non-ASCII with LF', { subject: 'Grüße\nBcc: all@example.com' }],
    ['custom header', { headers: { 'List-Unsubscribe': '<https://x>\r\nBcc: all@example.com' } }],
    ['header name', { headers: { 'X-A\r\nBcc': 'v' } }],
  ])('%s', (_what, over) => {
    expect(() => composeMime({ ...base, ...over } as never)).toThrow(MailHeaderError);
  });

  it('names and subjects that are only unusual are encoded, not refused', () => {
    const raw = composeMime({
      ...base,
      to: { name: 'Zoë "Z" <O\'Neil>', address: 'zoe@example.com' },
      subject: 'Grüße <@U123> & <!channel>\tnow',
    }).raw.toString();
    expect(raw).toMatch(/^To: =\?UTF-8\?Q\?.*\?= <zoe@example\.com>\r$/m);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?Q\?/m);
    expect(raw.split('\r\n\r\n')[0]).not.toMatch(/^Bcc:/im);
  });

  it('an escalation notice whose answer holds CR/LF gives a subject the channel refuses, never sends', async () => {
    const sink: SmtpSink = await startSmtpSink();
    const channel = createEmailChannel({ smtpUrl: sink.url, from: 'Herald <herald@example.org>', messageIdDomain: 'herald.test', timeoutMs: 5000 });
    try {
      const rendered = renderEscalationNotice(
        {
          project: 'p',
          channel: 'email',
          reader: { name: 'Owner', timezone: 'UTC', locale: 'en' },
          items: [
            {
              id: 'e1',
              answeredBy: 'Eve\r\nBcc: all@example.com',
              option: 'Blocked',
              comment: null,
              openedAt: new Date(0),
              level: 1,
              urgent: false,
              commKey: 'c',
              question: 'q',
            },
          ],
        },
        () => 'https://x/e',
      );
      const msg: OutboundMessage = {
        messageId: 'm1',
        projectKey: 'p',
        commKey: 'c',
        optional: false,
        recipient: { id: 'own', name: 'Owner', timezone: 'UTC', locale: 'en', email: 'own@example.com' },
        rendered,
      };
      const err = await channel.send(msg).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ChannelError);
      expect(err).toMatchObject({ retryable: false, reason: 'header_invalid' });
      expect(sink.messages).toHaveLength(0);
    } finally {
      await channel.close();
      await sink.close();
    }
  });
});
