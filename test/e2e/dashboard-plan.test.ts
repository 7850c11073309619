/**
 * The Plan page in Chromium: milestones with baseline against current dates (the seeded week
 * moved the cutover a week), workstreams and owners, audiences, comms, and the validation warnings
 * of the last `herald apply`, printed as `herald validate` prints them. An editor moves a
 * milestone: a dry run shows the re-plan summary, Confirm applies it and the date changes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { useDashboard } from '../support/dashboard.ts';
import { DIGEST_PLAN } from '../support/digest-seed.ts';

const dir = mkdtempSync(join(tmpdir(), 'herald-plan-page-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dash = useDashboard({
  seed: async (db) => {
    // The same plan with the seeded cutover move written into it, and a channel listed twice
    // (a warning), applied as a PM would: the warning is stored with the plan.
    const text = readFileSync(DIGEST_PLAN, 'utf8')
      .replace('cutover: { at: 2030-02-15T18:00', 'cutover: { at: 2030-02-22T18:00')
      .replace('channels: [email, slack]', 'channels: [email, slack, email]');
    const file = join(dir, 'digest-warn.plan.yaml');
    writeFileSync(file, text);
    const r = await runCli(['apply', file], { DATABASE_URL: db.url });
    if (r.code !== 0) throw new Error(`apply failed: ${r.stderr}`);
    if (!r.stderr.includes('warning: ')) throw new Error(`expected a plan warning, got: ${r.stderr}`);
  },
});

describe('dashboard plan', () => {
  it('shows the applied plan and its warnings; a viewer gets no move form', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/plan`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Plan');
    const cutover = page.getByRole('region', { name: 'Milestones table' }).getByRole('row', { name: /Mailbox cutover/ });
    expect(await cutover.textContent()).toMatch(/Fri 15 Feb 2030 18:00 CST.*Fri 22 Feb 2030 18:00 CST.*1$/);
    const warnings = await page.getByRole('region', { name: 'Validation warnings' }).textContent();
    expect(warnings).toMatch(/digest-warn\.plan\.yaml:\d+: warning: comms\[0\]\.channels\[2\]: channel "email" is listed twice/);
    const main = await page.getByRole('main').textContent();
    expect(main).toContain('Exchange Online migration');
    expect(main).toContain('Owner: Ana Silva · Escalation: Eva Lind');
    expect(main).toContain('executives: 3 people');
    expect(
      await page
        .getByRole('row', { name: /workstream-status/ })
        .first()
        .textContent(),
    ).toContain('recurring schedule, tied to Kickoff, End of hypercare');
    expect(await page.getByRole('button', { name: 'Dry run' }).count()).toBe(0);
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('an editor moves a milestone: dry run with the summary, then confirm, and the date changes', async () => {
    const page = await dash.signedIn('editor', `/projects/${dash.project}/plan`);
    expect(await dash.checkPage(page)).toEqual([]);
    await page.getByLabel('Milestone', { exact: true }).selectOption('hypercare-end');
    await page.getByLabel(/^New date or date-time/).fill('2030-04-12');
    await Promise.all([page.waitForURL(/\/plan\/move$/), page.getByRole('button', { name: 'Dry run' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Move End of hypercare: dry run');
    const summary = await page.getByRole('list', { name: 'What the move changes' }).textContent();
    expect(summary).toMatch(/\d+ messages are added/);
    expect(summary).toMatch(/\d+ messages tied to it are already sent/);
    expect(await page.getByRole('main').textContent()).toContain('Fri 29 Mar 2030 17:00 CDT to Fri 12 Apr 2030 17:00 CDT');
    expect(await dash.checkPage(page)).toEqual([]);
    // The dry run stored nothing.
    const before = await dash.db.prisma.milestone.findFirstOrThrow({ where: { key: 'hypercare-end' } });
    expect(before.at.toISOString()).toBe('2030-03-29T22:00:00.000Z');

    await Promise.all([page.waitForURL(/\/plan\?moved=hypercare-end$/), page.getByRole('button', { name: 'Confirm move' }).click()]);
    expect(await page.getByRole('status').textContent()).toContain('Moved End of hypercare to Fri 12 Apr 2030 17:00 CDT');
    const row = page.getByRole('region', { name: 'Milestones table' }).getByRole('row', { name: /End of hypercare/ });
    expect(await row.textContent()).toMatch(/Fri 29 Mar 2030 17:00 CDT.*Fri 12 Apr 2030 17:00 CDT.*1$/);
    expect(await dash.checkPage(page)).toEqual([]);
    const moves = await dash.db.prisma.milestoneMove.findMany({ where: { milestone: { key: 'hypercare-end' } } });
    expect(moves).toMatchObject([{ source: 'dashboard', toAt: new Date('2030-04-12T22:00:00Z') }]);
  });

  it('a date that is not one gets a readable 422 page', async () => {
    const page = await dash.signedIn('editor', `/projects/${dash.project}/plan`);
    await page.getByLabel(/^New date or date-time/).fill('next friday');
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Dry run' }).click()]);
    expect(response.status()).toBe(422);
    expect(await page.getByRole('main').textContent()).toContain('"next friday" is not a date or date-time');
    expect(await dash.checkPage(page)).toEqual([]);
  });
});
