import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../src/templates/email-html.ts';

describe('htmlToText', () => {
  it('gives the same text with or without the inlined style attributes it skips', () => {
    const styled =
      '<div class="card" style="max-width: 600px; margin: 0 auto"><h1 style="font-size: 20px">Title</h1>' +
      '<p style="margin: 10px 0">Hi Ada, see <a class="option" style="color: #0b5cad" href="https://x.example/r/abc">the page</a>.</p>' +
      '<ul style="padding-left: 22px"><li style="margin: 4px 0">one</li><li>two</li></ul><p data-style="kept">Style="this text" stays.</p></div>';
    const plain = styled.replace(/\s+style="[^"]*"/g, '');
    expect(htmlToText(styled)).toBe(htmlToText(plain));
    expect(htmlToText(styled)).toContain('Style="this text" stays.');
    expect(htmlToText(styled)).toContain('the page [https://x.example/r/abc]');
  });
});
