import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { patchChanges, planDiff } from '../../../src/http/dashboard/plan-diff-view.ts';

const patch = (a: string, b: string) => createTwoFilesPatch('plan.yaml (version 1)', 'plan.yaml (version 2)', a, b, undefined, undefined, { context: 3 });

describe('planDiff', () => {
  it('keeps each line its + or - inside <ins> and <del>, headers and hunks apart, and drops the ===== rule', () => {
    const out = planDiff(patch('a: 1\nb: 2\nc: 3\n', 'a: 1\nb: 20\nc: 3\n'), 1, 2).value;
    expect(out).toContain('<del>-b: 2</del><ins>+b: 20</ins>');
    expect(out).toContain('<span class="hunk">--- plan.yaml (version 1)</span><span class="hunk">+++ plan.yaml (version 2)</span>');
    expect(out).toContain('<span> a: 1</span>');
    expect(out).not.toContain('====');
    expect(out).toContain('Lines starting with + are in version 2 and not in version 1');
  });

  it('escapes a plan value that is markup', () => {
    const out = planDiff(patch('title: x\n', 'title: "<script>alert(1)</script>"\n'), 1, 2).value;
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;');
  });
});

describe('patchChanges', () => {
  it('is false for a patch of two equal texts (only its headers), true when a line changed', () => {
    expect(patchChanges(patch('a: 1\n', 'a: 1\n'))).toBe(false);
    expect(patchChanges(patch('a: 1\n', 'a: 2\n'))).toBe(true);
    expect(patchChanges(patch('a: 1\n', 'a: 1\n--- b\n'))).toBe(true);
  });
});
