import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { MessageLogEntry } from '../../../src/app/message-log.ts';
import { EXAMPLE_NOW } from '../../fixtures/example-now.ts';
import { runCli } from '../../support/cli.ts';
import { EXAMPLE, MANUAL_PLAN, ok, okJson, PROJECT, useAppliedDatabase } from './cli-fixtures.ts';

const t = useAppliedDatabase(EXAMPLE, MANUAL_PLAN);

describe('herald messages and retry', () => {
  it('--status failed says when nothing failed', async () => {
    const r = await ok(['messages', PROJECT, '--status', 'failed'], t.env);
    expect(r.stdout).toBe('no messages match\n');
    expect(await okJson<unknown[]>(['messages', PROJECT, '--status', 'failed', '--format', 'json'], t.env)).toEqual([]);
  });

  it('an unknown --status exits 1 listing the statuses', async () => {
    const r = await runCli(['messages', PROJECT, '--status', 'broken'], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--status broken is not a message status');
    expect(r.stderr).toContain('use one of planned, queued, sending, sent, failed, cancelled, skipped');
  });

  it.each([
    [['--format', 'xml'], '--format xml is not known', 'use --format table, json or csv'],
    [['--limit', 'ten'], '--limit ten is not a whole number from 1', 'e.g. --limit 1'],
    [['--comm', 'exec-weekli'], 'comm "exec-weekli" in project northwind-m365 not found', 'did you mean "exec-weekly"?'],
    [['--person', 'mraia'], 'person "mraia" in project northwind-m365 not found', 'did you mean "maria"?'],
  ])('messages %j exits 1: %s', async (extra, message, hint) => {
    const r = await runCli(['messages', PROJECT, ...extra], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(hint);
  });

  it('--limit caps the listing', async () => {
    const r = await ok(['messages', PROJECT, '--limit', '3'], t.env);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  it('lists a failed message with its last error, and retry re-queues it as planned', async () => {
    const msg = await t.db.prisma.message.findFirstOrThrow({ where: { key: 'exec-weekly#202650:maria:email' } });
    await t.db.prisma.message.update({ where: { id: msg.id }, data: { status: 'failed', attempts: 3, lastError: '550 mailbox unavailable' } });

    const listed = await ok(['messages', PROJECT, '--status', 'failed'], t.env);
    // In words: the project's time with its zone, the digest's title and week, the person's name and the channel.
    expect(listed.stdout).toMatch(/^\w{3} \d{1,2} \w{3} \d{4} \d\d:\d\d C[SD]T {2}failed {4}Exec weekly week 50 → Maria \S+ \(e-mail\) attempts 3\n$/);
    const json = await okJson<MessageLogEntry[]>(['messages', PROJECT, '--status', 'failed', '--format', 'json'], t.env);
    expect(json).toMatchObject([{ id: msg.id, comm: 'exec-weekly', person: 'maria', status: 'failed', lastError: '550 mailbox unavailable' }]);

    const before = Date.parse(EXAMPLE_NOW); // each command's clock starts there (HERALD_TEST_NOW)
    const r = await ok(['retry', PROJECT], t.env);
    expect(r.stdout).toBe('1 message re-queued; a running "herald worker" sends it when due\n');
    const after = await t.db.prisma.message.findUniqueOrThrow({ where: { id: msg.id } });
    expect(after.status).toBe('planned');
    // Due at its planned time, or now if that has passed.
    expect(after.dueAt.getTime()).toBeGreaterThanOrEqual(msg.dueAt.getTime());
    if (after.dueAt.getTime() !== msg.dueAt.getTime()) expect(after.dueAt.getTime()).toBeGreaterThanOrEqual(before - 1000);

    const again = await ok(['retry', PROJECT], t.env);
    expect(again.stdout).toBe('0 messages re-queued\n');
  });

  it('retry --message with an id that is not failed exits 1', async () => {
    const msg = await t.db.prisma.message.findFirstOrThrow({ where: { key: 'exec-weekly#202651:maria:email' } });
    const r = await runCli(['retry', PROJECT, '--message', msg.id], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`failed message ${msg.id} not found`);
  });
});

describe('herald send', () => {
  it('refuses a comm that is not manual, with a hint', async () => {
    const r = await runCli(['send', PROJECT, 'exec-weekly'], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('comm "exec-weekly" is not a manual comm');
    expect(r.stderr).toContain('hint: give it "trigger: manual" in the plan');
  });

  it('an unknown comm exits 1 listing the comms', async () => {
    const r = await runCli(['send', PROJECT, 'exec-weekli'], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('comm "exec-weekli" in project northwind-m365 not found');
    expect(r.stderr).toContain('exec-weekly');
  });

  it('queues a manual comm for every recipient, outside their quiet hours', async () => {
    const before = Date.parse(EXAMPLE_NOW); // each command's clock starts there (HERALD_TEST_NOW)
    const r = await ok(['send', 'cli-manual', 'outage-notice'], t.env);
    expect(r.stdout).toBe('2 messages of Outage notice queued (firing 1); a running "herald worker" delivers them\n');
    const sent = await okJson<MessageLogEntry[]>(['messages', 'cli-manual', '--comm', 'outage-notice', '--format', 'json'], t.env);
    // Preferred channel: Slack for Ben (has a Slack id), e-mail for Ana.
    expect(sent.map((m) => [m.person, m.channel, m.status]).sort()).toEqual([
      ['ana', 'email', 'planned'],
      ['ben', 'slack', 'planned'],
    ]);
    const zones: Record<string, string> = { ana: 'Europe/Berlin', ben: 'America/New_York' };
    for (const m of sent) {
      const due = DateTime.fromISO(m.dueAt, { zone: zones[m.person]! });
      expect(due.toMillis()).toBeGreaterThanOrEqual(before - 1000);
      // Quiet hours 20:00–07:00 recipient-local: due now, or at 07:00 when now is inside them.
      const inQuiet = due.hour >= 20 || due.hour < 7;
      expect(inQuiet, `${m.person} due ${due.toISO()}`).toBe(false);
    }
  });

  it('--now sends at once, even in quiet hours; each firing is a new occurrence', async () => {
    const before = Date.parse(EXAMPLE_NOW); // each command's clock starts there (HERALD_TEST_NOW)
    const r = await ok(['send', 'cli-manual', 'outage-notice', '--now'], t.env);
    expect(r.stdout).toMatch(/^2 messages of Outage notice queued \(firing 2\)/);
    const sent = await okJson<MessageLogEntry[]>(['messages', 'cli-manual', '--comm', 'outage-notice', '--format', 'json'], t.env);
    const second = sent.filter((m) => m.key.startsWith('outage-notice#1:'));
    expect(second).toHaveLength(2);
    for (const m of second) expect(Math.abs(Date.parse(m.dueAt) - before)).toBeLessThan(60_000);
  });
});
