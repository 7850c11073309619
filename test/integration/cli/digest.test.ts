import { beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../../src/domain/digest/model.ts';
import { runCli } from '../../support/cli.ts';
import { DIGEST_PLAN, DIGEST_PROJECT, seedDigestWeek } from '../../support/digest-seed.ts';
import { ok, okJson, useAppliedDatabase } from './cli-fixtures.ts';

const t = useAppliedDatabase(DIGEST_PLAN);
/** Eva's digest of 2030-W07 goes out on Monday 11 February 2030 at 08:00 in Chicago. */
const W07_FOR_EVA = new Date('2030-02-11T14:00:00Z');

beforeAll(async () => {
  await seedDigestWeek(t.db.prisma, W07_FOR_EVA);
  // Two messages failed for good, dated by their delivery log (the clock's time): one this week, one the week before.
  // Their updatedAt is the database's now(), today: the digest must not count by it.
  const failed = await t.db.prisma.message.findMany({
    where: { project: { key: DIGEST_PROJECT }, status: 'planned', comm: { key: { not: 'pulse' } } },
    orderBy: { key: 'asc' },
    take: 2,
  });
  for (const [i, m] of failed.entries()) {
    await t.db.prisma.message.update({ where: { id: m.id }, data: { status: 'failed', lastError: 'no_address: seed' } });
    const at = new Date(W07_FOR_EVA.getTime() - (i === 0 ? 1 : 10) * 86_400_000);
    await t.db.prisma.delivery.create({ data: { messageId: m.id, at, channel: m.channel, outcome: 'failed', error: 'no_address: seed' } });
  }
});

describe('herald digest PROJECT --preview', () => {
  it('--format json prints the digest computed from stored data for the week asked for', async () => {
    const d = await okJson<Digest>(['digest', DIGEST_PROJECT, '--preview', '--week', '2030-W07', '--format', 'json'], t.env);
    expect(d.window.to).toBe(W07_FOR_EVA.toISOString());
    expect(d.week).toBe('2030-W07');
    expect(d.overall.status).toBe('red');
    expect(d.workstreams.map((w) => [w.key, w.status, w.reason])).toEqual([
      ['exchange', 'red', 'Archive mailboxes over 100 GB fail to migrate'],
      ['identity', 'amber', 'Approve a hard MFA deadline for the last 50 users'],
    ]);
    expect(d.decisions).toEqual([
      expect.objectContaining({
        kind: 'escalation',
        text: 'Bob Moss answered “Some issues”: Shared calendars are slow to open: not acknowledged by Ana Silva (level 1)',
      }),
      expect.objectContaining({ kind: 'status', text: 'Identity and MFA: Approve a hard MFA deadline for the last 50 users (Dan Ito)' }),
    ]);
    expect(d.milestones.moved).toEqual([
      expect.objectContaining({ key: 'cutover', baseline: '2030-02-16T00:00:00.000Z', current: '2030-02-23T00:00:00.000Z', moves: 1, movedThisWeek: true }),
    ]);
    expect(d.surveys).toEqual([expect.objectContaining({ comm: 'pulse', audience: 'end-users', sent: 2, answered: 1, rate: 50, changeText: 'new this week' })]);
    expect(d.comments.map((c) => c.text)).toEqual(['Shared calendars are slow to open']);
    expect(d.delivery).toMatchObject({ sent: 2, failed: 1, bounced: [{ name: 'Cy Tan', email: 'cy@herald.example', reason: '550 mailbox unavailable' }] });
    expect(d.escalations).toEqual([
      expect.objectContaining({
        summary: 'Bob Moss answered “Some issues”: Shared calendars are slow to open',
        workstream: 'Exchange Online migration',
        owner: 'Ana Silva',
        level: 1,
        state: 'open',
        age: '1 day',
      }),
    ]);
  });

  it('--format text (the default) prints the subject and the text part, every section in it', async () => {
    const r = await ok(['digest', DIGEST_PROJECT, '--preview', '--week', '2030-W07'], t.env);
    expect(r.stdout.split('\n')[0]).toBe('Digest test project weekly status: red, 11 Feb');
    for (const h of ['OVERALL: red', 'WORKSTREAMS', 'DECISIONS NEEDED', 'OPEN ESCALATIONS', 'MILESTONES', 'SURVEYS', 'WHAT PEOPLE SAID', 'DELIVERY'])
      expect(r.stdout).toContain(h);
    expect(r.stdout).toContain('Good morning Eva.');
    expect(r.stdout).toContain('Mailbox cutover: 15 Feb -> 22 Feb, 1 move (moved this week)');
  });

  it('--as shows it as another executive receives it, at their own 08:00', async () => {
    const d = await okJson<Digest>(['digest', DIGEST_PROJECT, '--preview', '--as', 'ravi', '--week', '2030-W07', '--format', 'json'], t.env);
    // 08:00 in Kolkata on Monday 11 February is 02:30 UTC.
    expect(d.window.to).toBe('2030-02-11T02:30:00.000Z');
    const r = await ok(['digest', DIGEST_PROJECT, '--preview', '--as', 'ravi', '--week', '2030-W07'], t.env);
    expect(r.stdout).toContain('Good morning Ravi.');
  });

  it('--format html prints the Outlook-safe email', async () => {
    const r = await ok(['digest', DIGEST_PROJECT, '--preview', '--week', '2030-W07', '--format', 'html'], t.env);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/);
    for (const s of ['overall', 'workstreams', 'decisions', 'escalations', 'milestones', 'surveys', 'comments', 'delivery'])
      expect(r.stdout).toContain(`data-section="${s}"`);
    expect(r.stdout).not.toMatch(/<script|<svg|<style/i);
  });

  it("--format slack prints the Block Kit message within Slack's limits", async () => {
    const m = await okJson<{ text: string; blocks: Array<{ type: string; text?: { text: string } }> }>(
      ['digest', DIGEST_PROJECT, '--preview', '--week', '2030-W07', '--format', 'slack'],
      t.env,
    );
    expect(m.text.length).toBeGreaterThan(0);
    expect(m.blocks.length).toBeGreaterThan(3);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    for (const b of m.blocks) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    expect(m.blocks[0]!.type).toBe('header');
  });

  it.each([
    [['digest', DIGEST_PROJECT], 'herald digest only previews: add --preview', 'herald worker'],
    [['digest', DIGEST_PROJECT, '--preview', '--week', '2030-7'], '"2030-7" is not an ISO week', 'YYYY-Www'],
    [['digest', DIGEST_PROJECT, '--preview', '--week', '2030-W53'], '"2030-W53" is not an ISO week', 'a week that exists'],
    [['digest', DIGEST_PROJECT, '--preview', '--format', 'pdf'], '--format pdf is not known', 'use --format text, html, json or slack'],
    [['digest', DIGEST_PROJECT, '--preview', '--as', 'evva'], 'person "evva" in project "digest-test" not found', 'did you mean "eva"?'],
    [['digest', 'digest-tset', '--preview'], 'project "digest-tset" not found', 'did you mean "digest-test"?'],
  ])('%j exits 1: %s', async (args, message, hint) => {
    const r = await runCli(args, t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(hint);
    expect(r.stdout).toBe('');
  });
});
