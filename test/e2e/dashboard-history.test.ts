/**
 * The History page and a version's page in Chromium. The seeded project has three versions: the
 * CLI's apply (1); a plan with hypercare a week longer, the pulse survey an hour later and Cy Tan
 * removed, applied by a token (2); and a rollback to version 1 (3). The list says when (project zone, named), by whom and what changed
 * in words; a version's page shows the plan's changed lines with + and - (not colour alone) and the
 * messages it adds, moves and cancels, people by name. Axe-clean and no sideways scroll at 375 and
 * 1,280 px, no keys shown (checkPage).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/app/apply-plan.ts';
import { loadPlanText } from '../../src/app/load-plan.ts';
import { rollbackPlan } from '../../src/app/plan-history.ts';
import { NOW, useDashboard } from '../support/dashboard.ts';
import { DIGEST_PLAN } from '../support/digest-seed.ts';

const V2 = readFileSync(DIGEST_PLAN, 'utf8')
  .replace('hypercare-end: { at: 2030-03-29T17:00', 'hypercare-end: { at: 2030-04-05T17:00')
  .replace('schedule: { every: week, on: wednesday, time: "14:00"', 'schedule: { every: week, on: wednesday, time: "15:00"')
  .replace(/^ {4}- \{ id: cy, .*\n/m, '');

const dash = useDashboard({
  seed: async (db) => {
    const loaded = loadPlanText(V2, { name: 'digest.plan.yaml' });
    const r = await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: NOW, actor: 'pm-token', source: loaded.source });
    expect(r.version).toBe(2);
    const back = await rollbackPlan(db, { project: 'digest-test', to: 1, now: new Date(NOW.getTime() + 3600_000), actor: 'ops-bot' });
    expect(back.version).toBe(3);
  },
});

describe('dashboard history', () => {
  it('lists the versions, newest first: when in the project zone, by whom, what changed in words; axe-clean at 375 and 1,280 px', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/history`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('History');
    expect(await page.getByRole('columnheader', { name: 'Applied (America/Chicago)' }).count()).toBe(1);
    const rows = page.getByRole('row');
    expect(await rows.count()).toBe(4);
    const v3 = await rows.nth(1).textContent();
    // 15:00 UTC on Monday 11 February 2030 is 09:00 in Chicago (CST).
    expect(v3).toContain('Version 3');
    expect(v3).toContain('Mon 11 Feb 2030 09:00 CST');
    expect(v3).toContain('ops-bot');
    expect(v3).toContain('version 1');
    const v2 = await rows.nth(2).textContent();
    expect(v2).toContain('pm-token');
    expect(v2).toMatch(/[1-9]\d* added, [1-9]\d* moved, [1-9]\d* cancelled; \d milestones? moved/);
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it("a version's page: the plan's lines with + and -, the calendar effect with names and zoned times; axe-clean", async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/history`);
    await Promise.all([page.waitForURL(/\/history\/2$/), page.getByRole('link', { name: 'Version 2' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Version 2');
    const diff = page.locator('pre.diff').first();
    expect(await diff.locator('del', { hasText: 'hypercare-end: { at: 2030-03-29T17:00' }).textContent()).toMatch(/^- {2}hypercare-end/);
    expect(await diff.locator('ins', { hasText: 'hypercare-end: { at: 2030-04-05T17:00' }).textContent()).toMatch(/^\+ {2}hypercare-end/);
    expect(await diff.locator('del', { hasText: 'id: cy' }).count()).toBe(1);
    const main = (await page.getByRole('main').textContent()) ?? '';
    expect(main).toContain('Lines starting with + are in version 2 and not in version 1');
    expect(main).toMatch(/Version 2 instead of version 1: [1-9]\d* added, [1-9]\d* moved, [1-9]\d* cancelled/);
    const cancelled = page.getByRole('heading', { name: 'Cancelled' }).locator('xpath=following-sibling::ul[1]');
    expect(await cancelled.textContent()).toMatch(/→ Cy Tan \(e-mail\) \(was \w{3} \d+ \w{3} 2030 \d\d:\d\d C[SD]T\)/);
    const moved = page.getByRole('heading', { name: 'Moved' }).locator('xpath=following-sibling::ul[1]');
    expect(await moved.textContent()).toMatch(/→ [A-Z][a-z]+ [A-Z][a-z]+ \((e-mail|Slack)\): \w{3} \d+ \w{3} 2030 \d\d:\d\d C[SD]T → /);
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('version 3 names the version it rolled back to; version 1 shows its plan file; a bad or unknown version is a readable page', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/history/3`);
    expect(await page.getByRole('main').textContent()).toContain('A rollback: it applied version 1 again.');
    expect(await dash.checkPage(page)).toEqual([]);
    await page.goto(`${dash.url}/projects/${dash.project}/history/1`);
    expect(await page.getByRole('main').textContent()).toContain('Version 1 is the first');
    expect(await page.locator('details[open] pre').textContent()).toContain('key: digest-test');
    expect(await dash.checkPage(page)).toEqual([]);
    const bad = await page.goto(`${dash.url}/projects/${dash.project}/history/abc`);
    expect(bad?.status()).toBe(400);
    expect(await page.getByRole('main').textContent()).toContain('"abc" is not a version number.');
    const unknown = await page.goto(`${dash.url}/projects/${dash.project}/history/9`);
    expect(unknown?.status()).toBe(404);
    expect(await page.getByRole('main').textContent()).toContain('Digest test project has no version 9.');
    expect(await page.getByRole('main').textContent()).toContain('It has versions 1 to 3. The History page lists them.');
  });
});
