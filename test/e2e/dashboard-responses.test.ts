/**
 * The Responses page in Chromium: the pulse survey's answer split and per-audience rate, the
 * comments with a search box, and each person's history (a changed answer, one sent from another
 * address). Cy answers through recordResponse (the one use case), then changes her mind.
 */
import { describe, expect, it } from 'vitest';
import { recordResponse } from '../../src/app/record-response.ts';
import { NOW, useDashboard } from '../support/dashboard.ts';
import { DIGEST_PROJECT } from '../support/digest-seed.ts';

const HOUR = 3_600_000;

const dash = useDashboard({
  seed: async (db) => {
    const cys = await db.prisma.message.findFirstOrThrow({
      where: { comm: { key: 'pulse' }, occurrence: 0, person: { key: 'cy' }, project: { key: DIGEST_PROJECT } },
    });
    const clock = { now: () => NOW };
    const base = { messageId: cys.id, channel: 'email-reply' as const, fromOtherAddress: true };
    await recordResponse(
      { stores: db.stores, clock },
      { ...base, option: 'good', comment: 'Works fine since Monday', receivedAt: new Date(NOW.getTime() - 5 * HOUR), sourceRef: 'mail:cy-1@test' },
    );
    await recordResponse(
      { stores: db.stores, clock },
      {
        ...base,
        option: 'blocked',
        comment: 'Outlook will not start after the update <b>now</b>',
        receivedAt: new Date(NOW.getTime() - 2 * HOUR),
        sourceRef: 'mail:cy-2@test',
      },
    );
  },
});

describe('dashboard responses', () => {
  it("shows the answer split, the rates, the comments and each person's history", async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/responses`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Responses');
    const pulse = page.getByRole('region', { name: 'Answers to Pulse' });
    expect(await pulse.getByRole('row', { name: /Some issues/ }).textContent()).toContain('1 of 2 (50%)');
    expect(await pulse.getByRole('row', { name: /I can't work/ }).textContent()).toContain('1 of 2 (50%)');
    expect(
      await page
        .getByRole('region', { name: 'Response rate for Pulse' })
        .getByRole('row', { name: /end-users/ })
        .textContent(),
    ).toContain('2 of 2 (100%)');
    const people = page.getByRole('region', { name: "Each person's answers" });
    const cy = people.getByRole('row', { name: /Cy Tan/ });
    // Option labels, not values.
    expect(await cy.textContent()).toContain("All good → I can't work");
    expect(await cy.textContent()).toContain('Sent from another address');
    expect(await people.getByRole('row', { name: /Bob Moss/ }).textContent()).toContain('first answer');
    // An answer's markup is shown as text, never as markup.
    expect(await page.getByText('Outlook will not start after the update <b>now</b>').count()).toBe(1);
    expect(await page.locator('main b').count()).toBe(0);
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('searches the comments with the search box', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/responses`);
    expect(await page.getByText('Outlook will not start').count()).toBe(1);
    await page.getByLabel('Survey').selectOption('pulse');
    await page.getByRole('searchbox', { name: 'Search comments' }).fill('calendars');
    await Promise.all([page.waitForURL(/q=calendars/), page.getByRole('button', { name: 'Show' }).click()]);
    expect(await page.getByText('Shared calendars are slow to open').count()).toBe(1);
    expect(await page.getByText('Outlook will not start').count()).toBe(0);
    expect(await page.getByRole('searchbox', { name: 'Search comments' }).inputValue()).toBe('calendars');
    // The search narrows each person's answers too.
    const people = page.getByRole('region', { name: "Each person's answers" });
    expect(await people.getByRole('row', { name: /Bob Moss/ }).count()).toBe(1);
    expect(await people.getByRole('row', { name: /Cy Tan/ }).count()).toBe(0);
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('names the surveys when the comm is not one', async () => {
    const page = await dash.signedIn('viewer');
    const r = await page.goto(`${dash.url}/projects/${dash.project}/responses?comm=exec-weekly`);
    expect(r?.status()).toBe(404);
    expect(await page.getByRole('main').textContent()).toContain('survey comms: workstream-status, pulse');
  });
});
