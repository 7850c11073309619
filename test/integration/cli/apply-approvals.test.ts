import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';

const PLAN = 'test/fixtures/plans/approval.plan.yaml';

describe('herald apply and milestone move say what they did to approvals', () => {
  let db: TestDatabase;
  let dir: string;
  // Before the fixture's 2030 cutover, whatever today is.
  const env = () => ({ DATABASE_URL: db.url, HERALD_TEST_NOW: '2029-12-03T15:00:00Z' });
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'herald-approval-plan-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks at the first apply, keeps an approval through a milestone move, withdraws it when the words change', async () => {
    const first = await runCli(['apply', PLAN], env());
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('approvals: 1 asked');

    const moved = await runCli(['milestone', 'move', 'approval-test', 'cutover', '2030-01-22T18:00'], env());
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toContain('approvals: 1 kept (only the date moved)');

    const file = join(dir, 'plan.yaml');
    writeFileSync(
      file,
      readFileSync(PLAN, 'utf8')
        .replace('cutover: { at: 2030-01-15T18:00', 'cutover: { at: 2030-01-22T18:00')
        .replace('Outlook will not sync during the window.', 'Outlook and Teams will not sync during the window.'),
    );
    const changed = await runCli(['apply', file], env());
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain('approvals: 1 withdrawn (the content changed; approvers asked again)');

    const again = await runCli(['apply', file], env());
    expect(again.stdout).not.toContain('approvals:');
  }, 60_000);
});
