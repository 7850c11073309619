import { describe, expect, it } from 'vitest';
import { classifyMail } from '../../../src/domain/inbound/classify.ts';
import { readAnswer } from '../../../src/domain/inbound/read-option.ts';
import { replyText } from '../../../src/domain/inbound/reply-text.ts';
import { fixture, MARKERS, OPTIONS } from './helpers.ts';

/**
 * Real-world reply shapes (test/fixtures/mail/): each mail client quotes differently, in
 * different languages and transfer encodings; each must come out as the person's words only.
 */
const cases: Array<{ name: string; encoding: string; option?: string; comment: string }> = [
  { name: 'outlook-en', encoding: 'quoted-printable, multipart/alternative', option: 'minor', comment: 'Outlook keeps asking for my password\n\nThanks,\nBea' },
  { name: 'outlook-de', encoding: 'base64', option: 'minor', comment: 'Teams stürzt ständig ab, seit Montag\n\nViele Grüße\nBea' },
  { name: 'outlook-fr', encoding: 'quoted-printable, windows-1252', option: 'minor', comment: 'Teams plante au démarrage' },
  { name: 'gmail-en', encoding: 'quoted-printable', option: 'minor', comment: 'Teams keeps crashing when I share my screen.' },
  { name: 'gmail-de', encoding: 'base64', option: 'fine', comment: 'Danke, alles läuft!' },
  { name: 'apple-mail', encoding: 'quoted-printable', option: 'blocked', comment: 'my mailbox is empty since this morning.\n\nBea' },
  { name: 'iphone', encoding: 'quoted-printable', comment: "I'd say 3, it mostly works but the calendar is slow." },
  { name: 'thunderbird', encoding: '8bit, format=flowed', option: 'fine', comment: 'thanks. The new Outlook is faster.' },
  { name: 'html-only', encoding: 'base64 HTML', option: 'minor', comment: 'Password prompts every hour.' },
];

describe('replies from each mail client', () => {
  for (const c of cases) {
    it(`${c.name} (${c.encoding}) reads ${c.option ?? 'no option'} and keeps only the new words`, async () => {
      const m = await fixture(c.name);
      expect(classifyMail(m).kind).toBe('reply');
      const text = replyText(m.text, MARKERS);
      expect(text.text).not.toMatch(/herald\.test\/r\/|it-pmo@|How is Outlook working|Sent from my|^>/m);
      const answer = readAnswer(text.text, OPTIONS);
      expect(answer.option).toBe(c.option);
      expect(answer.comment).toBe(c.comment);
    });
  }
});
