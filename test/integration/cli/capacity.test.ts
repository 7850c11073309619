import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CalendarEntry } from '../../../src/app/calendar-view.ts';
import { runCli } from '../../support/cli.ts';
import { lineOf, ok, okJson, useAppliedDatabase } from './cli-fixtures.ts';

const PLAN = 'test/fixtures/plans/capacity.plan.yaml';
const TEXT = readFileSync(PLAN, 'utf8');
const NOTICE_LINE = lineOf(TEXT, '- key: launch-notice');
const REMINDER_LINE = lineOf(TEXT, '- key: shift-reminder');
const chicago = (iso: string) => DateTime.fromISO(iso, { zone: 'America/Chicago' }).toFormat('ccc HH:mm');

describe('herald validate: capacity warnings', () => {
  it('warns at the comm line when a wave outruns the mailbox, and still passes', async () => {
    const r = await runCli(['validate', PLAN], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is valid: project cli-capacity/);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${PLAN.replace(/\./g, '\\.')}:${NOTICE_LINE}: warning: comms\\[0\\] \\(launch-notice\\): 400 emails due Thu 28 Feb 2030 09:00 America/Chicago ` +
          `go out at 30 a minute \\(EMAIL_RATE_PER_MINUTE\\): the last leaves at 09:13 CST, 13 min after it is due; longer than the 10 min warning threshold`,
      ),
    );
    expect(lines[1]).toContain(`${PLAN}:${REMINDER_LINE}: warning: comms[1] (shift-reminder): 200 emails due Thu 28 Feb 2030 18:55`);
    expect(lines[1]).toContain("50 of them leave inside the recipients' quiet hours");
  });

  it('follows the configured limits and threshold: a daily cap pushes the rest to the next day', async () => {
    const r = await runCli(['validate', PLAN], { EMAIL_RATE_PER_MINUTE: '1000', EMAIL_RECIPIENTS_PER_DAY: '300', CAPACITY_WARN_MINUTES: '60' });
    expect(r.code).toBe(0);
    const notice = r.stderr.split('\n').find((l) => l.includes('(launch-notice)'));
    expect(notice).toContain(`${PLAN}:${NOTICE_LINE}: warning:`);
    expect(notice).toContain('go out at 300 a day (EMAIL_RECIPIENTS_PER_DAY): the last leaves at Fri 1 Mar 09:00 CST');
    expect(notice).toContain('100 of them leave on a later day than due');
  });

  it('prints nothing when the limits allow the waves', async () => {
    const r = await runCli(['validate', PLAN], { EMAIL_RATE_PER_MINUTE: '1000' });
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('herald apply and calendar: capacity', () => {
  const t = useAppliedDatabase();
  let applied: Awaited<ReturnType<typeof ok>>;
  beforeAll(async () => {
    applied = await ok(['apply', PLAN], t.env);
  });

  it('apply prints the same warnings as validate', async () => {
    const v = await runCli(['validate', PLAN], {});
    expect(applied.stderr).toBe(v.stderr);
    expect(applied.stdout).toMatch(/applied cli-capacity/);
  });

  it('calendar --format json gives each message its expected send time beside its due time', async () => {
    const all = await okJson<CalendarEntry[]>(['calendar', 'cli-capacity', '--format', 'json'], t.env);
    expect(all).toHaveLength(600);
    for (const e of all) {
      expect(e.expectedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(e.expectedAt!)).toBeGreaterThanOrEqual(Date.parse(e.at));
    }
    const notices = all.filter((e) => e.comm === 'launch-notice').map((e) => chicago(e.expectedAt!));
    expect(notices.filter((x) => x === 'Thu 09:00')).toHaveLength(30);
    expect(notices.at(-1)).toBe('Thu 09:13');
    const reminders = all.filter((e) => e.comm === 'shift-reminder').map((e) => chicago(e.expectedAt!));
    expect(reminders.at(-1)).toBe('Thu 19:01');
  });

  it('a sent message shows when it was sent; the table shows the expected time in its own column', async () => {
    await t.db.prisma.message.updateMany({ where: { key: 'launch-notice#0:p000:email' }, data: { status: 'sent', sentAt: new Date('2030-02-28T15:00:02Z') } });
    const p000 = await okJson<CalendarEntry[]>(['calendar', 'cli-capacity', '--format', 'json', '--person', 'p000'], t.env);
    expect(p000.find((e) => e.comm === 'launch-notice')?.expectedAt).toBe('2030-02-28T15:00:02.000Z');
    const table = (await ok(['calendar', 'cli-capacity', '--person', 'p399'], t.env)).stdout;
    expect(table).toMatch(/^ {2}Thu 09:00 CST +→ 09:13 +America\/Chicago +Launch notice +Person 399 · e-mail · planned$/m);
  });
});
