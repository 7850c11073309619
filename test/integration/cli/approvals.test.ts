/**
 * `herald approvals`, `herald approve` and `herald reject` on PostgreSQL, against the approvals
 * fixture plan with its approvals asked for as the worker's sweep does: the list (table and JSON,
 * names and times in the project zone), the variants with --show, approving on an approver's
 * behalf (the held message goes back to the calendar), `needs: all` waiting for the second
 * approver, requesting changes (reason required), and the coded errors.
 */
import { hostname, userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalEntryWithVariants } from '../../../src/app/approval-entry.ts';
import { runCli } from '../../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../support/databases.ts';
import { keysIn, labelRulesOf } from '../../support/labels.ts';
import { APPROVALS_PROJECT as P, seedApprovals } from '../../support/approvals-seed.ts';

// Fri 15 Feb 2030 09:00 UTC (the test clock starts there and runs): Kai's copy of the executive summary
// (09:00 in Berlin) came due and is held.
const AT = '2030-02-15T09:00:00Z';
let db: TestDatabase;
let env: Record<string, string>;
const me = (() => {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `@${hostname()}`;
  }
})();

beforeAll(async () => {
  db = await createTestDatabase();
  await seedApprovals(db, { holdDueBy: new Date(AT) });
  env = { DATABASE_URL: db.url, HERALD_TEST_NOW: AT };
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

const list = async (...args: string[]) => {
  const r = await runCli(['approvals', P, ...args, '--format', 'json'], env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ApprovalEntryWithVariants[];
};

describe('herald approvals', () => {
  it('lists every approval, pending first, with names, first send in the project zone and held count; labels, not keys', async () => {
    const r = await runCli(['approvals', P], env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^state\s+first send\s+held\s+approval$/);
    expect(r.stdout).toContain('Cutover ops briefing 1 of 3 — needs both Maria Lopez and Raj Patel');
    // 10:00 in Kolkata for Raj: 22:30 the evening before in Chicago.
    expect(r.stdout).toMatch(/pending\s+Mon 11 Feb 2030 22:30 CST\s+0\s+Cutover ops briefing 1 of 3/);
    expect(r.stdout).toMatch(/pending\s+Fri 15 Feb 2030 02:00 CST\s+1\s+Go-live executive summary — needs any one of Maria Lopez and Raj Patel/);
    expect(r.stdout).toContain('Maria Lopez: no decision yet');
    expect(keysIn(r.stdout, await labelRulesOf(db.prisma, P))).toEqual([]);
  });

  it('--format json gives keys beside names, ISO instants and the variants', async () => {
    const all = await list();
    expect(all.map((a) => `${a.comm}#${a.occurrence}`)).toEqual(['ops-briefing#0', 'ops-briefing#1', 'ops-briefing#2', 'go-live-summary#0']);
    const summary = all.find((a) => a.comm === 'go-live-summary')!;
    expect(summary).toMatchObject({
      title: 'Go-live executive summary',
      state: 'pending',
      needs: 'any',
      held: 1,
      round: 1,
      firstSendAt: '2030-02-15T08:00:00.000Z',
      approvers: [
        { person: 'maria', name: 'Maria Lopez', decision: null },
        { person: 'raj', name: 'Raj Patel', decision: null },
      ],
    });
    expect(summary.variants.map((v) => [v.audience, v.channel, v.locale, v.sample])).toEqual([
      ['executives', 'slack', 'en-US', 'Eva Lind'],
      ['executives', 'email', 'de-DE', 'Kai Berg'],
    ]);
    expect(await list('ops-briefing', '--occurrence', '1')).toMatchObject([{ title: 'Cutover ops briefing 2 of 3' }]);
  });

  it('COMM --show prints each variant: audience, channel, locale, sample recipient, subject and text', async () => {
    const r = await runCli(['approvals', P, 'go-live-summary', '--show'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('── executives · Slack · en-US · as Eva Lind receives it');
    expect(r.stdout).toContain('── executives · e-mail · de-DE · as Kai Berg receives it');
    expect(r.stdout).toContain('Subject: Go-live: what changes on Monday');
    expect(r.stdout).toContain('│ Mail, calendars and Teams move to Microsoft 365 over the weekend.');
    expect(r.stdout).not.toContain('Cutover ops briefing');
  });

  it('bad options and unknown names are coded errors with a hint, exit 1', async () => {
    const bad = [
      [['approvals', P, '--state', 'waiting'], /--state waiting is not known\n {2}hint: use --state pending, approved or rejected/],
      [['approvals', P, '--occurrence', '1'], /--occurrence needs the comm/],
      [['approvals', P, 'go-live-sumary'], /comm "go-live-sumary" in project approvals-test.*\n.*did you mean "go-live-summary"/],
      [['approvals', 'no-such-project'], /no-such-project/],
      [['approve', P, 'ops-notice'], /an approval of comm "ops-notice".*\n.*comms with approvals: /],
      [['approve', P, 'ops-briefing', '--occurrence', '7'], /occurrence 7 of ops-briefing.*\n.*occurrences with approvals: 0, 1, 2/],
      [['approve', P, 'go-live-summary', '--as', 'eva'], /"eva" is not an approver of go-live-summary \(approvers: maria, raj\)/],
      [['reject', P, 'go-live-summary', '--note', '  '], /requesting changes needs a reason/],
    ] as const;
    for (const [args, message] of bad) {
      const r = await runCli([...args], env);
      expect(r.code, `herald ${args.join(' ')}`).toBe(1);
      expect(r.stderr, `herald ${args.join(' ')}`).toMatch(message);
      expect(r.stderr).not.toContain('    at ');
    }
    // Commander's own: reject without --note.
    const noNote = await runCli(['reject', P, 'go-live-summary'], env);
    expect(noNote.code).toBe(1);
    expect(noNote.stderr).toContain("required option '--note <text>' not specified");
    expect((await list('go-live-summary'))[0]!.state).toBe('pending');
  });

  it('a project with no approvals says why', async () => {
    const applied = await runCli(['apply', 'test/fixtures/plans/delivery.plan.yaml'], { DATABASE_URL: db.url });
    expect(applied.code, applied.stderr).toBe(0);
    const r = await runCli(['approvals', 'delivery-test'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(
      'no approvals in project delivery-test: none of its comms needs a sign-off (give one approval: { by: [maria] }, or the project approval: { kinds: [...], by: [...] })',
    );
  });
});

describe('herald approve and herald reject', () => {
  it("approves on an approver's behalf: the held message goes back to the calendar, and the vote names who recorded it", async () => {
    const r = await runCli(['approve', P, 'go-live-summary', '--as', 'maria', '--note', 'Numbers checked'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('Approved Go-live executive summary for Maria Lopez: 1 held message goes out now.');
    const [a] = await list('go-live-summary');
    expect(a).toMatchObject({ state: 'approved', held: 0, decidedAt: expect.stringMatching(/^2030-02-15T09:00:/), note: 'Numbers checked' });
    expect(a!.approvers[0]).toMatchObject({ person: 'maria', decision: 'approve', via: 'cli', actor: me, note: 'Numbers checked' });
    const kai = await db.prisma.message.findFirstOrThrow({ where: { kind: 'comm', comm: { key: 'go-live-summary' }, person: { key: 'kai' } } });
    expect(kai.status).toBe('planned');
    const audit = await db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'approval.given' } });
    expect(audit).toMatchObject({ actor: me, ref: 'go-live-summary#0' });
    expect(audit.detail).toMatchObject({ approver: 'maria', via: 'cli', onBehalfOf: 'maria' });

    const table = (await runCli(['approvals', P, 'go-live-summary'], env)).stdout;
    expect(table).toMatch(/approved\s+Fri 15 Feb 2030 02:00 CST\s+0\s+Go-live executive summary/);
    expect(table).toContain(`Maria Lopez: approved Fri 15 Feb 2030 03:00 CST from the command line (recorded by ${me}): "Numbers checked"`);
    expect(table).toContain('Raj Patel: no decision yet');

    const again = await runCli(['approve', P, 'go-live-summary', '--occurrence', '0', '--as', 'raj', '--note', 'me too'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('Go-live executive summary was already approved; nothing changed (the note was not stored).');
    // Without --occurrence there is no pending one left to mean.
    const none = await runCli(['approve', P, 'go-live-summary'], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no approval of go-live-summary is waiting for a decision\n {2}hint: name one with --occurrence N/);
  });

  it('needs: all waits for the second approver; without --occurrence it takes the pending one due soonest', async () => {
    const first = await runCli(['approve', P, 'ops-briefing', '--as', 'raj'], env);
    expect(first.stdout.trim()).toBe('Approved Cutover ops briefing 1 of 3 for Raj Patel; still waiting for Maria Lopez (every approver must approve).');
    const second = await runCli(['approve', P, 'ops-briefing', '--occurrence', '0', '--as', 'maria'], env);
    expect(second.stdout.trim()).toBe('Approved Cutover ops briefing 1 of 3 for Maria Lopez: its messages go out as planned.');
    expect((await list('ops-briefing')).map((a) => a.state)).toEqual(['pending', 'pending', 'approved']);
  });

  it('requests changes as oneself with a reason; listed with --state rejected', async () => {
    const r = await runCli(['reject', P, 'ops-briefing', '--occurrence', '1', '--note', 'The window is Saturday, not Friday'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(
      `Requested changes to Cutover ops briefing 2 of 3 as ${me}: its messages are held until its content changes; the project manager is told the reason.`,
    );
    const [a] = await list('--state', 'rejected');
    expect(a).toMatchObject({ title: 'Cutover ops briefing 2 of 3', state: 'rejected', note: 'The window is Saturday, not Friday' });
    expect(a!.others).toEqual([
      { actor: me, decision: 'reject', note: 'The window is Saturday, not Friday', at: expect.stringMatching(/^2030-02-15T09:00:/), via: 'cli' },
    ]);
    const table = (await runCli(['approvals', P, '--state', 'rejected'], env)).stdout;
    expect(table).toContain(`${me} (editor): requested changes Fri 15 Feb 2030 03:00 CST from the command line: "The window is Saturday, not Friday"`);
    expect((await runCli(['approvals', P, '--state', 'rejected', 'go-live-summary'], env)).stdout.trim()).toBe(
      'no rejected approvals of this comm in project approvals-test',
    );
  });
});
