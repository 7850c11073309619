/**
 * The pages a link in a message opens (answer /r/, unsubscribe /u/, escalation controls /e/, approval /a/), before
 * and after their button, in a real headless Chromium at 375 and 1,280 px: no sideways scroll, no
 * serious axe findings, and names, option labels and comm titles rather than keys (test/support/labels.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordResponse } from '../../src/app/record-response.ts';
import { systemClock } from '../../src/app/ports.ts';
import { signToken } from '../../src/domain/tokens.ts';
import { createHttpReads } from '../../src/db/repo/http-reads.ts';
import { startHttpServer, type RunningServer } from '../../src/main/http.ts';
import { APPROVAL_PROJECT, seedApprovals, type SeededApprovals } from '../support/approvals.ts';
import { axeSerious } from '../support/axe.ts';
import { launchChromiumBrowser } from '../support/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_SECRET } from '../support/delivery.ts';
import { keysShown, labelRulesOf, type LabelRules } from '../support/labels.ts';
import { pageWidth } from '../support/page-width.ts';
import { RESPONSES_PROJECT, seedResponses, type SeededResponses } from '../support/responses.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';

const WIDTHS = [375, 1280] as const;

describe('link pages at 375 and 1,280 px', () => {
  let db: TestDatabase;
  let srv: RunningServer;
  let seed: SeededResponses;
  let browser: Browser;
  let rules: LabelRules;
  let approvals: SeededApprovals;
  let approvalRules: LabelRules;
  beforeAll(async () => {
    db = await createTestDatabase();
    seed = await seedResponses(db);
    rules = await labelRulesOf(db.prisma, RESPONSES_PROJECT);
    approvals = await seedApprovals(db);
    approvalRules = await labelRulesOf(db.prisma, APPROVAL_PROJECT);
    srv = await startHttpServer({ db, reads: createHttpReads(db), redisUrl: TEST_REDIS_URL, secret: TEST_SECRET }, 0, '127.0.0.1');
    browser = await launchChromiumBrowser();
  }, 360_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    await db?.drop();
  });

  const exp = () => Math.floor(Date.now() / 1000) + 3600;

  /** Opens `path` at `width`, checks it, presses the page's one submit button and checks the result page too. */
  async function openAndPress(path: string, width: number, labels: LabelRules = rules): Promise<{ before: string; after: string }> {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    const check = async (p: Page, what: string) => {
      expect(await pageWidth(p), `${what} at ${width} px scrolls sideways`).toEqual({ scroll: width, view: width });
      expect(await axeSerious(p), `${what} at ${width} px`).toEqual([]);
      expect(await keysShown(p, labels), `${what} at ${width} px shows keys`).toEqual([]);
    };
    try {
      const res = await page.goto(`${srv.url}${path}`, { waitUntil: 'load' });
      expect(res?.status()).toBe(200);
      await check(page, `${path.slice(0, 3)} page`);
      const before = (await page.locator('main, body').first().textContent()) ?? '';
      await Promise.all([page.waitForEvent('load'), page.locator('button[type=submit]').first().click()]);
      await check(page, `${path.slice(0, 3)} result`);
      const after = (await page.locator('main, body').first().textContent()) ?? '';
      return { before, after };
    } finally {
      await context.close();
    }
  }

  it('the answer page and its thank-you page', async () => {
    for (const width of WIDTHS) {
      const m = seed.message('checkin', width === 375 ? 'ben' : 'ana', 'email');
      const { before, after } = await openAndPress(`/r/${signToken(TEST_SECRET, { k: 'answer', m: m.id, p: m.personId, o: 'minor', exp: exp() })}`, width);
      expect(before).toContain('Some issues');
      expect(after.length).toBeGreaterThan(0);
    }
  });

  it('the unsubscribe page and its confirmation', async () => {
    for (const width of WIDTHS) {
      const m = seed.message('tips', width === 375 ? 'ben' : 'cy', 'email');
      const { after } = await openAndPress(`/u/${signToken(TEST_SECRET, { k: 'unsubscribe', m: m.id, p: m.personId, exp: exp() })}`, width);
      expect(after.length).toBeGreaterThan(0);
    }
  });

  it("the owner's escalation page (acknowledge) and its confirmation", async () => {
    for (const width of WIDTHS) {
      const m = seed.message('checkin', width === 375 ? 'cy' : 'ben', width === 375 ? 'email' : 'slack');
      const r = await recordResponse(
        { stores: db.stores, clock: systemClock },
        { messageId: m.id, option: 'blocked', comment: 'Laptop will not boot', channel: 'email-link', receivedAt: new Date(), sourceRef: `link:${width}` },
      );
      const id = r.followUps.escalation!.id;
      const e = await db.prisma.escalation.findUniqueOrThrow({ where: { id } });
      const { before } = await openAndPress(`/e/${signToken(TEST_SECRET, { k: 'escalation', m: id, p: e.ownerId!, o: 'acknowledge', exp: exp() })}`, width);
      expect(before).toContain('Laptop will not boot');
      expect((await db.prisma.escalation.findUniqueOrThrow({ where: { id } })).state).toBe('acknowledged');
    }
  });

  it("an approver's approval page (every variant's preview) and its confirmation", async () => {
    for (const width of WIDTHS) {
      // Raj (Asia/Kolkata) at 375 px, Maria (America/Chicago) at 1,280 px; each on an occurrence of their own.
      const occurrence = width === 375 ? 0 : 1;
      const { before, after } = await openAndPress(await approvals.link(width === 375 ? 'raj' : 'maria', occurrence), width, approvalRules);
      expect(before).toContain('Leadership team · E-mail');
      expect(before).toContain('Exchange Online goes live on Friday');
      expect(before).toContain('What should change?');
      expect(after).toContain(`You approved Go-live summary ${occurrence + 1} of 3.`);
      const a = await db.prisma.approval.findFirstOrThrow({ where: { projectId: approvals.projectId, occurrence } });
      expect(a.state).toBe('approved');
    }
  });
});
