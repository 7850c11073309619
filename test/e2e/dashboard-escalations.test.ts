/**
 * The Escalations page in Chromium: the seeded one (Bob's "Some issues", held by Ana) with owner,
 * level, state and age; a viewer sees no forms; an editor acknowledges it with a note and resolves
 * it; a note over 2,000 characters gets a readable 422 page; the level and state filters.
 */
import { describe, expect, it } from 'vitest';
import { useDashboard } from '../support/dashboard.ts';

const dash = useDashboard({
  seed: async (db) => {
    // A second escalation, already at level 2 (Eva holds it), to filter by level.
    const first = await db.prisma.escalation.findFirstOrThrow({ include: { person: true } });
    const cy = await db.prisma.person.findFirstOrThrow({ where: { key: 'cy', projectId: first.projectId } });
    const m = await db.prisma.message.findFirstOrThrow({ where: { commId: first.commId, occurrence: 0, personId: cy.id } });
    const r = await db.prisma.response.create({
      data: {
        projectId: first.projectId,
        commId: first.commId,
        occurrence: 0,
        personId: cy.id,
        messageId: m.id,
        channel: 'slack',
        option: 'blocked',
        comment: 'Cannot open Teams',
        receivedAt: first.openedAt,
        sourceRef: 'slack:seed',
        sourceRefs: ['slack:seed'],
      },
    });
    await db.prisma.escalation.create({
      data: {
        projectId: first.projectId,
        commId: first.commId,
        occurrence: 0,
        personId: cy.id,
        responseId: r.id,
        option: 'blocked',
        comment: r.comment,
        urgency: 'urgent',
        ownerId: first.ownerId,
        secondId: first.secondId,
        level: 2,
        openedAt: first.openedAt,
      },
    });
  },
});

describe('dashboard escalations', () => {
  it('lists open escalations with owner, level, state and age; a viewer gets no forms', async () => {
    const page = await dash.signedIn('viewer', `/projects/${dash.project}/escalations`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Escalations');
    const bob = page.locator('section', { has: page.getByRole('heading', { name: 'Bob Moss answered “Some issues” to Pulse 1' }) });
    expect(await bob.textContent()).toMatch(/State: open · Level: 1 · Owner: Ana Silva · Urgency: normal · Age: 1d 0h/);
    expect(await bob.textContent()).toContain('Shared calendars are slow to open');
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await dash.checkPage(page)).toEqual([]);

    await page.getByLabel('Level').selectOption('2');
    await Promise.all([page.waitForURL(/level=2/), page.getByRole('button', { name: 'Show' }).click()]);
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(["Cy Tan answered “I can't work” to Pulse 1"]);
    expect(await page.getByText('Owner: Eva Lind').count()).toBe(1);
  });

  it('an editor acknowledges with a note, and it shows acknowledged; then resolves it', async () => {
    const page = await dash.signedIn('editor', `/projects/${dash.project}/escalations`);
    const bob = page.locator('section', { has: page.getByRole('heading', { name: /^Bob Moss/ }) });
    expect(await dash.checkPage(page)).toEqual([]);
    await bob.getByLabel('Acknowledge note').fill('Looking at calendar sync with the Exchange team');
    await Promise.all([page.waitForURL(/#esc-/), bob.getByRole('button', { name: 'Acknowledge' }).click()]);
    expect(await bob.textContent()).toContain('State: acknowledged');
    expect(await bob.textContent()).toContain('Looking at calendar sync with the Exchange team');
    expect(await bob.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await dash.checkPage(page)).toEqual([]);

    await bob.getByLabel('Resolve note').fill('Fixed by the sync patch');
    await Promise.all([page.waitForURL(/#esc-/), bob.getByRole('button', { name: 'Resolve' }).click()]);
    expect(await page.getByRole('heading', { name: /^Bob Moss/ }).count()).toBe(0);
    await page.goto(`${dash.url}/projects/${dash.project}/escalations?state=all`);
    expect(await bob.textContent()).toContain('State: resolved');
    expect(await bob.textContent()).toContain('Fixed by the sync patch');
    const stored = await dash.db.prisma.escalation.findFirstOrThrow({ where: { option: 'minor' } });
    expect(stored).toMatchObject({
      state: 'resolved',
      acknowledgementNote: 'Looking at calendar sync with the Exchange team',
      resolutionNote: 'Fixed by the sync patch',
    });
  });

  it('a note over 2,000 characters gets a readable 422 page and changes nothing', async () => {
    const page = await dash.signedIn('editor', `/projects/${dash.project}/escalations`);
    const cy = page.locator('section', { has: page.getByRole('heading', { name: /^Cy Tan/ }) });
    await cy.getByLabel('Acknowledge note').fill('x'.repeat(2001));
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      cy.getByRole('button', { name: 'Acknowledge' }).click(),
    ]);
    expect(response.status()).toBe(422);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Not acknowledged');
    expect(await page.getByRole('main').textContent()).toContain('The note is 2001 characters; at most 2000 are kept.');
    // The note comes back in the form to shorten, not to type again.
    expect(await page.getByLabel(/^Note/).inputValue()).toBe('x'.repeat(2001));
    expect(await dash.checkPage(page)).toEqual([]);
    expect((await dash.db.prisma.escalation.findFirstOrThrow({ where: { option: 'blocked' } })).state).toBe('open');
  });
});
