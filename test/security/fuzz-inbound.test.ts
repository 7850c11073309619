/**
 * Issue 15 §2.2: fuzz the inbound mail parser and classifier with fast-check — random bytes,
 * mutated real mails (test/fixtures/mail and its corpus) and MIME assembled from the pieces
 * parsers trip on (quote headers, banners, signatures, report parts, Authentication-Results,
 * encoded words, deep nesting). Every case must finish without throwing, within a per-case time
 * bound, and the heap must stay bounded. HERALD_FUZZ_SECONDS sets the duration (default 60).
 *
 * It runs the whole path that receiveInboundMail runs before it touches the database: mailparser,
 * classification (reports, plain-text bounces, auto-replies, list copies), the signed-token and
 * DMARC reads, the reply text, the option and the out-of-office date.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMime } from '../../src/channels/email/inbound/parse-mime.ts';
import { dmarcPassFor } from '../../src/domain/inbound/authentication-results.ts';
import { classifyMail } from '../../src/domain/inbound/classify.ts';
import { readAnswer } from '../../src/domain/inbound/read-option.ts';
import { bounceTokens, quotedMessageIds, replyTokens } from '../../src/domain/inbound/reply-address.ts';
import { replyText } from '../../src/domain/inbound/reply-text.ts';
import { returnDate } from '../../src/domain/inbound/return-date.ts';
import { bounceTokenMessage, verifyBounceToken, verifyReplyToken } from '../../src/domain/tokens.ts';
import { HeraldError } from '../../src/domain/errors.ts';

const SECONDS = Number(process.env.HERALD_FUZZ_SECONDS ?? 60);
/** One case: generous for a shared 2-core machine, far below what a catastrophic regex or a loop takes. */
const CASE_MS = 5_000;
/** Heap growth allowed over the whole run (mailparser and V8 keep some caches). */
const HEAP_GROWTH = 512 * 1024 * 1024;

const OPTIONS = [
  { value: 'fine', label: 'All good' },
  { value: 'minor', label: 'Some issues' },
  { value: 'blocked', label: "I can't work" },
];
const MARKERS = { addresses: ['it-pmo@northwind.example'], question: 'How is Outlook working for you after the move?', linkPrefix: 'http://herald.test/r/' };

function fixtures(): Buffer[] {
  const out: Buffer[] = [];
  for (const dir of ['../fixtures/mail/', '../fixtures/mail/corpus/']) {
    const url = new URL(dir, import.meta.url);
    for (const f of readdirSync(url).filter((n) => n.endsWith('.eml'))) out.push(readFileSync(new URL(f, url)));
  }
  return out;
}
const SEEDS = fixtures();

/** Pieces that reply, bounce and header parsers are known to trip on. */
const PIECES = [
  '\r\n',
  '\n',
  '\r',
  '\n\n',
  '> ',
  '>>>>>>>>',
  ': ',
  ';',
  '=',
  '"',
  '(',
  ')',
  '((((',
  '))))',
  '<',
  '>',
  '<>',
  '@',
  '+',
  '\t',
  ' ',
  'On Tue, Jan 19, 2027 at 10:30 AM IT PMO <',
  'it-pmo@northwind.example> wrote:',
  'Am Di., 19. Jan. 2027 um 10:30 Uhr schrieb',
  'a écrit :',
  'From: IT PMO',
  'Von: ',
  'Gesendet: ',
  'Sent: ',
  'To: ',
  'An: ',
  'Subject: ',
  'Betreff: ',
  '-----Original Message-----',
  '________________________________',
  'CAUTION: This email originated from outside of the organization.',
  '[EXTERNAL]',
  'ZjQcmQRYFpfptBannerStart',
  "You don't often get email from",
  'Mit freundlichen Grüßen',
  'Best regards,',
  'Tel.: +49 30 1234567',
  'www.',
  'GmbH',
  'Diese E-Mail enthält vertrauliche',
  'Hi. This is the qmail-send program',
  'This is a permanent error',
  '<gone@northwind.example>:',
  '550 5.1.1',
  '#5.1.1',
  'Return-Path: <>',
  'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
  'Content-Type: message/delivery-status',
  'Content-Type: multipart/mixed; boundary="b"',
  '--b',
  '--b--',
  'Final-Recipient: rfc822; ',
  'Action: failed',
  'Status: 5.1.1',
  'Content-Transfer-Encoding: base64',
  'Content-Transfer-Encoding: quoted-printable',
  '=?utf-8?B?',
  '=?utf-8?Q?=C3=',
  '?=',
  '=3D',
  '=\r\n',
  'Authentication-Results: mx.google.com; dmarc=pass header.from=northwind.example',
  'Auto-Submitted: auto-replied',
  'Precedence: bulk',
  'List-Id: <x>',
  'it-pmo+rabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopq@northwind.example',
  'it-pmo+babcdefghijklmnopqrstuvwxyz234567abcdefghijklm@northwind.example',
  'In-Reply-To: <',
  'References: ',
  'back on Monday, January 25',
  'bis einschließlich 22.01.2027',
  '1',
  '2 - ',
  'minor',
  'All good',
  '\u00a0',
  '\u202e',
  '\ufeff',
  '\u0000',
  'ß',
  '日本語',
  '🙂',
];

