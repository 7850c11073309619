/**
 * The Approvals page in Chromium, on the approvals fixture project beside the dashboard's digest
 * project: pending approvals first with the first send in the project zone (named), state, needs,
 * approvers and their decisions by name, held count and the preview of every variant; a viewer sees
 * no forms; an editor approves on Maria's behalf (the page says what happened and the approval moves
 * under Decided, recorded as the editor's token for Maria), and requests changes as themselves (a
 * blank reason gets a readable 422 page with the form back). Axe-clean, no sideways scroll at 375 and
 * 1,280 px, labels not keys (checkPage, and the approvals project's own label rules).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { APPROVALS_PROJECT as P, seedApprovals } from '../support/approvals-seed.ts';
import { useDashboard } from '../support/dashboard.ts';
import { keysShown, labelRulesOf } from '../support/labels.ts';

const dash = useDashboard({
  // Kai's copy of the executive summary on hold, as the delivery gate holds one that comes due first.
  seed: (db) => seedApprovals(db, { holdDueBy: new Date('2030-02-15T08:00:00Z') }),
});
const url = () => `/projects/${P}/approvals`;

async function clean(page: Page): Promise<void> {
  expect(await dash.checkPage(page)).toEqual([]);
  expect(await keysShown(page, await labelRulesOf(dash.db.prisma, P))).toEqual([]);
}

const cardOf = (page: Page, title: string) => page.locator('section', { has: page.getByRole('heading', { level: 3, name: title, exact: true }) });

describe('dashboard approvals', () => {
  it('lists pending approvals first with first send (zone named), needs, decisions by name, held count and every variant; a viewer gets no forms', async () => {
    const page = await dash.signedIn('viewer', url());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Approvals');
    expect(await page.getByRole('link', { name: 'Approvals' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Waiting for a decision (4)', 'Decided (0)']);
    expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual([
      'Cutover ops briefing 1 of 3',
      'Cutover ops briefing 2 of 3',
      'Cutover ops briefing 3 of 3',
      'Go-live executive summary',
    ]);
    const summary = cardOf(page, 'Go-live executive summary');
    const text = (await summary.textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain('State: Waiting for a decision · First send: Fri 15 Feb 2030 02:00 CST · Held: 1 message');
    expect(text).toContain('Needs any one of Maria Lopez and Raj Patel · asked Mon 4 Feb 2030 09:00 CST');
    expect(text).toContain('Maria Lopez: no decision yet');
    expect(await summary.locator('summary').allTextContents()).toEqual([
      'Sponsors (executives) · Slack · English (United States) · as Eva Lind receives it',
      'Sponsors (executives) · e-mail · German (Germany) · as Kai Berg receives it',
    ]);
    // The first variant of a pending approval is open; the e-mail shows its subject.
    expect(await summary.locator('details').first().getAttribute('open')).toBe('');
    await summary.locator('summary').nth(1).click();
    expect(await summary.locator('details').nth(1).textContent()).toContain('Subject: Go-live: what changes on Monday');
    expect(await summary.locator('details').nth(1).locator('pre').textContent()).toContain('Hi Kai,');
    expect(await cardOf(page, 'Cutover ops briefing 1 of 3').textContent()).toContain('Needs both Maria Lopez and Raj Patel');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Request changes' }).count()).toBe(0);
    await clean(page);
  });

  it("an editor approves on Maria's behalf: the held message goes out, and the approval is listed as decided", async () => {
    const page = await dash.signedIn('editor', url());
    const summary = cardOf(page, 'Go-live executive summary');
    expect(await summary.getByLabel('Approve for').locator('option').allTextContents()).toEqual([
      expect.stringMatching(/^Myself \(editor-\d+-[0-9a-f]{4}\)$/),
      'Maria Lopez',
      'Raj Patel',
    ]);
    await clean(page);
    // A form for content that has changed since (a later round) decides nothing.
    await summary
      .locator('form')
      .first()
      .locator('input[name=round]')
      .evaluate((el) => el.setAttribute('value', '7'));
    const [stale] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), summary.getByRole('button', { name: 'Approve' }).click()]);
    expect(stale.status()).toBe(409);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Not approved');
    expect(await page.getByRole('main').textContent()).toContain('To fix: read the new version on the Approvals page, then decide again.');
    await page.goto(`${dash.url}${url()}`);
    await summary.getByLabel('Approve for').selectOption({ label: 'Maria Lopez' });
    await summary.getByLabel(/^Note/).fill('Numbers checked with finance');
    await Promise.all([page.waitForURL(/#appr-/), summary.getByRole('button', { name: 'Approve' }).click()]);
    expect(await page.getByRole('status').textContent()).toBe('Approved Go-live executive summary for Maria Lopez: 1 held message goes out now.');
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Waiting for a decision (3)', 'Decided (1)']);
    // (Notes are in <q>: the quotation marks are the browser's.)
    const text = (await summary.textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain('State: Approved · First send: Fri 15 Feb 2030 02:00 CST · Held: 0 messages');
    expect(text).toContain('Approved Mon 11 Feb 2030 08:00 CST: Numbers checked with finance');
    expect(text).toMatch(
      /Maria Lopez: approved Mon 11 Feb 2030 08:00 CST on the dashboard \(recorded by editor-\d+-[0-9a-f]{4}\): Numbers checked with finance/,
    );
    expect(await summary.getByRole('button').count()).toBe(0);
    await clean(page);
    const vote = await dash.db.prisma.approvalVote.findFirstOrThrow();
    expect(vote).toMatchObject({ approver: 'maria', decision: 'approve', via: 'dashboard', note: 'Numbers checked with finance' });
    expect(vote.actor).toMatch(/^editor-/);
    const kai = await dash.db.prisma.message.findFirstOrThrow({ where: { kind: 'comm', comm: { key: 'go-live-summary' }, person: { key: 'kai' } } });
    expect(kai.status).toBe('planned');
  });

  it('requesting changes needs a reason: a blank one comes back in a readable 422 page, then it is recorded as the editor', async () => {
    const page = await dash.signedIn('editor', url());
    const second = cardOf(page, 'Cutover ops briefing 2 of 3');
    // Spaces pass the browser's `required`; the server refuses them.
    await second.getByLabel(/^Reason/).fill('   ');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      second.getByRole('button', { name: 'Request changes' }).click(),
    ]);
    expect(response.status()).toBe(422);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Changes not requested');
    expect(await page.getByRole('alert').textContent()).toContain('Requesting changes needs a reason: say what should change.');
    await clean(page);
    // Markup in a note is text.
    await page.getByLabel(/^Reason/).fill('The window is <b>Saturday</b>, not Friday');
    await Promise.all([page.waitForURL(/#appr-/), page.getByRole('button', { name: 'Request changes' }).click()]);
    expect(await page.getByRole('status').textContent()).toMatch(
      /^Requested changes to Cutover ops briefing 2 of 3 as editor-\d+-[0-9a-f]{4}: its messages are held until its content changes; the project manager is told the reason\.$/,
    );
    const text = (await cardOf(page, 'Cutover ops briefing 2 of 3').textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain('State: Changes requested');
    expect(text).toMatch(
      /editor-\d+-[0-9a-f]{4} \(editor, as themselves\): requested changes Mon 11 Feb 2030 08:00 CST on the dashboard: The window is <b>Saturday<\/b>, not Friday/,
    );
    expect(await cardOf(page, 'Cutover ops briefing 2 of 3').locator('b').count()).toBe(0);
    // Decided, last decided first.
    expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual([
      'Cutover ops briefing 1 of 3',
      'Cutover ops briefing 3 of 3',
      'Cutover ops briefing 2 of 3',
      'Go-live executive summary',
    ]);
    await clean(page);
  });

  it('a project whose comms need no sign-off says how to ask for one', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/approvals`);
    expect(await page.getByRole('main').textContent()).toContain('No comm of this project waits for a sign-off.');
    expect(await dash.checkPage(page)).toEqual([]);
  });
});
