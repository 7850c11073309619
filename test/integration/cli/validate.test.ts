import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { EXAMPLE_CLOCK_ENV } from '../../fixtures/example-now.ts';
import { EXAMPLE, exampleVariant, lineOf, MANUAL_PLAN } from './cli-fixtures.ts';

// validate opens no database; an empty environment is enough.
const env = { ...EXAMPLE_CLOCK_ENV };

describe('herald validate', () => {
  it('accepts the example plan with a one-line summary', async () => {
    const r = await runCli(['validate', EXAMPLE], env);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(
      /^examples\/m365-migration\.plan\.yaml is valid: project northwind-m365, 6 milestones, 45 people, 10 comms, \d+ scheduled messages \(\d+ of them survey reminders\)\n$/,
    );
  });

  it('counts in the singular where there is one', async () => {
    const r = await runCli(['validate', MANUAL_PLAN], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is valid: project cli-manual, 1 milestone, 2 people, 2 comms, \d+ scheduled messages?\n$/);
  });

  it('reports every error of the broken fixture as file:line: path: message, then a count', async () => {
    const r = await runCli(['validate', 'test/fixtures/plans/broken.plan.yaml'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    const issues = lines.slice(0, -1);
    expect(issues.length).toBeGreaterThanOrEqual(20);
    for (const l of issues) expect(l).toMatch(/^test\/fixtures\/plans\/broken(\.plan\.yaml|-people\.csv):\d+: \S+: \S.*$/);
    expect(lines.at(-1)).toBe(`${issues.length} errors; nothing was changed`);
    // Errors from the YAML and from its CSV, each at its own line.
    expect(issues).toContain(
      'test/fixtures/plans/broken.plan.yaml:38: comms[0].schedule.at: unknown milestone "cutovr" (did you mean "cutover"? known: kickoff, cutover, go-live)',
    );
    expect(issues.some((l) => l.startsWith('test/fixtures/plans/broken.plan.yaml:11: project.colour: unknown key "colour"'))).toBe(true);
    expect(issues.some((l) => l.startsWith('test/fixtures/plans/broken-people.csv:2: broken-people.csv[ana].email:'))).toBe(true);
  });

  it('names the line of a mistyped template and suggests the right one', async () => {
    const plan = exampleVariant((t) => t.replace('template: ops-impact-notice', 'template: ops-impact-notise'));
    try {
      const r = await runCli(['validate', plan.file], env);
      expect(r.code).toBe(1);
      const [issue, count, ...rest] = r.stderr.trimEnd().split('\n');
      expect(rest).toEqual([]);
      expect(issue).toMatch(
        new RegExp(`^${escapeRegExp(plan.file)}:${lineOf(plan.text, 'ops-impact-notise')}: comms\\[3\\]\\.template: template "ops-impact-notise" not found`),
      );
      expect(issue).toContain('did you mean "ops-impact-notice"?');
      expect(count).toBe('1 error; nothing was changed');
    } finally {
      plan.remove();
    }
  });

  it('says so when the plan file does not exist', async () => {
    const r = await runCli(['validate', 'no/such/plan.yaml'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: plan file no/such/plan.yaml not found');
    expect(r.stderr).toContain('hint: check the path');
  });

  it('exits 1 with usage help when the plan argument is missing', async () => {
    const r = await runCli(['validate'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("missing required argument 'plan'");
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
