import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { approvalOf, approvalState, askAt, releaseVerdict } from '../../../src/domain/approval/rules.ts';
import { PlanInvalidError } from '../../../src/domain/errors.ts';
import { parsePlan } from '../../../src/domain/plan/parse-plan.ts';

const FILE = 'test/fixtures/plans/approval.plan.yaml';
const TEXT = readFileSync(FILE, 'utf8');
const parse = (text: string) => parsePlan({ file: 'plan.yaml', text, readFile: () => undefined });
const issues = (text: string): string[] => {
  try {
    parse(text);
    return [];
  } catch (e) {
    if (e instanceof PlanInvalidError) return e.issues.map((i) => `${i.line}: ${i.path}: ${i.message}`);
    throw e;
  }
};

describe('approval in the plan', () => {
  it('reads a comm approval and fills in the defaults', () => {
    const { plan } = parse(TEXT);
    const exec = plan.comms.find((c) => c.key === 'exec-summary')!;
    expect(approvalOf(plan, exec)).toMatchObject({ by: ['maria'], needs: 'any', before: { amount: 1, unit: 'business days' }, catchUp: { raw: '1 day' } });
    expect(approvalOf(plan, plan.comms.find((c) => c.key === 'cutover-notice')!)).toMatchObject({ by: ['ana', 'ben'], needs: 'all' });
    expect(plan.project.owner).toBe('ana');
  });

  it('names unknown approvers and owners with their line, and suggests the person meant', () => {
    const bad = TEXT.replace('by: [maria], before', 'by: [mariah], before').replace('owner: ana\n', 'owner: anna\n');
    expect(issues(bad)).toEqual([
      expect.stringMatching(/^10: project\.owner: unknown person "anna".*did you mean "ana"/),
      expect.stringMatching(/^\d+: comms\[0\]\.approval\.by\[0\]: unknown approver "mariah".*did you mean "maria"/),
    ]);
  });

  it('refuses approval on a digest, approval: true, and a bad needs', () => {
    expect(issues(TEXT.replace('kind: exec-summary', 'kind: digest'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/approval: a digest's content is computed/)]),
    );
    expect(issues(TEXT.replace('approval: { by: [maria], before: "1 business day" }', 'approval: true'))).toEqual([
      expect.stringMatching(/approval: true does not say who approves/),
    ]);
    expect(issues(TEXT.replace('needs: all', 'needs: most'))).toEqual([expect.stringMatching(/"most" is not allowed \(use one of: any, all\)/)]);
  });

  it('project.approval applies to its kinds, skips urgent and milestone-moved comms when told, and a comm can opt out', () => {
    const text = TEXT.replace(
      '  owner: ana\n',
      '  owner: ana\n  approval: { kinds: [ops-impact, exec-summary], by: [maria], skip: [urgent, milestone-moved] }\n',
    ).replace('    approval: { by: [ana, ben], needs: all }\n', '');
    const { plan } = parse(text);
    const notice = plan.comms.find((c) => c.key === 'cutover-notice')!;
    expect(approvalOf(plan, notice)).toMatchObject({ by: ['maria'], needs: 'any' });
    expect(approvalOf(plan, { ...notice, urgent: true })).toBeUndefined();
    expect(approvalOf(plan, { ...notice, schedule: undefined, trigger: { type: 'milestone-moved', milestone: 'cutover' } })).toBeUndefined();
    expect(approvalOf(plan, { ...notice, approval: false })).toBeUndefined();
    expect(approvalOf(plan, { ...notice, kind: 'announcement' })).toBeUndefined();
  });

  it('warns when a comm waits for approval and no one would be told it is held', () => {
    const text = TEXT.replace('  owner: ana\n', '').replaceAll('    workstream: exchange\n', '');
    const { warnings } = parse(text);
    expect(warnings.map((w) => `${w.line}: ${w.message}`)).toEqual([
      expect.stringMatching(/^\d+: comm "exec-summary" waits for approval but no one is told.*set project\.owner/),
      expect.stringMatching(/^\d+: comm "cutover-notice" waits for approval/),
    ]);
  });

  it('warns about a kind in project.approval that no comm has', () => {
    const { warnings } = parse(TEXT.replace('  owner: ana\n', '  owner: ana\n  approval: { kinds: [exec-sumary], by: [maria] }\n'));
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/kind "exec-sumary", which no comm has.*exec-summary/)]);
  });
});

describe('approval rules', () => {
  it('any: one approval; all: every approver; one rejection rejects', () => {
    const v = (approver: string, decision: 'approve' | 'reject') => ({ approver, decision });
    expect(approvalState({ by: ['a', 'b'], needs: 'any' }, [])).toBe('pending');
    expect(approvalState({ by: ['a', 'b'], needs: 'any' }, [v('b', 'approve')])).toBe('approved');
    expect(approvalState({ by: ['a', 'b'], needs: 'all' }, [v('b', 'approve')])).toBe('pending');
    expect(approvalState({ by: ['a', 'b'], needs: 'all' }, [v('b', 'approve'), v('a', 'approve')])).toBe('approved');
    expect(approvalState({ by: ['a', 'b'], needs: 'all' }, [v('b', 'approve'), v('a', 'reject')])).toBe('rejected');
  });

  it('asks `before` business days ahead at the same local time, never before now', () => {
    const { plan } = parse(TEXT);
    const before = { sign: 1 as const, amount: 2, unit: 'business days' as const, raw: '2 business days' };
    // Monday 14 Jan 2030 09:00 Chicago → Thursday 10 Jan 09:00 Chicago.
    const first = new Date('2030-01-14T15:00:00Z');
    expect(askAt(plan, 'America/Chicago', first, before, new Date('2029-12-01T00:00:00Z')).toISOString()).toBe('2030-01-10T15:00:00.000Z');
    const late = new Date('2030-01-13T20:00:00Z');
    expect(askAt(plan, 'America/Chicago', first, before, late).toISOString()).toBe(late.toISOString());
  });

  it('a late approval sends within approval.catchUp of the planned time, else skips with the reason', () => {
    const { plan } = parse(TEXT);
    const day = { sign: 1 as const, amount: 1, unit: 'days' as const, raw: '1 day' };
    const due = new Date('2030-01-14T15:00:00Z');
    expect(releaseVerdict(plan, { catchUp: day }, due, new Date('2030-01-15T14:00:00Z'))).toEqual({ send: true });
    expect(releaseVerdict(plan, { catchUp: day }, due, new Date('2030-01-15T16:00:00Z'))).toEqual({
      send: false,
      reason: expect.stringMatching(/more than 1 day after/),
    });
    expect(releaseVerdict(plan, { catchUp: 'send' }, due, new Date('2031-01-01T00:00:00Z'))).toEqual({ send: true });
  });
});
