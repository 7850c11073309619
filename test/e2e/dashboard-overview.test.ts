/**
 * The project overview in Chromium, on the digest plan's seeded week (test/support/digest-seed.ts):
 * milestones with the cutover moved a week, what went out and what is due, workstream status,
 * response rate per audience, and the counts that link to escalations and failed messages. A
 * plan value that is markup shows as text. (The README's screenshot comes from `npm run docs:screenshots`.)
 */
import { describe, expect, it } from 'vitest';
import { NOW, useDashboard } from '../support/dashboard.ts';

const HOSTILE = '<script>alert(1)</script>';

const dash = useDashboard({
  async seed(db) {
    const project = await db.prisma.project.findUniqueOrThrow({ where: { key: 'digest-test' } });
    // One failed message.
    const m = await db.prisma.message.findFirstOrThrow({ where: { projectId: project.id, status: 'planned', dueAt: { lt: NOW } }, orderBy: { dueAt: 'asc' } });
    await db.prisma.message.update({ where: { id: m.id }, data: { status: 'failed', lastError: '550 mailbox unavailable', attempts: 1 } });
    // One held for approval.
    const h = await db.prisma.message.findFirstOrThrow({ where: { projectId: project.id, status: 'planned', dueAt: { lt: NOW } }, orderBy: { dueAt: 'asc' } });
    await db.prisma.message.update({ where: { id: h.id }, data: { status: 'held' } });
  },
});

describe('project overview', () => {
  it('shows milestones, sent and due counts, workstream status, response rates and what needs attention', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Digest test project');
    expect(await page.getByRole('navigation', { name: 'Digest test project' }).getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe(
      'page',
    );

    const milestones = page.getByRole('region', { name: 'Milestone dates' });
    const cutover = milestones.getByRole('row', { name: /Mailbox cutover/ });
    expect(await cutover.getByRole('cell').allTextContents()).toEqual(['15 Feb 2030', '22 Feb 2030', '1']);
    expect(await page.getByRole('img', { name: /baseline and current dates/ }).count()).toBe(1);

    const sent = page.getByRole('region', { name: 'Sent in the last 7 days' });
    // Comm titles and channel names, not keys; the links keep the keys.
    expect(await sent.getByRole('link', { name: 'Pulse · e-mail' }).getAttribute('href')).toBe(
      `/projects/${dash.project}/messages?status=sent&comm=pulse&channel=email`,
    );
    expect(await sent.textContent()).toContain('Pulse · e-mail: 2');
    const due = page.getByRole('region', { name: 'Due in the next 7 days' });
    expect(await due.getByRole('link', { name: /Exec weekly · e-mail/ }).count()).toBe(1);

    const ws = page.getByRole('region', { name: 'Workstreams' });
    expect(await ws.textContent()).toContain('Archive mailboxes over 100 GB fail to migrate');
    expect(await ws.locator('.rag-red').textContent()).toBe('red');
    expect(await ws.locator('.rag-amber').textContent()).toBe('amber (needs a decision)');

    const rates = page.getByRole('region', { name: 'Response rate per audience' });
    expect(await rates.getByRole('img', { name: /Response rate per audience/ }).count()).toBe(1);
    expect(await rates.textContent()).toContain('end-users: 1 of 2 answered (50%)');

    const attention = page.getByRole('region', { name: 'Needs attention' });
    expect(await attention.getByRole('link', { name: /failed messages/ }).getAttribute('href')).toBe(`/projects/${dash.project}/messages?status=failed`);
    expect(await attention.getByRole('link', { name: /failed messages/ }).textContent()).toContain('1');
    expect(await attention.getByRole('link', { name: /held messages/ }).getAttribute('href')).toBe(`/projects/${dash.project}/messages?status=held`);
    expect(await attention.getByRole('link', { name: /held messages/ }).textContent()).toContain('1');
    expect(await attention.getByRole('link', { name: /waiting for approval/ }).getAttribute('href')).toBe(`/projects/${dash.project}/approvals`);

    // A viewer sees no edit forms: the only form is sign-out.
    expect(await page.locator('main form').count()).toBe(0);
    expect(await dash.checkPage(page)).toEqual([]);

    // The open-escalations count leads to the Escalations page of the project.
    await attention.getByRole('link', { name: /open escalations/ }).click();
    await page.waitForURL(`${dash.url}/projects/${dash.project}/escalations`);
    expect(await page.getByRole('link', { name: 'Escalations' }).getAttribute('aria-current')).toBe('page');
    expect(await dash.checkPage(page)).toEqual([]);
  });

  it('shows a plan value that is markup as text, never as markup', async () => {
    const project = await dash.db.prisma.project.findUniqueOrThrow({ where: { key: dash.project } });
    await dash.db.prisma.milestone.update({ where: { projectId_key: { projectId: project.id, key: 'hypercare-end' } }, data: { label: HOSTILE } });
    const page = await dash.signedIn('editor', `/projects/${dash.project}`);
    const alerts: string[] = [];
    page.on('dialog', (d) => {
      alerts.push(d.message());
      void d.dismiss();
    });
    await page.reload();
    expect(await page.getByRole('region', { name: 'Milestone dates' }).getByRole('rowheader', { name: HOSTILE }).count()).toBe(1);
    expect(await page.locator('script').count()).toBe(0);
    const source = await (await page.request.get(page.url())).text();
    expect(source).not.toContain(HOSTILE);
    expect(source).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(alerts).toEqual([]);
  });

  it('an unknown project is a readable 404 page', async () => {
    const page = await dash.signedIn('viewer');
    const r = await page.goto(`${dash.url}/projects/no-such-project`);
    expect(r?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('No such project');
    expect(await dash.checkPage(page)).toEqual([]);
  });
});
