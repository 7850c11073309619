/**
 * The Audit page in Chromium: the trail of the seeded project (the CLI's apply, a milestone moved by
 * a token, Kai's opt-out) with times in the project zone (named), people by name and actions in
 * words; the date filter; a bad date gets a readable page. Axe-clean and no sideways scroll at
 * 375 and 1,280 px (checkPage).
 */
import { describe, expect, it } from 'vitest';
import { moveMilestone } from '../../src/app/move-milestone.ts';
import { optOut } from '../../src/app/opt-out.ts';
import { NOW, useDashboard } from '../support/dashboard.ts';

const dash = useDashboard({
  seed: async (db) => {
    await moveMilestone(db, { project: 'digest-test', milestone: 'cutover', when: '2030-02-22', now: NOW, source: 'api', actor: 'pm-token' });
    const projectId = await db.stores.projects.idOf('digest-test');
    const kai = (await db.stores.people.findId(projectId, 'kai'))!;
    await optOut(db, {
      personId: kai,
      commKey: 'digest',
      commOptional: true,
      scope: 'all',
      audit: { projectKey: 'digest-test', personKey: 'kai', at: NOW, via: 'slack' },
    });
  },
});

describe('dashboard audit', () => {
  it('lists who did what and when, in the project zone, with names; axe-clean at 375 and 1,280 px', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/audit`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Audit');
    expect(await page.getByRole('columnheader', { name: 'When (America/Chicago)' }).count()).toBe(1);
    const moved = page.getByRole('row', { name: /milestone moved/ });
    expect(await moved.textContent()).toContain('pm-token');
    expect(await moved.textContent()).toContain('cutover');
    // 14:00 UTC on Monday 11 February 2030 is 08:00 in Chicago (CST).
    expect(await moved.textContent()).toContain('Mon 11 Feb 2030 08:00 CST');
    const opted = page.getByRole('row', { name: /opted out/ });
    expect(await opted.textContent()).toContain('Kai Berg');
    expect(await page.getByRole('row', { name: /plan applied/ }).count()).toBe(1);
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('filters from a date; a bad date is a readable 400 page', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/audit?since=2030-02-12`);
    expect(await page.getByRole('main').textContent()).toContain('Nothing recorded since 2030-02-12 yet.');
    expect(await dash.checkPage(page)).toEqual([]);
    const r = await page.goto(`${dash.url}/projects/${dash.project}/audit?since=soon`);
    expect(r?.status()).toBe(400);
    expect(await page.getByRole('main').textContent()).toContain('"soon" is not a date');
  });
});