const bytesArb = fc.uint8Array({ maxLength: 4_096 }).map((a) => Buffer.from(a));

const piecesArb = fc
  .array(
    fc.oneof(
      fc.constantFrom(...PIECES),
      fc.string({ maxLength: 40 }),
      fc.constantFrom(...PIECES).map((p) => p.repeat(200)),
    ),
    { maxLength: 300 },
  )
  .map((parts) => Buffer.from(`From: a@b.example\r\nTo: it-pmo@northwind.example\r\nSubject: Re: x\r\n${parts.join('')}`, 'utf8'));

type Mutation = { at: number; kind: 'insert' | 'delete' | 'repeat' | 'flip'; len: number; piece: string; times: number };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'delete', 'repeat', 'flip'),
  len: fc.integer({ min: 1, max: 400 }),
  piece: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 60 })),
  times: fc.integer({ min: 1, max: 2_000 }),
});

function mutate(seed: Buffer, mutations: Mutation[]): Buffer {
  let b = seed;
  for (const m of mutations) {
    const at = b.length ? m.at % b.length : 0;
    if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.piece, 'utf8'), b.subarray(at)]);
    else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
    else if (m.kind === 'repeat')
      b = Buffer.concat([
        b.subarray(0, at),
        Buffer.from(m.piece.repeat(Math.min(m.times, Math.floor(200_000 / Math.max(1, m.piece.length)))), 'utf8'),
        b.subarray(at),
      ]);
    else if (b.length) {
      b = Buffer.from(b);
      b[at] = (b[at]! ^ (1 + (m.len % 255))) & 0xff;
    }
  }
  return b;
}

const mutatedArb = fc.tuple(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 8 })).map(([i, ms]) => mutate(SEEDS[i]!, ms));

/** Everything receiveInboundMail reads from a mail before it touches the database. */
async function analyse(raw: Buffer): Promise<void> {
  const mail = await parseMime(raw).catch(() => undefined);
  if (!mail) return;
  classifyMail(mail);
  for (const token of replyTokens(mail.recipients)) expectOnlyHeraldErrors(() => verifyReplyToken('fuzz-secret-0123456789', token, 1_800_000_000));
  for (const token of bounceTokens(mail.recipients))
    expectOnlyHeraldErrors(() => verifyBounceToken('fuzz-secret-0123456789', token, bounceTokenMessage(token)));
  quotedMessageIds(mail);
  dmarcPassFor(mail, ['mx.google.com', 'exchange-online'], 'bea@northwind.example');
  const text = replyText(mail.text, MARKERS);
  readAnswer(text.text, OPTIONS);
  returnDate(`${mail.subject}\n${mail.text}`, '2027-01-19');
}

function expectOnlyHeraldErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof HeraldError)) throw e;
  }
}

describe('fuzzing the inbound mail parser and classifier', () => {
  it(
    `survives random and mutated MIME for ${SECONDS} s: no throw, each case under ${CASE_MS} ms, heap bounded`,
    async () => {
      const startHeap = process.memoryUsage().heapUsed;
      let maxHeap = startHeap;
      let slowest = 0;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof({ arbitrary: mutatedArb, weight: 5 }, { arbitrary: piecesArb, weight: 3 }, { arbitrary: bytesArb, weight: 1 }),
          async (raw) => {
            const started = performance.now();
            await analyse(raw);
            const took = performance.now() - started;
            slowest = Math.max(slowest, took);
            // HERALD_FUZZ_DEBUG=1 names the slow cases, to find what made them slow.
            if (process.env.HERALD_FUZZ_DEBUG && took > 300)
              console.log(`slow case: ${Math.round(took)} ms, ${raw.length} bytes: ${JSON.stringify(raw.subarray(0, 300).toString())}`);
            runs++;
            if (runs % 50 === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
            if (took > CASE_MS) throw new Error(`one mail of ${raw.length} bytes took ${Math.round(took)} ms`);
          },
        ),
        {
          numRuns: Number.MAX_SAFE_INTEGER,
          interruptAfterTimeLimit: SECONDS * 1_000,
          markInterruptAsFailure: false,
          seed: Number(process.env.HERALD_FUZZ_SEED ?? Date.now() % 2 ** 31),
        },
      );
      console.log(
        `fuzz-inbound: ${runs} mails in ${SECONDS} s, slowest ${Math.round(slowest)} ms, heap ${Math.round(startHeap / 2 ** 20)} → max ${Math.round(maxHeap / 2 ** 20)} MiB`,
      );
      expect(runs).toBeGreaterThan(SECONDS);
      expect(maxHeap - startHeap).toBeLessThan(HEAP_GROWTH);
    },
    SECONDS * 1_000 + 120_000,
  );
});
