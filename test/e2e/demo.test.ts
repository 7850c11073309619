/**
 * `herald demo` as a newcomer runs it: an empty folder, no Redis at REDIS_URL (so the demo starts
 * its own redis-server), a headless Chromium at 375 px. A survey is answered in the Slack view
 * (a real signed interaction) and by an e-mail link (Herald's real answer page); the /demo page
 * and by a plain e-mail reply from the inbox view (a real MIME reply to Herald's inbound listener);
 * the /demo page then shows the responses, the escalations and a digest preview that changed, the
 * views stamp messages in demo time, and no message has failed. Ctrl-C, with the browser still
 * open, must end the demo within 10 s and leave no process, port or temporary folder.
 * Every view shows names, labels and zoned times, not keys (test/support/labels.ts). The README's
 * screenshots come from `npm run docs:screenshots`, not from this test.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/domain/plan/parse-plan.ts';
import { axeSerious } from '../support/axe.ts';
import { launchChromium, type Browser } from '../support/chromium.ts';
import { keysShown, labelRulesOfPlan } from '../support/labels.ts';
import { pageWidth } from '../support/page-width.ts';
import { freePort } from '../support/serve-process.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
// The demo plays examples/m365-migration.plan.yaml's people and comms (examples/demo/demo.plan.yaml re-anchors its dates).
const LABELS = labelRulesOfPlan(
  parsePlan({
    file: 'm365-migration.plan.yaml',
    text: readFileSync(join(ROOT, 'examples/m365-migration.plan.yaml'), 'utf8'),
    readFile: (rel) => ({ file: rel, text: readFileSync(join(ROOT, 'examples', rel), 'utf8') }),
  }).plan,
);

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Reloads `pageUrl` once a second until `target()` is on it; fails the test past `deadline` (epoch ms). */
async function reloadUntil(page: Page, pageUrl: string, target: () => Locator, deadline: number): Promise<void> {
  for (;;) {
    await page.goto(pageUrl);
    if ((await target().count()) > 0) return;
    expect(Date.now()).toBeLessThan(deadline);
    await page.waitForTimeout(1_000);
  }
}

