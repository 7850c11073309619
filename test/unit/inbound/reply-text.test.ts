import { describe, expect, it } from 'vitest';
import { MAX_REPLY_INPUT, replyText } from '../../../src/domain/inbound/reply-text.ts';
import { MARKERS } from './helpers.ts';

describe('the new text of a reply', () => {
  it("cuts at Herald's own quoted message even without a quote header", () => {
    const t = replyText('1\nall fine\n\nHow is Outlook working for you after the move?\n- All good: http://herald.test/r/abc', MARKERS);
    expect(t.text).toBe('1\nall fine');
  });

  it('cuts at an answer link, and at a quote header the client wrapped over two lines', () => {
    expect(replyText('2\n\nhttp://herald.test/r/AAAA', MARKERS).text).toBe('2');
    expect(replyText('3 broken\n\nOn Tue, Jan 19, 2027 at 10:30 AM IT PMO <\nit-pmo@northwind.example> wrote:\nold', MARKERS).text).toBe('3 broken');
  });

  it('drops disclaimers, signatures and mobile footers', () => {
    const t = replyText('2 slow\n\nSent from my iPhone', MARKERS);
    expect(t.text).toBe('2 slow');
    expect(replyText('1 ok\n\nCONFIDENTIALITY NOTICE: This e-mail is confidential.', MARKERS).text).toBe('1 ok');
    expect(replyText('1 ok\n\nDiese E-Mail enthält vertrauliche Informationen.', MARKERS).text).toBe('1 ok');
    expect(replyText('1 ok\n\nVon meinem iPhone gesendet', MARKERS).text).toBe('1 ok');
  });

  it('bounds pathological input before the parser sees it', () => {
    const huge = `2 fine\n${'On a b c d e f g h i j k l m n o p\n'.repeat(50_000)}`;
    const started = performance.now();
    const t = replyText(huge, MARKERS);
    expect(t.truncated).toBe(true);
    expect(t.text.length).toBeLessThanOrEqual(MAX_REPLY_INPUT);
    expect(t.text.startsWith('2 fine')).toBe(true);
    // Not a timing test: a generous bound only catches an unbounded parse (seconds to minutes).
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
