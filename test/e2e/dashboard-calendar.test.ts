/**
 * The dashboard calendar in Chromium at 375 px: the week of the seeded digest project, filtered by
 * person (with that person's feed), the month grid, and one entry drawn as its person gets it.
 */
import { describe, expect, it } from 'vitest';
import { useDashboard } from '../support/dashboard.ts';

const dash = useDashboard();

describe('dashboard calendar', () => {
  it('shows the week in the project zone with the project feed, then filters by person and switches to the month', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/calendar`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Calendar');
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toContain('Week of 11 February 2030');
    const week = page.getByRole('list', { name: /week of 11 February 2030/i });
    // One entry per comm occurrence, in words: the Monday digest at 08:00 each person's time.
    const digest = week.locator('li.occ summary', { hasText: 'Exec weekly week 7' });
    expect(await digest.count()).toBe(1);
    expect(await digest.textContent()).toMatch(/^08:00 local.*Exec weekly week 7\s*→ \d+ (person|people): /);
    expect(await week.textContent()).not.toMatch(/exec-weekly|#\d/);
    expect(await page.locator('#feeds + ul').textContent()).toContain('/calendar/digest-test.ics?token=FEED_TOKEN');
    expect(await dash.checkPage(page)).toEqual([]);

    await page.getByLabel('Person').selectOption('kai');
    await Promise.all([page.waitForURL(/person=kai/), page.getByRole('button', { name: 'Show' }).click()]);
    const entries = await page.locator('.cal-day li').allTextContents();
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((t) => t.includes('Kai Berg'))).toBe(true);
    expect(await page.locator('#feeds + ul').textContent()).toContain('/calendar/digest-test/kai.ics?token=FEED_TOKEN');
    expect(await dash.checkPage(page)).toEqual([]);

    await Promise.all([page.waitForURL(/view=month/), page.getByRole('link', { name: 'Month view' }).click()]);
    expect(await page.getByRole('list', { name: 'Month of February 2030' }).count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('person')).toBe('kai');
    // Kai gets the Monday digest every week of February on two channels.
    expect(await page.locator('.cal-day li', { hasText: 'Exec weekly' }).count()).toBeGreaterThanOrEqual(8);
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('opens a comm occurrence to its recipients by name, and a recipient to their copy', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/calendar`);
    const digest = page.locator('li.occ', { hasText: 'Exec weekly week 7' });
    await digest.locator('summary').click();
    await Promise.all([page.waitForURL(/\/calendar\/occurrences\/exec-weekly\//), digest.getByRole('link', { name: 'Recipients and each copy' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Exec weekly week 7');
    const rows = page.getByRole('region', { name: 'Recipients' }).locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.filter({ hasText: 'Kai Berg' }).count()).toBeGreaterThan(0);
    expect(await dash.checkPage(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/calendar\/messages\//), rows.filter({ hasText: 'Kai Berg' }).first().getByRole('link').click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Exec weekly week \d+ for Kai Berg$/);
    const missing = await page.goto(`${dash.url}/projects/${dash.project}/calendar/occurrences/exec-weekly/x`);
    expect(missing?.status()).toBe(404);
  });

  it('shows times in the zone picked, and moves a week with the pager', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/calendar?person=kai&zone=Europe/London`);
    // 08:00 in London is Kai's own send time for the Monday digest.
    expect(await page.locator('.cal-day li', { hasText: '08:00 GMT Exec weekly' }).count()).toBeGreaterThan(0);
    await Promise.all([page.waitForURL(/date=2030-02-18/), page.getByRole('link', { name: /Next week/ }).click()]);
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toContain('Week of 18 February 2030');
    const bad = await page.goto(`${dash.url}/projects/${dash.project}/calendar?zone=Mars/Olympus`);
    expect(bad?.status()).toBe(400);
    expect(await page.locator('.error').textContent()).toContain('not an IANA time zone');
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('opens an entry as the email (sandboxed frame) and the Slack message its person gets', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/calendar?person=kai`);
    await Promise.all([page.waitForURL(/\/calendar\/messages\//), page.locator('.cal-day li a', { hasText: 'Exec weekly' }).first().click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Exec weekly week \d+ for Kai Berg$/);
    const frame = page.locator('iframe.email-frame');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('srcdoc')).toContain('<html');
    const inside = page.frameLocator('iframe.email-frame');
    expect(await inside.locator('body').textContent()).toContain('Exchange');
    expect(await page.locator('.slack-message .bk-header').count()).toBeGreaterThan(0);
    expect(await dash.checkPage(page)).toEqual([]);
  });
});