describe('herald demo in an empty folder', () => {
  let cwd: string;
  let tmp: string;
  let child: ChildProcess;
  let port: number;
  let url = '';
  let browser: Browser;
  let stderr = '';

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'herald-demo-cwd-'));
    tmp = mkdtempSync(join(tmpdir(), 'herald-demo-tmp-'));
    port = await freePort();
    const closedRedis = await freePort();
    child = spawn(process.execPath, [join(ROOT, 'bin/herald.js'), 'demo', '--no-open', '--port', String(port)], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, TMPDIR: tmp, REDIS_URL: `redis://127.0.0.1:${closedRedis}`, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`herald demo printed no URL within 90 s; stderr: ${stderr}`)), 90_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^(http:\S+)$/m.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`herald demo exited with ${code}: ${stderr}`)));
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  });

  it('prints one URL, plays the story, answers by Slack and by e-mail, and stops cleanly on Ctrl-C', async () => {
    expect(url).toBe(`http://127.0.0.1:${port}/demo`);
    const started = Date.now();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 375, height: 800 });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));

    // The landing page: people, counts, the digest preview.
    await page.goto(url);
    expect(await page.getByRole('heading', { name: 'Herald demo' }).count()).toBe(1);
    expect(await page.locator('#responses').textContent()).toBe('0');
    const digestBefore = (await page.locator('#digest').textContent()) ?? '';
    expect(digestBefore).toContain('No open escalations');
    expect(await axeSerious(page)).toEqual([]);
    expect(await keysShown(page, LABELS)).toEqual([]);
    expect(await pageWidth(page)).toEqual({ scroll: 375, view: 375 });

    // The survey reaches an end user on Slack within the first minute or so; answer "Some issues".
    const slackView = `${url}/slack/bea.meyer`;
    await reloadUntil(page, slackView, () => page.getByRole('button', { name: 'Some issues' }), started + 120_000);
    expect(await page.locator('.bk-header').count()).toBeGreaterThan(1); // announcements came first
    // Stamped in demo time (30× the wall clock), not the sandbox's wall clock: the survey went out
    // at T+6 demo minutes, minutes ahead of the wall clock by now.
    const stamp = (await page.locator('.slack-message').last().locator('time').getAttribute('datetime')) ?? '';
    expect(Date.parse(stamp)).toBeGreaterThan(Date.now() + 2 * 60_000);
    // Shown as the landing page shows demo time, with the zone named.
    expect(await page.locator('.slack-message small time').first().textContent()).toMatch(/^\w{3} \d{1,2} \w{3} \d{4} \d\d:\d\d UTC$/);
    expect(await axeSerious(page)).toEqual([]);
    expect(await keysShown(page, LABELS)).toEqual([]);
    expect(await pageWidth(page)).toEqual({ scroll: 375, view: 375 });
    await page.getByRole('button', { name: 'Some issues' }).first().click();
    await page.waitForURL(slackView);
    expect(await page.getByText('(edited)').count()).toBeGreaterThan(0); // Herald's chat.update
    // "Add a comment" opens Herald's Slack dialog (views.open), drawn as a form; sending it stores the comment.
    await page
      .getByRole('button', { name: /add a comment/i })
      .first()
      .click();
    await page.waitForURL(/\/slack\/bea\.meyer\/modal\//);
    expect(await axeSerious(page)).toEqual([]);
    expect(await keysShown(page, LABELS)).toEqual([]);
    expect(await pageWidth(page)).toEqual({ scroll: 375, view: 375 });
    await page.getByRole('textbox').fill('Teams calls drop after the mailbox move');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(slackView);
    expect(await page.getByText('Teams calls drop after the mailbox move').count()).toBeGreaterThan(0);

    // An e-mail-only end user answers by the link in the mail: Herald's real answer page.
    const inbox = `${url}/mail/alex.khan`;
    await reloadUntil(page, inbox, () => page.getByRole('link', { name: 'Working well' }), started + 150_000);
    expect(await axeSerious(page)).toEqual([]);
    expect(await keysShown(page, LABELS)).toEqual([]);
    expect(await pageWidth(page)).toEqual({ scroll: 375, view: 375 });
    await page.getByRole('link', { name: 'Working well' }).first().click();
    await page.waitForURL(/\/r\//);
    expect(await keysShown(page, LABELS)).toEqual([]);
    expect(await pageWidth(page)).toEqual({ scroll: 375, view: 375 });
    await page.getByRole('button').first().click();
    await page.waitForLoadState('load');

    // Another e-mail-only end user just replies to the mail, as people do; Herald reads option 2.
    await reloadUntil(page, `${url}/mail/dee.brooks`, () => page.getByRole('link', { name: 'Working well' }), started + 150_000);
    const survey = page.locator('article', { has: page.getByRole('link', { name: 'Working well' }) }).first();
    await survey.getByLabel('Reply').fill('2 — Outlook keeps asking for my password');
    await survey.getByRole('button', { name: 'Send reply' }).click();
    expect(await page.getByRole('heading', { name: 'Reply sent' }).count()).toBe(1);
    expect(await axeSerious(page)).toEqual([]);

    // Back on /demo: the three answers, an escalation to the owner for each "Some issues", a digest preview that changed.
    await reloadUntil(page, url, () => page.getByText('Dee Brooks answered Some issues to Hypercare checkin'), started + 170_000);
    expect(await page.locator('#responses').textContent()).toBe('3');
    expect(await page.locator('#escalations').textContent()).toBe('2');
    expect(await page.getByText('→ raj').count()).toBe(2);
    const digestAfter = (await page.locator('#digest').textContent()) ?? '';
    expect(digestAfter).not.toBe(digestBefore);
    expect(digestAfter).not.toContain('No open escalations');
    expect(await keysShown(page, LABELS)).toEqual([]);
    expect(await pageWidth(page)).toEqual({ scroll: 375, view: 375 });

    // The go-live executive summary waits for Maria's sign-off: /demo says so, her Slack view has the
    // request with its preview, she approves, and the held summary goes out at once.
    await reloadUntil(page, url, () => page.locator('[data-approval="pending"]'), started + 180_000);
    expect(await page.locator('#approvals').textContent()).toContain('Go-live executive summary');
    const mariaSlack = `${url}/slack/maria`;
    await reloadUntil(page, mariaSlack, () => page.getByRole('button', { name: 'Approve' }), started + 180_000);
    expect(await page.getByText(/Approval needed: Go-live executive summary/).count()).toBeGreaterThan(0);
    expect(await axeSerious(page)).toEqual([]);
    expect(await keysShown(page, LABELS)).toEqual([]);
    expect(await pageWidth(page)).toEqual({ scroll: 375, view: 375 });
    await page.getByRole('button', { name: 'Approve' }).first().click();
    await page.waitForURL(mariaSlack);
    expect(await page.getByText(/You approved/).count()).toBeGreaterThan(0);
    await reloadUntil(page, url, () => page.locator('[data-approval="approved"]'), started + 200_000);
    await reloadUntil(page, `${url}/mail/maria`, () => page.getByText(/Go-live done/), started + 200_000);
    await page.goto(url);

    // One clock, in a believable order. Every comparison is between two stamps of the story, never
    // with today's date: the demo runs minutes ahead of the wall clock, so a stamp taken from the
    // database's or the process's own clock would land before the demo time it follows.
    const api = /Bearer (\S+)' (\S+)\/api\/v1\/projects/.exec((await (await fetch(url)).text()).replace(/&#39;/g, "'"));
    expect(api).not.toBeNull();
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${api![2]}/api/v1/projects/northwind-m365/${path}`, { headers: { authorization: `Bearer ${api![1]}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as T;
    };
    type Sent = { key: string; person: string; dueAt: string; sentAt?: string; deliveries: Array<{ at: string; outcome: string }> };
    const sentMessages = (await get<{ items: Sent[] }>('messages?status=sent&limit=500')).items;
    expect(sentMessages.length).toBeGreaterThan(10);
    for (const m of sentMessages) {
      expect(Date.parse(m.sentAt!), `${m.key} sent before it was due`).toBeGreaterThanOrEqual(Date.parse(m.dueAt));
      expect(m.deliveries.filter((d) => d.outcome === 'sent').map((d) => Date.parse(d.at))).toEqual([Date.parse(m.sentAt!)]);
    }
    // The inbox shows each mail's Date header: the same second as the sent time Herald recorded.
    const toAlex = sentMessages
      .filter((m) => m.person === 'alex.khan' && m.key.endsWith(':email'))
      .map((m) => new Date(Math.floor(Date.parse(m.sentAt!) / 1000) * 1000).toISOString());
    const inboxPage = await page.context().newPage();
    await inboxPage.goto(`${url}/mail/alex.khan`);
    const inboxStamps = await inboxPage.locator('article time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
    await inboxPage.close();
    expect(inboxStamps.length).toBeGreaterThan(0);
    for (const stamp of inboxStamps) expect(toAlex).toContain(stamp);
    const answers = (await get<{ items: Array<{ person: string; comm: string; firstAnsweredAt: string; answeredAt: string }> }>('responses?limit=500')).items;
    const escalations = (await get<{ items: Array<{ person: string; comm: string; openedAt: string }> }>('escalations')).items;
    expect(escalations.map((e) => e.person).sort()).toEqual(['bea.meyer', 'dee.brooks']);
    for (const e of escalations) {
      const answer = answers.find((a) => a.person === e.person && a.comm === e.comm);
      const survey = sentMessages.find((m) => m.person === e.person && m.key.startsWith(`${e.comm}#`));
      // Bea's comment, added after her answer, moved answeredAt on; the escalation opened with the first answer.
      expect(Date.parse(e.openedAt), `${e.person}: opened before the answer`).toBeGreaterThanOrEqual(Date.parse(answer!.firstAnsweredAt));
      expect(Date.parse(answer!.firstAnsweredAt), `${e.person}: answered before the survey was sent`).toBeGreaterThanOrEqual(Date.parse(survey!.sentAt!));
    }
    // The landing page tells each escalation's story in time order, from the answer that opened it.
    const times = (scope: Locator): Promise<string[]> => scope.locator('time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime') ?? ''));
    for (const person of ['bea.meyer', 'dee.brooks']) {
      const [answered] = await times(page.locator(`#h-responses ~ ul li[data-person="${person}"]`));
      const story = await times(page.locator(`#h-escalations ~ ul > li[data-person="${person}"] ol.timeline`));
      expect(story).toEqual([...story].sort());
      expect(story[0]! >= answered!, `${person}: story ${story.join(', ')} starts before the answer at ${answered}`).toBe(true);
      expect(await page.locator(`#h-escalations ~ ul > li[data-person="${person}"] li`).first().getAttribute('data-event')).toBe('opened');
    }

    // "Open dashboard" signs the newcomer in (the demo's editor token) and opens the project overview.
    await page.getByRole('button', { name: 'Open dashboard' }).click();
    await page.waitForURL(/\/projects\/northwind-m365$/);
    expect(
      await page
        .getByRole('region', { name: 'Needs attention' })
        .getByRole('link', { name: /open escalations/ })
        .textContent(),
    ).toMatch(/^2/);
    expect(await page.getByText('demo-editor (editor)').count()).toBe(1);
    expect(await axeSerious(page)).toEqual([]);
    expect(await keysShown(page, LABELS)).toEqual([]);

    // The owner is told in the next full demo hour's batch (within 2 real minutes), in Slack; acknowledging there
    // tells the person who answered. The landing page shows each step after the one before.
    const told = () => page.locator('#h-escalations ~ ul > li li[data-event="owner-told"]');
    await reloadUntil(page, url, told, started + 165_000);
    await page.goto(`${url}/slack/raj`);
    await page.getByRole('button', { name: 'Acknowledge' }).first().click();
    await page.waitForURL(`${url}/slack/raj`);
    await reloadUntil(page, url, () => page.locator('#h-escalations ~ ul > li li[data-event="acknowledged"]'), started + 170_000);
    const acked = page.locator('#h-escalations ~ ul > li', { has: page.locator('li[data-event="acknowledged"]') });
    const steps = await acked.locator('ol.timeline li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-event')));
    expect(steps.slice(0, 3)).toEqual(['opened', 'owner-told', 'acknowledged']);
    const story = await times(acked.locator('ol.timeline'));
    expect(story).toEqual([...story].sort());
    expect(await axeSerious(page)).toEqual([]);
    expect(await keysShown(page, LABELS)).toEqual([]);
    expect(errors).toEqual([]);
    // The page and browser stay open through Ctrl-C: their keep-alive and spare sockets once held the exit ~100 s.

    // No message failed: the story (cutover notice on Slack and e-mail included) reached everyone.
    const failed = await get<{ items: Array<{ key: string; lastError: string }> }>('messages?status=failed');
    expect(failed.items.map((m) => `${m.key}: ${m.lastError}`)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(180_000);

    // Ctrl-C: everything stops, nothing is left behind.
    const kids = childrenOf(child.pid!);
    expect(kids.length).toBeGreaterThan(0); // the private redis-server
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stopped = Date.now();
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(10_000);
    await page.close();
    for (const pid of kids) expect(alive(pid)).toBe(false);
    expect(await listening(port)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith('herald-demo-'))).toEqual([]);
  }, 240_000);
});

describe('herald demo without any Redis', () => {
  it('says in one line how to get Redis and exits non-zero', async () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'herald-nopath-'));
    const closed = await freePort();
    try {
      const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const c = spawn(process.execPath, [join(ROOT, 'bin/herald.js'), 'demo', '--no-open'], {
          env: { PATH: emptyPath, HOME: emptyPath, TMPDIR: emptyPath, REDIS_URL: `redis://127.0.0.1:${closed}`, NODE_OPTIONS: '' },
        });
        let out = '';
        let err = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.stderr.on('data', (d: Buffer) => (err += d.toString()));
        c.once('exit', (code) => resolve({ code, out, err }));
      });
      expect(r.code).not.toBe(0);
      expect(r.out).toBe('');
      const lines = r.err.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/redis-server is not on PATH; install it .*then run `herald demo` again/);
      expect(readdirSync(emptyPath)).toEqual([]);
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  }, 60_000);
});
