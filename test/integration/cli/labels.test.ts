import { beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_PLAN, DIGEST_PROJECT, seedDigestWeek } from '../../support/digest-seed.ts';
import { loadPlanFile } from '../../../src/app/load-plan.ts';
import { keysIn, labelRulesOf, labelRulesOfPlan, type LabelRules } from '../../support/labels.ts';
import { EXAMPLE, exampleVariant, ok, PROJECT, useAppliedDatabase } from './cli-fixtures.ts';

const t = useAppliedDatabase(EXAMPLE, DIGEST_PLAN);
const W07 = new Date('2030-02-11T14:00:00Z');
const CAPACITY_PLAN = 'test/fixtures/plans/capacity.plan.yaml';
let rules: { example: LabelRules; digest: LabelRules; capacity: LabelRules };

beforeAll(async () => {
  await seedDigestWeek(t.db.prisma, W07);
  const project = await t.db.prisma.project.findUniqueOrThrow({ where: { key: DIGEST_PROJECT }, include: { people: true } });
  const bob = project.people.find((p) => p.key === 'bob')!;
  await t.db.prisma.inboundMail.create({
    data: {
      dedupeKey: 'labels-1',
      via: 'imap',
      fromAddress: 'bob@herald.example',
      subject: 'Re: pulse',
      kind: 'reply',
      outcome: 'unmatched',
      reason: 'no token',
      projectId: project.id,
      personId: bob.id,
      raw: Buffer.from('x'),
      size: 1,
      receivedAt: W07,
    },
  });
  rules = {
    example: await labelRulesOf(t.db.prisma, PROJECT),
    digest: await labelRulesOf(t.db.prisma, DIGEST_PROJECT),
    capacity: labelRulesOfPlan((await loadPlanFile(CAPACITY_PLAN)).plan),
  };
});

/**
 * Every human-format command that prints plan data, on the example plan (and the digest fixture with a
 * week of answers, an escalation and an inbox item), checked with the browser tests' keysIn: no person
 * key, option value, comm key, `#n` occurrence index, ISO instant or time without its zone.
 *
 * One exemption, kept narrow: `preview`'s "To: Bea Meyer (bea.meyer)" line gives the person's key in
 * brackets right after the name, as the handle to type for --person; that bracket is taken out first.
 * A validation warning locates its entry in the YAML as the file, line and path with the key the file
 * has there (`plan.yaml:19: warning: comms[0] (launch-notice): …`), as a compiler names the source;
 * that locator is taken out too, the rest of the warning is checked.
 * The rendered message after "--- Block Kit ---" / "--- HTML ---" is the message itself (checked by the
 * e-mail and Slack tests), not a table. Escalation ids are handles too, but not plan keys.
 */
const shown = (name: string, out: string): string =>
  name.startsWith('validate')
    ? out.replace(/^(\S+:\d+: warning: \w+\[\d+\]) \([\w.-]+\):/gm, '$1:')
    : name.startsWith('preview')
      ? out.split(/\n--- (?:Block Kit|HTML) ---\n/)[0]!.replace(/^(To: [^(\n]+) \([\w.-]+\)/m, '$1')
      : out;
const CASES: Array<[string, 'example' | 'digest' | 'capacity', string[]]> = [
  ['validate', 'example', ['validate', EXAMPLE]],
  ['apply --dry-run', 'example', ['apply', EXAMPLE, '--dry-run']],
  ['apply', 'example', ['apply', EXAMPLE]],
  ['simulate', 'example', ['simulate', EXAMPLE]],
  ['simulate --explain', 'example', ['simulate', EXAMPLE, '--explain', '--comm', 'hypercare-checkin']],
  ['calendar', 'example', ['calendar', PROJECT]],
  ['calendar --copies', 'example', ['calendar', PROJECT, '--copies', '--from', '2027-01-18', '--to', '2027-01-19']],
  ['calendar --explain', 'example', ['calendar', PROJECT, '--explain', '--from', '2027-01-18', '--to', '2027-01-19']],
  ['calendar --person', 'example', ['calendar', PROJECT, '--person', 'bea.meyer']],
  ['messages', 'example', ['messages', PROJECT, '--limit', '50']],
  ['milestone move --dry-run', 'example', ['milestone', 'move', PROJECT, 'go-live', '2027-01-19', '--dry-run']],
  ['history', 'example', ['history', PROJECT]],
  ['audit', 'example', ['audit', PROJECT]],
  ['responses', 'digest', ['responses', DIGEST_PROJECT]],
  ['escalations', 'digest', ['escalations', DIGEST_PROJECT]],
  ['inbox', 'digest', ['inbox', DIGEST_PROJECT]],
  ['digest --preview', 'digest', ['digest', DIGEST_PROJECT, '--preview', '--week', '2030-W07']],
  ['messages (digest)', 'digest', ['messages', DIGEST_PROJECT]],
  ['preview', 'example', ['preview', EXAMPLE, '--person', 'bea.meyer', '--comm', 'hypercare-checkin', '--channel', 'email']],
  ['preview --reminder', 'example', ['preview', EXAMPLE, '--person', 'bea.meyer', '--comm', 'hypercare-checkin', '--channel', 'slack', '--reminder', '1']],
  ['validate (capacity warnings)', 'capacity', ['validate', CAPACITY_PLAN]],
];

describe('a first apply', () => {
  it("lists the added messages' examples in words and project time", async () => {
    const copy = exampleVariant((text) => text.replace(`key: ${PROJECT}`, 'key: labels-copy'));
    try {
      const r = await ok(['apply', copy.file], t.env);
      expect(r.stdout).toContain('  added:');
      expect(keysIn(`${r.stdout}\n${r.stderr}`, rules.example)).toEqual([]);
    } finally {
      copy.remove();
    }
  });
});

describe('a second version', () => {
  it('diff lists the moved messages in words (the YAML patch above them is source text, not checked)', async () => {
    const variant = exampleVariant((text) => text.replace('go-live:       { at: 2027-01-18T08:00', 'go-live:       { at: 2027-01-19T08:00'));
    try {
      await ok(['apply', variant.file], t.env);
    } finally {
      variant.remove();
    }
    const r = await ok(['diff', PROJECT, '1', '2'], t.env);
    const calendar = r.stdout.slice(r.stdout.indexOf('\ncalendar from now on'));
    expect(calendar).toMatch(/ {2}~ /);
    expect(keysIn(calendar, rules.example)).toEqual([]);
    await ok(['apply', EXAMPLE], t.env);
  });
});

describe('CLI tables and notices show labels, not keys', () => {
  for (const [name, which, args] of CASES) {
    it(name, async () => {
      const r = await ok(args, t.env);
      expect(keysIn(`${shown(name, r.stdout)}\n${shown(name, r.stderr)}`, rules[which])).toEqual([]);
    });
  }
});
