import { describe, expect, it } from 'vitest';
import { html, query, raw } from '../../../src/http/dashboard/html.ts';
import { safeNext } from '../../../src/http/dashboard/register.ts';

describe('dashboard html template', () => {
  it('escapes every interpolated value, in text and attributes', () => {
    const v = `<script>alert("x")</script>&'`;
    expect(html`<p title="${v}">${v}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
  });
  it('keeps nested html and raw() as markup, joins arrays, and drops null, undefined and false', () => {
    const items = ['a<', 'b'].map((s) => html`<li>${s}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${raw('<hr>')}${0}`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul><hr>0');
  });
  it('builds query strings without empty values', () => {
    expect(query({ status: 'failed', comm: '', person: undefined, channel: 'e&mail' })).toBe('?status=failed&channel=e%26mail');
    expect(query({})).toBe('');
  });
});

describe('safeNext', () => {
  it('keeps paths on this site and refuses the rest', () => {
    expect(safeNext('/projects/a?x=1')).toBe('/projects/a?x=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', undefined]) expect(safeNext(bad)).toBe('/');
  });
});
