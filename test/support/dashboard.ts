import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createApiToken } from '../../src/app/api-tokens.ts';
import type { Clock } from '../../src/app/ports.ts';
import type { DashboardPage } from '../../src/http/dashboard/pages/index.ts';
import { startHttpServer, type RunningServer } from '../../src/main/http.ts';
import { createHttpReads } from '../../src/db/repo/http-reads.ts';
import { buildEngine } from '../../src/templates/builtin.ts';
import { axeSerious } from './axe.ts';
import { launchChromium, type Browser } from './chromium.ts';
import { keysShown, labelRulesOf, type LabelRules } from './labels.ts';
import { pageWidth } from './page-width.ts';
import { runCli } from './cli.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { TEST_SECRET } from './delivery.ts';
import { DIGEST_PLAN, DIGEST_PROJECT, seedDigestWeek } from './digest-seed.ts';
import { cleanupRedisPrefix, testRedisPrefix } from './redis.ts';
import { TEST_REDIS_URL } from './run-id.ts';

/** The dashboard's "now": Monday 11 February 2030, 14:00 UTC, the end of the seeded week. */
export const NOW = new Date('2030-02-11T14:00:00Z');

export type Role = 'viewer' | 'editor';

export interface Dashboard {
  url: string;
  db: TestDatabase;
  /** The seeded project's key (digest-test). */
  project: string;
  /** Token secrets: a viewer and an editor for every project, a feed token for the project. */
  tokens: { viewer: string; editor: string; feed: string };
  browser: Browser;
  /** A new 375 px page, recording console errors for checkPage(); not signed in by itself. */
  newPage(): Promise<Page>;
  /** Signs the browser in with `token` (a role of `tokens`, or a token secret) through the /signin form; returns the page, now on `next` (default /). */
  signedIn(who: Role | string, next?: string): Promise<Page>;
  /** Problems on the page as it is now: console errors, axe serious/critical violations, horizontal scroll at 375 and 1,280 px, keys shown where labels exist (./labels.ts). [] when clean. */
  checkPage(page: Page): Promise<string[]>;
  /** Creates another token (e.g. one to revoke, or one limited to a project). */
  createToken(role: 'viewer' | 'editor' | 'admin' | 'feed', projectKey?: string): Promise<string>;
}

export interface DashboardOptions {
  /** More data after the digest week is seeded (e.g. a hostile plan value for an escaping test). */
  seed?: (db: TestDatabase) => Promise<void>;
  /** More dashboard pages (e.g. a test-only POST route). */
  pages?: readonly DashboardPage[];
}

const errorsOf = new WeakMap<Page, string[]>();

/** Starts the dashboard before the file's tests and stops it after them. Read its fields inside tests. */
export function useDashboard(opts: DashboardOptions = {}): Dashboard {
  const d = {} as Dashboard;
  let server: RunningServer | undefined;
  let prefix = '';
  beforeAll(async () => {
    const clock: Clock = { now: () => new Date(NOW) };
    d.db = await createTestDatabase();
    const applied = await runCli(['apply', DIGEST_PLAN], { DATABASE_URL: d.db.url });
    if (applied.code !== 0) throw new Error(`herald apply failed: ${applied.stderr}`);
    await seedDigestWeek(d.db.prisma, NOW);
    await opts.seed?.(d.db);
    d.project = DIGEST_PROJECT;
    const labels: LabelRules = await labelRulesOf(d.db.prisma, DIGEST_PROJECT);
    d.createToken = async (role, projectKey) => (await createApiToken(d.db, { role, projectKey, now: NOW })).token;
    d.tokens = { viewer: await d.createToken('viewer'), editor: await d.createToken('editor'), feed: await d.createToken('feed', DIGEST_PROJECT) };
    prefix = testRedisPrefix();
    server = await startHttpServer(
      {
        db: d.db,
        reads: createHttpReads(d.db),
        redisUrl: TEST_REDIS_URL,
        redisPrefix: prefix,
        secret: TEST_SECRET,
        clock,
        templates: buildEngine({ PUBLIC_URL: 'http://127.0.0.1' }),
        dashboardPages: opts.pages,
      },
      0,
      '127.0.0.1',
    );
    d.url = server.url;
    d.browser = await launchChromium();
    d.newPage = async () => {
      const page = await d.browser.context.newPage();
      await page.setViewportSize({ width: 375, height: 800 });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        // Chromium logs a 4xx/5xx document as "Failed to load resource"; an error page is not an error of the page.
        if (m.text().startsWith('Failed to load resource') && m.location().url === page.url()) return;
        errors.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      errorsOf.set(page, errors);
      return page;
    };
    d.signedIn = async (who, next = '/') => {
      await d.browser.context.clearCookies();
      const token = who === 'viewer' || who === 'editor' ? d.tokens[who] : who;
      const page = await d.newPage();
      await page.goto(`${d.url}/signin?next=${encodeURIComponent(next)}`);
      await page.getByLabel('API token').fill(token);
      await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/signin')), page.getByRole('button', { name: 'Sign in' }).click()]);
      return page;
    };
    d.checkPage = async (page) => {
      const problems = [...(errorsOf.get(page) ?? [])];
      problems.push(...(await axeSerious(page)));
      problems.push(...(await keysShown(page, labels)));
      const width = await pageWidth(page);
      if (width.view !== 375) problems.push(`viewport is ${width.view} px, not 375`);
      if (width.scroll > width.view) problems.push(`scrolls sideways at 375 px (content is ${width.scroll} px wide)`);
      // And on a laptop: the same page at 1,280 px must not scroll sideways either.
      await page.setViewportSize({ width: 1280, height: 800 });
      const wide = await pageWidth(page);
      if (wide.scroll > wide.view) problems.push(`scrolls sideways at 1,280 px (content is ${wide.scroll} px wide)`);
      await page.setViewportSize({ width: 375, height: 800 });
      return problems;
    };
  }, 120_000);
  afterAll(async () => {
    await d.browser?.close();
    await server?.close();
    if (prefix) await cleanupRedisPrefix(TEST_REDIS_URL, prefix);
    await d.db?.drop();
  });
  return d;
}
