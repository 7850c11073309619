/**
 * The dashboard delivery log in Chromium at 375 px: failed messages with their attempts, filters
 * and pages, an editor's Retry (one, then all) and a viewer who sees no buttons.
 */
import { describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/databases.ts';
import { NOW, useDashboard } from '../support/dashboard.ts';
import { DIGEST_PROJECT } from '../support/digest-seed.ts';

/** Two sends that failed for good last week: Kai's Slack digest and Cy's bounced pulse e-mail. */
async function seedFailures(db: TestDatabase): Promise<void> {
  const project = await db.prisma.project.findUniqueOrThrow({ where: { key: DIGEST_PROJECT } });
  const failed = [
    { key: (k: string) => k.startsWith('exec-weekly#') && k.endsWith(':kai:slack'), error: 'slack: user_not_found' },
    { key: (k: string) => k.startsWith('pulse#') && k.endsWith(':cy:email'), error: 'smtp: 550 mailbox unavailable' },
  ];
  const past = await db.prisma.message.findMany({ where: { projectId: project.id, dueAt: { lt: NOW } }, orderBy: { dueAt: 'desc' } });
  for (const f of failed) {
    const m = past.find((x) => f.key(x.key))!;
    await db.prisma.message.update({ where: { id: m.id }, data: { status: 'failed', attempts: 2, lastError: f.error } });
    await db.prisma.delivery.createMany({
      data: [
        { messageId: m.id, at: new Date(m.dueAt.getTime() + 1000), channel: m.channel, outcome: 'retry', error: 'timeout after 10000 ms' },
        { messageId: m.id, at: new Date(m.dueAt.getTime() + 61_000), channel: m.channel, outcome: 'failed', error: f.error },
      ],
    });
  }
}

const dash = useDashboard({ seed: seedFailures });
const failedPath = () => `/projects/${dash.project}/messages?status=failed`;

describe('dashboard messages', () => {
  it('a viewer sees the failed messages with every attempt, and no Retry buttons', async () => {
    const page = await dash.signedIn('viewer', failedPath());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Messages');
    const items = page.locator('ol.log > li');
    expect(await items.count()).toBe(2);
    const text = (await items.allTextContents()).join('\n');
    expect(text).toContain('slack: user_not_found');
    expect(text).toContain('smtp: 550 mailbox unavailable');
    expect(text).toContain('timeout after 10000 ms');
    expect(await page.getByLabel('Status').inputValue()).toBe('failed');
    expect(await page.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    expect(await dash.checkPage(page)).toEqual([]);
    // Each entry opens the message as its person gets it.
    await Promise.all([page.waitForURL(/\/calendar\/messages\//), items.filter({ hasText: 'cy' }).getByRole('link').first().click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Pulse \d+ for Cy Tan$/);
    expect(await page.locator('.status').textContent()).toBe('failed');
  });

  it('filters by person and channel, and pages through the whole log', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/messages`);
    expect(await page.locator('ol.log > li').count()).toBe(50);
    await Promise.all([page.waitForURL(/page=2/), page.getByRole('link', { name: 'Next →' }).click()]);
    expect(await page.getByText('Page 2').count()).toBe(1);
    await page.getByLabel('Person').selectOption('kai');
    await page.getByLabel('Channel').selectOption('slack');
    await Promise.all([page.waitForURL(/person=kai/), page.getByRole('button', { name: 'Show' }).click()]);
    const rows = await page.locator('ol.log > li > p:first-child').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.includes('Kai Berg · Slack'))).toBe(true);
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('an editor retries one failed message, which goes back to planned, then retries all failed', async () => {
    const page = await dash.signedIn('editor', failedPath());
    const kai = page.locator('ol.log > li', { hasText: 'kai' });
    await Promise.all([page.waitForURL(/retried=1/), kai.getByRole('button', { name: /^Retry/ }).click()]);
    expect(await page.getByRole('status').textContent()).toContain('1 failed message is back in the calendar');
    // The filter survived the round trip: only Cy's is still failed.
    expect(new URL(page.url()).searchParams.get('status')).toBe('failed');
    expect(await page.locator('ol.log > li').count()).toBe(1);
    expect(await dash.checkPage(page)).toEqual([]);

    await page.goto(`${dash.url}/projects/${dash.project}/messages?person=kai&channel=slack&status=planned`);
    const retried = page.locator('ol.log > li', { hasText: 'user_not_found' });
    expect(await retried.locator('.status').textContent()).toBe('planned');

    await page.goto(`${dash.url}${failedPath()}`);
    await Promise.all([page.waitForURL(/retried=1/), page.getByRole('button', { name: 'Retry all failed' }).click()]);
    expect(await page.getByText('No messages match these filters.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Retry all failed' }).count()).toBe(0);
    expect(await dash.checkPage(page)).toEqual([]);
  });
});
