import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_NOW } from '../../fixtures/example-now.ts';
import { runCli } from '../../support/cli.ts';
import { EXAMPLE, exampleVariant, ok, okJson, PROJECT, useAppliedDatabase } from './cli-fixtures.ts';

const t = useAppliedDatabase(EXAMPLE);

describe('herald history, diff, apply --rollback-to, audit and messages --format csv', () => {
  it('history names version 1, applied by user@host at the (injected) clock', async () => {
    const r = await ok(['history', PROJECT], t.env);
    expect(r.stdout).toMatch(new RegExp(`^version 1 {2}.+ {2}by \\S+@${hostname()} {2}added \\d+, moved 0, cancelled 0 {2}sha256 [0-9a-f]{12}\\n$`));
    const [v] = await okJson<Array<{ number: number; appliedAt: string }>>(['history', PROJECT, '--format', 'json'], t.env);
    expect(v!.number).toBe(1);
    // Each command's clock starts at the fixture's instant (HERALD_TEST_NOW), not today.
    expect(Date.parse(v!.appliedAt) - Date.parse(EXAMPLE_NOW)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(v!.appliedAt) - Date.parse(EXAMPLE_NOW)).toBeLessThan(60_000);
  });

  it('a moved milestone is version 2; diff shows the YAML and the moved messages; rollback-to 1 is version 3', async () => {
    const variant = exampleVariant((s) => s.replace('go-live:       { at: 2027-01-18T08:00', 'go-live:       { at: 2027-01-19T08:00'));
    try {
      const applied = await ok(['apply', variant.file], t.env);
      expect(applied.stdout).toContain('(version 2)');
    } finally {
      variant.remove();
    }
    const d = await ok(['diff', PROJECT, '1', '2'], t.env);
    expect(d.stdout).toContain('-  go-live:       { at: 2027-01-18T08:00');
    expect(d.stdout).toContain('+  go-live:       { at: 2027-01-19T08:00');
    expect(d.stdout).toMatch(/calendar from now on \(version 2 instead of 1\): 0 messages added, [1-9]\d* moved, 0 cancelled/);
    // Each moved message in words: the comm's title and number, the person's name, the channel; times in the project zone.
    expect(d.stdout).toMatch(/ {2}~ [A-Z][^\n]* → [A-Z][^\n]* \((e-mail|Slack)\): \w{3} [^\n]* C[SD]T → \w{3} [^\n]* C[SD]T\n/);

    const back = await ok(['apply', PROJECT, '--rollback-to', '1'], t.env);
    expect(back.stdout).toContain(`rolled ${PROJECT} back to version 1 (version 3)`);
    expect(back.stdout).toContain('milestone Go-live (go-live) moved');
    const history = await okJson<Array<{ number: number; rollbackOf: number | null }>>(['history', PROJECT, '--format', 'json'], t.env);
    expect(history.map((v) => [v.number, v.rollbackOf])).toEqual([
      [3, 1],
      [2, null],
      [1, null],
    ]);
    const missing = await runCli(['apply', PROJECT, '--rollback-to', '7'], t.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`version 7 of project ${PROJECT} not found`);
  });

  it('audit lists the applies and moves, as a table, CSV and JSON, and from a date', async () => {
    const table = await ok(['audit', PROJECT], t.env);
    expect(table.stdout).toMatch(/plan applied {2}version 1/);
    expect(table.stdout).toMatch(/plan rolled back {2}version 3/);
    const csv = (await ok(['audit', PROJECT, '--format', 'csv'], t.env)).stdout.trimEnd().split('\n');
    expect(csv[0]).toBe('at,actor,action,project,ref,detail');
    expect(csv.slice(1).map((l) => l.split(',')[2])).toEqual(['plan.applied', 'plan.applied', 'milestone.moved', 'plan.rolled-back', 'milestone.moved']);
    const json = await okJson<Array<{ action: string; actor: string }>>(['audit', PROJECT, '--format', 'json'], t.env);
    expect(json).toHaveLength(5);
    expect(json.every((e) => e.actor.endsWith(`@${hostname()}`))).toBe(true);
    expect((await ok(['audit', PROJECT, '--since', '2030-01-01'], t.env)).stdout).toBe(`no audit entries for ${PROJECT} since 2030-01-01\n`);
    const bad = await runCli(['audit', PROJECT, '--since', 'last week'], t.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"last week" is not a date');
  });

  it('messages --comm K --format csv gives every attempt with its provider id and outcome, and the answer and when', async () => {
    const msg = await t.db.prisma.message.findFirstOrThrow({ where: { key: { startsWith: 'workstream-status#' } }, orderBy: { key: 'asc' } });
    await t.db.prisma.delivery.createMany({
      data: [
        { messageId: msg.id, at: new Date('2026-12-02T09:00:00Z'), channel: msg.channel, outcome: 'retry', error: '429 "rate limited", later' },
        { messageId: msg.id, at: new Date('2026-12-02T09:01:00Z'), channel: msg.channel, outcome: 'sent', providerId: 'p-123' },
      ],
    });
    await t.db.prisma.message.update({ where: { id: msg.id }, data: { status: 'sent', sentAt: new Date('2026-12-02T09:01:00Z'), attempts: 2 } });
    await t.db.prisma.response.create({
      data: {
        projectId: msg.projectId,
        commId: msg.commId,
        occurrence: msg.occurrence,
        personId: msg.personId,
        messageId: msg.id,
        channel: 'email-link',
        option: 'green',
        receivedAt: new Date('2026-12-02T10:00:00Z'),
        sourceRef: 'csv-test',
        sourceRefs: ['csv-test'],
      },
    });
    const lines = (await ok(['messages', PROJECT, '--comm', 'workstream-status', '--format', 'csv'], t.env)).stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'message,key,comm,occurrence,person,channel,due_at,status,sent_at,attempt,attempt_at,attempt_channel,provider_id,outcome,error,answer,answer_comment,answered_at,answered_via',
    );
    const mine = lines.filter((l) => l.startsWith(msg.id));
    expect(mine).toHaveLength(2);
    expect(mine[0]).toContain(`,1,2026-12-02T09:00:00`);
    expect(mine[0]).toContain(',retry,"429 ""rate limited"", later",green,,2026-12-02T10:00:00.000Z,email-link');
    expect(mine[1]).toContain(',p-123,sent,,green,,2026-12-02T10:00:00.000Z,email-link');
    const count = await t.db.prisma.message.count({ where: { comm: { key: 'workstream-status' } } });
    expect(lines.length - 1).toBe(count + 1); // every message once, the one with two attempts twice
  });
});
