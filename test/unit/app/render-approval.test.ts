import { describe, expect, it } from 'vitest';
import { fitSlack, labelVariant, renderApprovalRequest, type LabelledVariant } from '../../../src/app/render-approval.ts';

const reader = { name: 'Maria Lopez', timezone: 'America/Chicago', locale: 'en-US' };
const links = { approve: 'https://h.example/a/A', reject: 'https://h.example/a/R', page: 'https://h.example/a/A', slackValue: (d: string) => `tok-${d}` };
const plan = { audiences: [{ key: 'end-users', description: 'Everyone' }, { key: 'ops' }] };

function variants(n: number, text: string): LabelledVariant[] {
  return Array.from({ length: n }, (_, i) =>
    labelVariant(plan, {
      audience: i % 2 ? 'ops' : 'end-users',
      channel: i % 2 ? 'slack' : 'email',
      locale: 'de-DE',
      sample: `Person ${i}`,
      subject: `Subject ${i}`,
      text,
    }),
  );
}

const input = (vs: LabelledVariant[], channel: 'slack' | 'email' = 'slack') => ({
  project: 'Go-live',
  channel,
  reader,
  title: 'Go-live summary',
  firstSendAt: new Date('2030-01-17T15:00:00Z'),
  variants: vs,
  recipients: 40,
});

const sections = (blocks: unknown[]) =>
  (blocks as Array<{ type: string; text?: { text: string }; elements?: Array<{ text?: string }> }>).flatMap((b) => [
    ...(b.text ? [b.text.text] : []),
    ...(b.elements ?? []).flatMap((e) => (typeof e.text === 'string' ? [e.text] : [])),
  ]);

describe('approval requests', () => {
  it('labels variants by audience description (or the key as words), channel name and language', () => {
    const [a, b] = variants(2, 'x');
    expect([a!.audienceLabel, a!.channelLabel, a!.localeLabel]).toEqual(['Everyone', 'E-mail', 'German (Germany)']);
    expect([b!.audienceLabel, b!.channelLabel]).toEqual(['Ops', 'Slack']);
  });

  it('Slack: within 50 blocks and 3,000 characters a section however many and long the variants; a cut text and the rest point to the approval page', () => {
    const long = `${'Tom & Jerry <b> '.repeat(400)}END`;
    const r = renderApprovalRequest(input(variants(40, long)), links, false);
    const blocks = r.blocks as Array<{ type: string; block_id?: string }>;
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const t of sections(blocks)) expect(t.length).toBeLessThanOrEqual(3000);
    const texts = sections(blocks);
    expect(texts.filter((t) => t.endsWith('… <https://h.example/a/A|see the approval page>')).length).toBe(12);
    expect(texts.some((t) => t.includes('…and 28 more versions: <https://h.example/a/A|see the approval page>'))).toBe(true);
    // No escape cut in half.
    for (const t of texts) expect(t).not.toMatch(/&(?:a|am|amp|l|lt|g|gt)?(?![\w;])/);
    expect(blocks.at(-1)).toMatchObject({ type: 'actions', block_id: 'herald_approval_actions' });
    expect(JSON.stringify(blocks)).toContain('"value":"tok-approve"');
  });

  it('Slack: a short request is whole, with a link to the approval page and the first send in the reader zone, named', () => {
    const r = renderApprovalRequest(input(variants(2, 'Short body.')), links, true);
    const texts = sections(r.blocks as unknown[]);
    expect(texts).toContain('<https://h.example/a/A|Open the approval page>');
    expect(texts.join('\n')).toContain('Thu, Jan 17, 2030, 9:00 AM CST');
    expect(texts.join('\n')).not.toContain('see the approval page');
    expect(r.subject).toBe('Reminder: approval needed: Go-live summary · Go-live');
  });

  it('e-mail: Outlook-safe layout tables, lang and title, both links, and every variant in the text part', () => {
    const r = renderApprovalRequest(input(variants(3, 'Line one\nLine two'), 'email'), links, false);
    expect(r.html).toMatch(/^<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8">/);
    expect(r.html).toContain('<title>Approval needed: Go-live summary · Go-live</title>');
    expect(r.html).toContain('role="presentation"');
    expect(r.html).not.toMatch(/<div/);
    expect(r.html).toContain('Line one<br>Line two');
    expect(r.html).toContain('href="https://h.example/a/R"');
    expect(r.text).toContain('Request changes: https://h.example/a/R');
    expect(r.text).toContain('— Everyone · E-mail · German (Germany) (as Person 2 gets it)');
    expect(r.text).toContain('Thu, Jan 17, 2030, 9:00 AM CST');
  });

  it('fitSlack cuts on the raw text, never inside an escape', () => {
    expect(fitSlack('', 'a & b', 100, '…')).toBe('a &amp; b');
    const cut = fitSlack('*S*\n', '&'.repeat(50), 30, '…');
    expect(cut.length).toBeLessThanOrEqual(30);
    expect(cut).toBe(`*S*\n${'&amp;'.repeat(5)}…`);
  });
});
