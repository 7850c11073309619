import { describe, expect, it } from 'vitest';
import type { CalendarEntry } from '../../../src/app/calendar-view.ts';
import { runCli } from '../../support/cli.ts';
import { EXAMPLE, ok, okJson, PROJECT, summaryCounts, useAppliedDatabase } from './cli-fixtures.ts';

const t = useAppliedDatabase(EXAMPLE);

const rows = () => t.db.prisma.message.findMany({ select: { id: true, dueAt: true, status: true }, orderBy: { id: 'asc' } });
const tiedToCutover = () => t.db.prisma.message.count({ where: { milestones: { has: 'cutover' }, status: 'planned' } });
// Cutover is Fri 15 Jan 18:00 Chicago; moving it to the 22nd keeps 18:00.
// In the project zone with its abbreviation, not UTC (Friday 18:00 in Chicago is Saturday 00:00 UTC).
const MOVE = 'milestone Mailbox cutover weekend (cutover) Fri 15 Jan 2027 18:00 CST → Fri 22 Jan 2027 18:00 CST (America/Chicago)';

describe('herald milestone move', () => {
  it('--dry-run prints the moves and changes nothing', async () => {
    const before = await rows();
    const tied = await tiedToCutover();
    const r = await ok(['milestone', 'move', PROJECT, 'cutover', '2027-01-22', '--dry-run'], t.env);
    expect(r.stdout.split('\n')[0]).toBe(`dry run: ${MOVE}`);
    // The README's own example puts the cutover after go-live: the hypercare comms now come first.
    expect(r.stderr).toContain(
      'warning: Mailbox cutover weekend (Fri 22 Jan 2027 18:00 CST) now comes after Go-live (Mon 18 Jan 2027 08:00 CST); it was before it.',
    );
    expect(summaryCounts(r.stdout)).toEqual({ added: 0, moved: tied, cancelled: 0, unchanged: 0 });
    expect(r.stdout).toMatch(/\n {2}moved:\n {4}Cutover .+ \d of \d → [A-Z].+ \((Slack|e-mail)\): \w{3} \d{1,2} \w{3} \d{4} \d\d:\d\d C[SD]T → .+ C[SD]T\n/);
    // Nothing was queued, so the dry run must not claim it was.
    expect(r.stdout).not.toMatch(/messages? queued/);
    expect(r.stdout).toMatch(/\n\d+ milestone-moved messages? would be queued/);
    expect(r.stdout).not.toContain('note:');
    expect(await rows()).toEqual(before);
  });

  it('moves every message tied to the milestone, fires cutover-moved, and reminds to edit the plan', async () => {
    const tied = await tiedToCutover();
    const r = await ok(['milestone', 'move', PROJECT, 'cutover', '2027-01-22'], t.env);
    expect(r.stdout.split('\n')[0]).toBe(MOVE);
    expect(summaryCounts(r.stdout)).toEqual({ added: 0, moved: tied, cancelled: 0, unchanged: 0 });
    // cutover-moved goes to ops, service-desk and end-users: everyone but Maria (executives only).
    expect(r.stdout).toMatch(/\n44 milestone-moved messages queued\n/);
    expect(r.stdout).toContain('note: update the milestone in the plan file too, or the next "herald apply" moves it back');

    // Dana's first ops notice: 22 Jan minus 5 business days, skipping Martin Luther King Day
    // (Mon 18 Jan), is Thu 14 Jan, at 09:00 in New York.
    const dana = await okJson<CalendarEntry[]>(['calendar', PROJECT, '--format', 'json', '--person', 'dana'], t.env);
    const notice = dana.filter((e) => e.comm === 'cutover-ops-impact' && e.occurrence === 0).map((e) => e.localAt);
    expect(notice).toEqual(['2027-01-14T09:00:00-05:00', '2027-01-14T09:00:00-05:00']); // slack and email
    expect(dana.filter((e) => e.comm === 'cutover-moved')).toHaveLength(1);
  });

  it('a later apply of the unchanged plan file moves the milestone back and says so', async () => {
    const dry = await ok(['apply', EXAMPLE, '--dry-run'], t.env);
    expect(dry.stdout).toContain('milestone Mailbox cutover weekend (cutover) moved: Fri 22 Jan 2027 18:00 CST → Fri 15 Jan 2027 18:00 CST (America/Chicago)');
    expect(dry.stdout).toMatch(/\n44 milestone-moved messages would be queued\n/);
    const r = await ok(['apply', EXAMPLE], t.env);
    expect(r.stdout).toMatch(/\n44 milestone-moved messages queued\n/);
    expect(r.stdout).toContain('milestone Mailbox cutover weekend (cutover) moved: Fri 22 Jan 2027 18:00 CST → Fri 15 Jan 2027 18:00 CST (America/Chicago)');
    expect(summaryCounts(r.stdout).moved).toBeGreaterThan(0);
  });

  it('an unknown milestone exits 1 listing the known ones', async () => {
    const before = await rows();
    const r = await runCli(['milestone', 'move', PROJECT, 'cutovr', '2027-01-22'], t.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('milestone "cutovr" in project northwind-m365 not found');
    expect(r.stderr).toContain('known milestones: kickoff, mfa-deadline, pilot, cutover, go-live, hypercare-end');
    expect(await rows()).toEqual(before);
  });

  it.each(['22/01/2027', '2027-01-32', 'next friday'])('a bad WHEN (%s) exits 1 with the accepted formats', async (when) => {
    const r = await runCli(['milestone', 'move', PROJECT, 'cutover', when], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`"${when}" is not a date or date-time`);
    expect(r.stderr).toContain('hint: write YYYY-MM-DD (keeps the time of day) or YYYY-MM-DDTHH:mm');
  });
});

describe('herald milestone done', () => {
  it('go-live sends exec-go-live to the executives once', async () => {
    const r = await ok(['milestone', 'done', PROJECT, 'go-live'], t.env);
    // One executive (Maria), email only.
    expect(r.stdout).toBe('milestone Go-live (go-live) done; 1 message queued\n');
    const maria = await okJson<CalendarEntry[]>(['calendar', PROJECT, '--format', 'json', '--person', 'maria'], t.env);
    expect(maria.filter((e) => e.comm === 'exec-go-live')).toMatchObject([{ channel: 'email', occurrence: 0, status: 'planned' }]);

    const again = await ok(['milestone', 'done', PROJECT, 'go-live'], t.env);
    expect(again.stdout).toBe('milestone Go-live (go-live) was already done; nothing sent\n');
  });

  it('an unknown milestone exits 1 listing the known ones', async () => {
    const r = await runCli(['milestone', 'done', PROJECT, 'golive'], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('known milestones: ');
    expect(r.stderr).toContain('go-live');
  });
});
