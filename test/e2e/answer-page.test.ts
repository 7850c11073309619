/**
 * The answer page in a real headless Chromium at a phone's width (375 px): usable, no outside
 * requests, and opening it — with JavaScript on, as some mail scanners do — records nothing.
 * Chromium comes from Debian, with the flags of test/support/chromium.ts (which installs it when missing).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/domain/tokens.ts';
import { startHttpServer, type RunningServer } from '../../src/main/http.ts';
import { createHttpReads } from '../../src/db/repo/http-reads.ts';
import { launchChromiumBrowser } from '../support/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_SECRET } from '../support/delivery.ts';
import { seedResponses, type SeededMessage, type SeededResponses } from '../support/responses.ts';
import { TEST_REDIS_URL } from '../support/run-id.ts';

describe('answer page in headless Chromium at 375 px', () => {
  let db: TestDatabase;
  let srv: RunningServer;
  let seed: SeededResponses;
  let browser: Browser;
  beforeAll(async () => {
    db = await createTestDatabase();
    seed = await seedResponses(db);
    srv = await startHttpServer({ db, reads: createHttpReads(db), redisUrl: TEST_REDIS_URL, secret: TEST_SECRET }, 0, '127.0.0.1');
    browser = await launchChromiumBrowser();
  }, 360_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    await db?.drop();
  });

  const token = (m: SeededMessage, o: string) => signToken(TEST_SECRET, { k: 'answer', m: m.id, p: m.personId, o, exp: Math.floor(Date.now() / 1000) + 3600 });
  const responses = (m: SeededMessage) => db.prisma.response.findMany({ where: { personId: m.personId, comm: { key: m.comm } } });

  it('opening the page with JavaScript on loads nothing from outside, fits 375 px and records nothing', async () => {
    const m = seed.message('checkin', 'ben', 'email');
    const context = await browser.newContext({
      viewport: { width: 375, height: 667 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled: true,
    });
    const page = await context.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    const url = `${srv.url}/r/${token(m, 'minor')}`;
    const res = await page.goto(url, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    await page.waitForTimeout(1_500);
    expect(requested.filter((u) => !u.startsWith(srv.url))).toEqual([]);
    expect(requested.filter((u) => u !== url)).toEqual([]);
    interface Box {
      width: number;
      height: number;
      right: number;
    }
    // A string, because this runs in the page (this project's types have no DOM).
    const layout = await page.evaluate<{ scrollWidth: number; button: Box; options: Box[]; checked?: string; fontSize: number }>(`(() => {
      const box = (e) => { const r = e.getBoundingClientRect(); return { width: r.width, height: r.height, right: r.right }; };
      return {
        scrollWidth: document.documentElement.scrollWidth,
        button: box(document.querySelector('button[type=submit]')),
        options: [...document.querySelectorAll('label.option')].map(box),
        checked: document.querySelector('input[name=option]:checked')?.value,
        fontSize: parseFloat(getComputedStyle(document.body).fontSize),
      };
    })()`);
    expect(layout.scrollWidth).toBeLessThanOrEqual(375);
    expect(layout.button.width).toBeGreaterThan(300);
    expect(layout.button.height).toBeGreaterThanOrEqual(44);
    expect(layout.options).toHaveLength(3);
    for (const o of layout.options) {
      expect(o.height).toBeGreaterThanOrEqual(44);
      expect(o.right).toBeLessThanOrEqual(375);
    }
    expect(layout.checked).toBe('minor');
    expect(layout.fontSize).toBeGreaterThanOrEqual(16);
    expect(await responses(m)).toEqual([]);
    await context.close();
  });

  it('with JavaScript off, choosing, commenting and confirming records the answer', async () => {
    const m = seed.message('checkin', 'cy', 'email');
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${srv.url}/r/${token(m, 'good')}`);
    await page.getByLabel('Some issues').check();
    await page.getByLabel(/Comment/).fill('Outlook asks for my password');
    await page.getByRole('button', { name: 'Confirm my answer' }).tap();
    // The tap starts a form POST: wait for the page it loads, not the current one's load state.
    await page.getByRole('heading', { name: 'Thank you, your answer is recorded' }).waitFor({ timeout: 15_000 });
    expect(await page.textContent('h1')).toBe('Thank you, your answer is recorded');
    const rows = await responses(m);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ option: 'minor', comment: 'Outlook asks for my password', channel: 'email-link' });
    // Opening the link again shows the answer and offers a change.
    await page.goto(`${srv.url}/r/${token(m, 'good')}`);
    expect(await page.textContent('.note')).toContain('You answered Some issues from the email');
    await context.close();
  });
});
