/**
 * The fuzz counterexample of test/security/fuzz-inbound.test.ts (seed 1327988120, path
 * "15420:2:7"): a 14,689-byte mail that took 8.5 s because the reply parser's quote-header
 * expression backtracked over one 14,000-character line of unclosed "On … <" attributions for each
 * of the 400 blank lines above it. reply-text.ts now hands the parser bounded lines, blank runs and
 * windows; these run the same path as the fuzz test's analyse() and check the time and the result.
 * The time bounds are generous (the unbounded parse took seconds): they catch a regression, not load.
 */
import { describe, expect, it } from 'vitest';
import { parseMime } from '../../../src/channels/email/inbound/parse-mime.ts';
import { classifyMail } from '../../../src/domain/inbound/classify.ts';
import { readAnswer } from '../../../src/domain/inbound/read-option.ts';
import { replyText } from '../../../src/domain/inbound/reply-text.ts';
import { MARKERS, OPTIONS } from './helpers.ts';

const ON = 'On Tue, Jan 19, 2027 at 10:30 AM IT PMO <';
const TIP = "You don't often get email from";
const BANNER = 'ZjQcmQRYFpfptBannerStart';

/** The counterexample, byte for byte at scale 1: headers, blank lines, unclosed attributions, first-contact tips, a Proofpoint marker. */
function counterexample(scale: number): Buffer {
  return Buffer.from(
    `From: a@b.example\r\nTo: it-pmo@northwind.example\r\nSubject: Re: x\r\n${'\n'.repeat(400 * scale)}${ON.repeat(200 * scale)}${TIP.repeat(200 * scale)}${BANNER}`,
    'utf8',
  );
}

async function analyse(raw: Buffer): Promise<{ ms: number; kind: string; text: string; truncated: boolean }> {
  const started = performance.now();
  const mail = await parseMime(raw);
  const { kind } = classifyMail(mail);
  const t = replyText(mail.text, MARKERS);
  readAnswer(t.text, OPTIONS);
  return { ms: performance.now() - started, kind, text: t.text, truncated: t.truncated };
}

describe('reply text of pathological mails (ReDoS regression)', () => {
  it('analyses the fuzz counterexample quickly, with the same result as before the fix', async () => {
    const raw = counterexample(1);
    expect(raw.length).toBe(14_689);
    const r = await analyse(raw);
    expect(r.ms).toBeLessThan(1_000);
    expect(r.kind).toBe('reply');
    expect(r.truncated).toBe(false);
    // What the unbounded parse gave, after 8.5 s: the one long line, whole.
    expect(r.text).toBe(`${ON.repeat(200)}${TIP.repeat(200)}${BANNER}`);
  });

  it('analyses the counterexample scaled ten times quickly', async () => {
    const r = await analyse(counterexample(10));
    expect(r.ms).toBeLessThan(1_000);
    expect(r.kind).toBe('reply');
    expect(r.truncated).toBe(true);
    expect(r.text.startsWith(ON.repeat(10))).toBe(true);
  });

  it('bounds the rest of the class: long lines, blank runs, and the cross-line "skrev" header expression', () => {
    const cases = [
      `${'\n'.repeat(3_000)}${ON.repeat(300)}`,
      ` \n\t\n`.repeat(1_500) + `On ${'x '.repeat(5_000)}`,
      'abc. x skrev\n'.repeat(1_200),
      `abc. ${'skrev '.repeat(5)}\n`.repeat(400),
      'Op x\n'.repeat(1_500) + 'schreef '.repeat(800),
      `> ${ON.repeat(300)}\n`.repeat(3),
      `a${' '.repeat(15_000)}b`,
    ];
    for (const text of cases) {
      const started = performance.now();
      replyText(text, MARKERS);
      // Generous: unbounded, these took 2.5 s to minutes; bounded, tens to a few hundred ms.
      expect(performance.now() - started, JSON.stringify(text.slice(0, 40))).toBeLessThan(2_000);
    }
  });

  it('keeps a long line where it was, and a quoted long line out', () => {
    const long = `2 ${'word '.repeat(400)}end`;
    expect(replyText(`${long}\n\nthanks`, MARKERS).text).toBe(`${long.trimEnd()}\n\nthanks`);
    expect(replyText(`1 fine\n\n> ${'old '.repeat(400)}\n> more old`, MARKERS).text).toBe('1 fine');
  });
});
