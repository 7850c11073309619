/**
 * The dashboard preview in Chromium at 375 px: a comm drawn for a person picked in the form, the
 * email in a sandboxed srcdoc frame and the Slack message as Block Kit.
 */
import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/databases.ts';
import { useDashboard } from '../support/dashboard.ts';
import { DIGEST_PROJECT } from '../support/digest-seed.ts';

const HOSTILE = '<img src=x onerror=alert(1)>Ravi';

/** A plan value that is markup: it must reach the page (and the email frame) as text. */
async function hostileName(db: TestDatabase): Promise<void> {
  const p = await db.prisma.project.findUniqueOrThrow({ where: { key: DIGEST_PROJECT } });
  const plan = p.plan as { people: Array<{ id: string; name: string }> };
  plan.people.find((x) => x.id === 'ravi')!.name = HOSTILE;
  await db.prisma.project.update({ where: { id: p.id }, data: { plan } });
}

const dash = useDashboard({ seed: hostileName });

describe('dashboard preview', () => {
  it('draws the first comm for its first recipient by default', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/preview`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Preview');
    expect(await page.getByLabel('Comm').inputValue()).toBe('exec-weekly');
    expect(await page.getByRole('heading', { level: 2, name: 'Eva Lind gets' }).count()).toBe(1);
    expect(await page.locator('iframe.email-frame').count()).toBe(1);
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('a person picked in the form gets the email in a sandboxed frame and the Slack message as Block Kit', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/preview`);
    await page.getByLabel('Person').selectOption('kai');
    await Promise.all([page.waitForURL(/person=kai/), page.getByRole('button', { name: 'Preview' }).click()]);
    expect(await page.getByRole('heading', { level: 2, name: 'Kai Berg gets' }).count()).toBe(1);
    const frame = page.locator('iframe.email-frame');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('srcdoc')).toMatch(/^<!doctype html>/i);
    // Kai is in London: the digest's time is his 08:00.
    expect(await page.locator('main').textContent()).toContain('at 08:00 GMT (Europe/London)');
    expect(await page.frameLocator('iframe.email-frame').locator('body').textContent()).toContain('Exchange Online migration');
    const slack = page.locator('.slack-message');
    expect(await slack.locator('.bk-header').count()).toBeGreaterThan(0);
    expect(await slack.locator('.bk-section').count()).toBeGreaterThan(0);
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('a survey comm for one audience on one channel shows that version only, with its answer options', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/preview?comm=workstream-status&audience=ops&channel=email`);
    expect(await page.getByRole('heading', { level: 2, name: 'Ana Silva gets' }).count()).toBe(1);
    expect(await page.locator('.slack-message').count()).toBe(0);
    expect(await page.frameLocator('iframe.email-frame').getByText('On track').count()).toBeGreaterThan(0);
    const bad = await page.goto(`${dash.url}/projects/${dash.project}/preview?comm=nope`);
    expect(bad?.status()).toBe(400);
    expect(await page.locator('.error').textContent()).toContain('Pick one in the form: Exec weekly');
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('shows a plan value that is markup as text, on the page and in the email', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/preview?person=ravi`);
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe(`${HOSTILE} gets`);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.frameLocator('iframe.email-frame').locator('img[src=x]').count()).toBe(0);
    expect(await dash.checkPage(page)).toEqual([]);
  });
});
