import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/app/apply-plan.ts';
import { loadPlanFile, type LoadedPlan } from '../../../src/app/load-plan.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { sandboxUsersFor, startHarness, TestClock, waitForQuiet, type Harness } from '../../support/delivery.ts';

/**
 * The example plan end to end: applied before kickoff, then the clock jumps past hypercare so
 * every message is due; each must arrive once, on its channel, with its audience's content.
 */
describe('the example plan delivered to local Slack and SMTP servers', () => {
  let db: TestDatabase;
  let h: Harness;
  let loaded: LoadedPlan;
  const clock = new TestClock();

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 20 });
    loaded = await loadPlanFile('examples/m365-migration.plan.yaml');
    await applyPlan(db, { plan: loaded.plan, hash: loaded.hash, now: new Date('2026-11-20T12:00:00Z') });
    h = await startHarness(db, { clock, slack: { users: sandboxUsersFor(loaded.plan) } });
    clock.set(new Date('2027-03-01T12:00:00Z'));
    await h.startWorker();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('sends every planned message exactly once', async () => {
    const counts = await waitForQuiet(db, 60_000);
    expect(counts).toEqual({ sent: expect.any(Number) });
    const bySlack = await db.prisma.message.count({ where: { channel: 'slack' } });
    const byEmail = await db.prisma.message.count({ where: { channel: 'email' } });
    expect(h.slack.messages).toHaveLength(bySlack);
    expect(h.smtp.messages).toHaveLength(byEmail);
    const ids = h.smtp.messages.map((m) => m.headers['x-herald-message-id']);
    expect(new Set(ids).size).toBe(ids.length);
    // Every attempt is in the delivery log with the provider's id.
    const logged = await db.prisma.delivery.count({ where: { outcome: 'sent', providerId: { not: null } } });
    expect(logged).toBe(bySlack + byEmail);
  }, 70_000);

  it('looks up a missing Slack id by e-mail and caches it on the person', async () => {
    // alex.khan has no Slack id in the CSV but receives the Slack-only adoption tips.
    const alex = await db.prisma.person.findFirstOrThrow({ where: { key: 'alex.khan' } });
    expect(alex.slackId).toMatch(/^UFOUND/);
    expect(alex.slackLookedUpAt).not.toBeNull();
    expect(h.slack.messagesTo(alex.slackId!).length).toBeGreaterThan(0);
  });

  it('tailors the ops-impact notice to each audience', async () => {
    const emails = h.smtp.messages.filter((m) => m.subject.includes('Mailbox cutover weekend'));
    // raj is in ops (the default variant); alex.khan is service-desk only.
    const raj = emails.find((m) => m.to.some((t) => t.includes('raj.patel')));
    const alex = emails.find((m) => m.to.some((t) => t.includes('alex.khan')));
    expect(raj?.html).toContain('what it means for your team');
    expect(alex?.html).toContain('Service desk heads-up');
    expect(raj?.text).toContain('Outlook on desktop and phone will not sync');
  });

  it('sends each adoption tip in order, one per business day after go-live', async () => {
    const rows = await db.prisma.message.findMany({
      where: { key: { startsWith: 'adoption-tips#' }, person: { key: 'bea.meyer' } },
      orderBy: { occurrence: 'asc' },
    });
    expect(rows.map((r) => r.seriesItem)).toEqual(loaded.plan.comms.find((c) => c.key === 'adoption-tips')!.series);
    const posts = h.slack.messagesTo('UEGZD8PCF').map((m) => m.text ?? '');
    expect(posts.some((t) => t.includes('Teams chat'))).toBe(true);
  });

  it('writes e-mail with Message-ID, a signed Reply-To, HTML and text parts', async () => {
    const m = h.smtp.messages.find((x) => x.to.some((t) => t.includes('maria.lopez')))!;
    const id = m.headers['x-herald-message-id'];
    expect(m.headers['message-id']).toBe(`<${id}@herald.test>`);
    expect(m.headers['reply-to']).toMatch(/it-pmo\+r[a-z0-9]+@northwind\.example/);
    expect(m.html).toContain('<html');
    expect(m.text.length).toBeGreaterThan(20);
    // Mandatory notices carry no unsubscribe header.
    expect(m.headers['list-unsubscribe']).toBeUndefined();
  });

  it("stamps each e-mail's Date header with the delivery's clock: the same second as its recorded sent time", async () => {
    const sent = await db.prisma.message.findMany({ where: { channel: 'email', status: 'sent' }, select: { id: true, sentAt: true } });
    expect(sent.length).toBeGreaterThan(0);
    const sentAt = new Map(sent.map((m) => [m.id, m.sentAt]));
    for (const m of h.smtp.messages) {
      const at = sentAt.get(m.headers['x-herald-message-id']!);
      // The test clock is set to 2027-03-01: wall time would not be.
      expect(at!.getTime()).toBeGreaterThanOrEqual(new Date('2027-03-01T12:00:00Z').getTime());
      expect(new Date(m.headers.date!).toISOString()).toBe(new Date(Math.floor(at!.getTime() / 1000) * 1000).toISOString());
    }
  });

  it('puts one button per survey option on Slack, carrying the message and option', async () => {
    const post = h.slack.messages.find((m) => JSON.stringify(m.blocks ?? []).includes('herald_survey_green'))!;
    const actions = (post.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => e.action_id)).toEqual(['herald_survey_green', 'herald_survey_amber', 'herald_survey_red']);
    const value = JSON.parse(actions.elements![0]!.value) as { m: string; o: string };
    const msg = await db.prisma.message.findUniqueOrThrow({ where: { id: value.m } });
    expect(msg.providerId).toBe(post.ts);
    expect(value.o).toBe('green');
  });
});

describe('delivery on the embedded PGlite database', () => {
  it('sends a manual comm end to end', async () => {
    const { createPgliteTestDatabase } = await import('../../support/databases.ts');
    const { sendManual } = await import('../../../src/app/send-manual.ts');
    const db = await createPgliteTestDatabase();
    const plan = await loadPlanFile('test/fixtures/plans/delivery.plan.yaml');
    const h = await startHarness(db, { slack: { users: sandboxUsersFor(plan.plan) } });
    try {
      await applyPlan(db, { plan: plan.plan, hash: plan.hash, now: new Date() });
      const r = await sendManual(db, { project: 'delivery-test', comm: 'prep-both', now: new Date(), ignoreQuietHours: true });
      await h.startWorker();
      const counts = await waitForQuiet(db, 20_000, `"key" LIKE 'prep-both#%'`);
      expect(counts).toEqual({ sent: r.count });
      expect(h.slack.messages.length + h.smtp.messages.length).toBe(r.count);
    } finally {
      await h.close();
      await db.close();
    }
  }, 40_000);
});
