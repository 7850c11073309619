/**
 * The Inbox page in Chromium: an unmatched reply (sent from Cy's home address, quoting no Herald
 * message) is listed and readable with its quoted history stripped; a viewer gets no assign form;
 * an editor assigns it to Cy's pulse message, it leaves the inbox and her answer is on Responses.
 */
import { describe, expect, it } from 'vitest';
import { receiveInboundMail } from '../../src/app/receive-inbound-mail.ts';
import { NOW, useDashboard } from '../support/dashboard.ts';
import { TEST_SECRET } from '../support/delivery.ts';
import { mailFixture } from '../support/mail-fixtures.ts';

const SUBJECT = 'Re: How is Outlook working for you after the move?';

const dash = useDashboard({
  seed: async (db) => {
    const raw = mailFixture('gmail-en', {
      TO: 'pmo@herald.example',
      FROM: 'cy.home@mail.example',
      MESSAGE_ID: '<cy-home-1@mail.example>',
      IN_REPLY_TO: '<not-ours@mail.example>',
    });
    const r = await receiveInboundMail(
      { stores: db.stores, clock: { now: () => new Date(NOW.getTime() - 3_600_000) }, secret: TEST_SECRET, publicUrl: 'http://herald.test' },
      raw,
      { via: 'webhook' },
    );
    if (r.outcome !== 'unmatched') throw new Error(`seed mail was ${r.outcome}: ${r.reason}`);
  },
});

describe('dashboard inbox', () => {
  it('lists the unmatched mail and shows it with the quoted history stripped; a viewer cannot assign', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/inbox`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Inbox');
    const row = page.getByRole('row', { name: /cy\.home@mail\.example/ });
    expect(await row.textContent()).toContain('unmatched');
    expect(await dash.checkPage(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/inbox\/[0-9a-f-]{36}$/), row.getByRole('link', { name: SUBJECT }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(SUBJECT);
    const main = await page.getByRole('main').textContent();
    expect(main).toContain('From: cy.home@mail.example');
    expect(await page.locator('pre').first().textContent()).toBe('Some issues — Teams keeps crashing when I share my screen.');
    expect(await page.getByRole('heading', { name: 'Assign to a person and message' }).count()).toBe(0);
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('an editor assigns the item to a person and message; it leaves the inbox and the response appears', async () => {
    const page = await dash.signedIn('editor', `/projects/${dash.project}/inbox`);
    await Promise.all([page.waitForURL(/\/inbox\/[0-9a-f-]{36}$/), page.getByRole('link', { name: SUBJECT }).click()]);
    await page.getByLabel(/^1\. Person/).fill('cy');
    await Promise.all([page.waitForURL(/person=cy/), page.getByRole('button', { name: 'Choose person' }).click()]);
    // Cy was sent one survey message, the pulse; it is the one offered.
    expect(await page.getByLabel("2. Cy Tan's survey message").locator('option').allTextContents()).toEqual([
      expect.stringMatching(/^Pulse 1 \(e-mail, sent /),
    ]);
    await Promise.all([page.waitForURL(/message=/), page.getByRole('button', { name: 'Choose message' }).click()]);
    expect(await dash.checkPage(page)).toEqual([]);
    await page.getByLabel(/^Some issues/).check();
    expect(await page.getByRole('textbox', { name: 'Comment' }).inputValue()).toBe('Some issues — Teams keeps crashing when I share my screen.');
    await page.getByRole('textbox', { name: 'Comment' }).fill('Teams keeps crashing when I share my screen');
    await Promise.all([page.waitForURL(/\/inbox\?assigned=/), page.getByRole('button', { name: "Record as Cy Tan's answer" }).click()]);
    expect(await page.getByRole('status').textContent()).toContain('is assigned; the answer is recorded on the Responses page');
    expect(await page.getByRole('row', { name: /cy\.home@mail\.example/ }).count()).toBe(0);
    expect(await dash.checkPage(page)).toEqual([]);

    await page.goto(`${dash.url}/projects/${dash.project}/responses?comm=pulse`);
    const cy = page.getByRole('region', { name: "Each person's answers" }).getByRole('row', { name: /Cy Tan/ });
    expect(await cy.textContent()).toContain('Some issues');
    expect(await cy.textContent()).toContain('by email reply');
    expect(await cy.textContent()).toContain('Sent from another address');
    expect(await page.getByText('Teams keeps crashing when I share my screen').count()).toBe(1);
  });
});
