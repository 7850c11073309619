/**
 * npm run docs:screenshots — the README's screenshots, from the example plan (examples/
 * m365-migration.plan.yaml with examples/people.csv), never from a test fixture.
 *
 * The plan is applied to a throwaway embedded database (PGlite in a temporary folder) and a week of
 * hypercare is stored on it, as a PM would find it on Thursday 21 January 2027 at 10:00 in Chicago:
 * everything due before then sent, the first hypercare check-in answered by a few people (one
 * "Some issues" escalated to Raj), workstream statuses in. Herald's own server (startHttpServer)
 * serves the dashboard under that fixed clock, and a headless Chromium signed in as a viewer
 * captures, at 1,280 px: the overview (docs/overview.png), the responses (docs/responses.png), and
 * the preview of the check-in as Bea Meyer gets it on Slack (docs/slack-view.png) and as Alex Khan
 * gets it by e-mail (docs/email.png); at 375 px the overview again (docs/overview-phone.png).
 * Each page is checked first (test/support/labels.ts: names and labels, not keys; zoned times) and
 * must not scroll sideways; so are the dashboard's other pages at 1,280 and 375 px. The script
 * fails, after writing, when any page shows either: do not commit what it wrote then.
 * Env: REDIS_URL (default redis://127.0.0.1:6379; the server's rate limits use it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createApiToken } from '../src/app/api-tokens.ts';
import { applyPlan } from '../src/app/apply-plan.ts';
import { loadPlanFile } from '../src/app/load-plan.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { createHttpReads } from '../src/db/repo/http-reads.ts';
import { startHttpServer } from '../src/main/http.ts';
import { buildEngine } from '../src/templates/builtin.ts';
import { launchChromium } from '../test/support/chromium.ts';
import { keysShown, labelRulesOf } from '../test/support/labels.ts';

const ROOT = new URL('../', import.meta.url).pathname;
const PLAN = join(ROOT, 'examples/m365-migration.plan.yaml');
const DOCS = join(ROOT, 'docs');
/** Thursday 21 January 2027, 10:00 in Chicago: go-live was Monday, the first check-in went out Tuesday. */
const NOW = new Date('2027-01-21T16:00:00Z');
const HOUR = 3_600_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** What a week of hypercare leaves in the database: sends, answers, an escalation, statuses. Set-up, not Herald code. */
async function storeTheWeek(db: Database, projectKey: string): Promise<void> {
  const prisma = db.prisma;
  const project = await prisma.project.findUniqueOrThrow({ where: { key: projectKey }, include: { people: true, comms: true } });
  const person = (key: string) => project.people.find((p) => p.key === key)!;
  const comm = (key: string) => project.comms.find((c) => c.key === key)!;
  await prisma.message.updateMany({ where: { projectId: project.id, status: 'planned', dueAt: { lt: NOW } }, data: { status: 'sent', attempts: 1 } });
  const sent = await prisma.message.findMany({ where: { projectId: project.id, status: 'sent' }, select: { id: true, dueAt: true } });
  for (const m of sent) await prisma.message.update({ where: { id: m.id }, data: { sentAt: new Date(m.dueAt.getTime() + 2_000) } });

  const statuses: Array<[string, string, string, string]> = [
    ['identity', 'green', 'dana', 'MFA enrolment at 97%; the last six are booked for Monday'],
    ['exchange', 'amber', 'raj', 'Shared mailboxes for Finance still sync slowly after the cutover'],
    ['teams', 'green', 'lee', 'All Teams and SharePoint sites moved'],
    ['endpoint', 'green', 'sam', 'Every laptop reports to Intune'],
  ];
  for (const [ws, status, by, comment] of statuses) {
    await prisma.workstream.update({
      where: { projectId_key: { projectId: project.id, key: ws } },
      data: { status, statusComment: comment, statusAt: new Date(NOW.getTime() - 30 * HOUR), statusByPersonId: person(by).id },
    });
  }

  const checkin = comm('hypercare-checkin');
  const answers: Array<[string, string, string | null]> = [
    ['bea.meyer', 'good', null],
    ['carlos.novak', 'good', 'Teams calls are much clearer than before'],
    ['dee.brooks', 'minor', 'Outlook keeps asking for my password on the laptop'],
    ['alex.khan', 'good', null],
  ];
  for (const [i, [key, option, comment]] of answers.entries()) {
    const p = person(key);
    const m = await prisma.message.findFirst({ where: { commId: checkin.id, occurrence: 0, personId: p.id, status: 'sent' } });
    if (!m) throw new Error(`the example plan sent no first hypercare check-in to ${key}`);
    // Distinct times, so the pages list the answers in one order on every run (the PNGs do not change by themselves).
    const at = new Date(m.dueAt.getTime() + 3 * HOUR + i * 17 * 60_000);
    const response = await prisma.response.create({
      data: {
        projectId: project.id,
        commId: checkin.id,
        occurrence: 0,
        personId: p.id,
        messageId: m.id,
        channel: m.channel === 'slack' ? 'slack' : 'email-link',
        option,
        comment,
        receivedAt: at,
        createdAt: at,
        sourceRef: `docs:${key}`,
        sourceRefs: [`docs:${key}`],
      },
    });
    if (option === 'minor') {
      await prisma.escalation.create({
        data: {
          projectId: project.id,
          commId: checkin.id,
          occurrence: 0,
          personId: p.id,
          responseId: response.id,
          option,
          comment,
          urgency: 'normal',
          ownerId: person('raj').id,
          secondId: person('maria').id,
          openedAt: at,
          escalateAt: new Date(at.getTime() + 24 * HOUR),
        },
      });
    }
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-docs-'));
  const db = await openDatabase({ dataDir: dir, migrate: true });
  let server: Awaited<ReturnType<typeof startHttpServer>> | undefined;
  const browser = await launchChromium();
  try {
    const loaded = await loadPlanFile(PLAN);
    const key = loaded.plan.project.key;
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, warnings: loaded.warnings, now: new Date('2026-11-20T12:00:00Z'), dryRun: false });
    await storeTheWeek(db, key);
    const rules = await labelRulesOf(db.prisma, key);
    const { token } = await createApiToken(db, { role: 'viewer', name: 'docs-viewer', now: new Date(NOW.getTime() - 24 * HOUR) });
    server = await startHttpServer(
      {
        db,
        reads: createHttpReads(db),
        redisUrl: REDIS_URL,
        redisPrefix: `herald-docs-${process.pid}`,
        secret: 'docs-screenshots-secret-0123456789',
        clock: { now: () => new Date(NOW) },
        templates: buildEngine({ PUBLIC_URL: 'https://herald.northwind.example' }),
      },
      0,
      '127.0.0.1',
    );
    const base = server.url;
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/signin?next=/`);
    await page.getByLabel('API token').fill(token);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/signin')), page.getByRole('button', { name: 'Sign in' }).click()]);

    const problems: string[] = [];
    const shoot = async (path: string, file: string | undefined, width: number, target?: (p: Page) => Promise<Buffer>) => {
      await page.setViewportSize({ width, height: 900 });
      const r = await page.goto(`${base}${path}`);
      if (r?.status() !== 200) throw new Error(`${path} answered ${r?.status()}`);
      const found = await keysShown(page, rules);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > width) found.push(`scrolls sideways at ${width} px (${wide} px wide)`);
      problems.push(...found.map((f) => `${path} at ${width} px: ${f}`));
      if (file === undefined) return;
      const png = target ? await target(page) : await page.screenshot({ fullPage: true });
      writeFileSync(join(DOCS, file), png);
      console.log(`docs/${file}: ${path} at ${width} px`);
    };
    const project = `/projects/${key}`;
    await shoot(project, 'overview.png', 1280);
    await shoot(project, 'overview-phone.png', 375);
    await shoot(`${project}/responses`, 'responses.png', 1280);
    await shoot(`${project}/preview?comm=hypercare-checkin&person=bea.meyer&occurrence=0&channel=slack`, 'slack-view.png', 1280, (p) =>
      p.locator('.slack-message').first().screenshot(),
    );
    await shoot(`${project}/preview?comm=hypercare-checkin&person=alex.khan&occurrence=0&channel=email`, 'email.png', 1280, async (p) => {
      const frame = p.locator('iframe.email-frame').first();
      await frame.scrollIntoViewIfNeeded();
      return frame.screenshot();
    });
    // The other pages are not in the README, but a PM sees them too: checked the same way, at both widths.
    for (const path of ['calendar', 'calendar?person=bea.meyer', 'messages', 'escalations', 'inbox', 'preview', 'plan'])
      for (const width of [1280, 375]) await shoot(`${project}/${path}`, undefined, width);
    if (problems.length) throw new Error(`the pages show what a PM should not see:\n${problems.join('\n')}`);
  } finally {
    await browser.close();
    await server?.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
