import { beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_PLAN, DIGEST_PROJECT, seedDigestWeek } from '../../support/digest-seed.ts';
import { keysIn, labelRulesOf, type LabelRules } from '../../support/labels.ts';
import { EXAMPLE, exampleVariant, ok, PROJECT, useAppliedDatabase } from './cli-fixtures.ts';

const t = useAppliedDatabase(EXAMPLE, DIGEST_PLAN);
const W07 = new Date('2030-02-11T14:00:00Z');
let rules: { example: LabelRules; digest: LabelRules };

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
  rules = { example: await labelRulesOf(t.db.prisma, PROJECT), digest: await labelRulesOf(t.db.prisma, DIGEST_PROJECT) };
});

/**
 * Every human-format command that prints plan data, on the example plan (and the digest fixture with a
 * week of answers, an escalation and an inbox item), checked with the browser tests' keysIn: no person
 * key, option value, comm key, `#n` occurrence index, ISO instant or time without its zone.
 * No exemptions so far: where a command's next step needs a key (escalation ids), it is not a plan key.
 */
const CASES: Array<[string, 'example' | 'digest', string[]]> = [
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

describe('CLI tables and notices show labels, not keys', () => {
  for (const [name, which, args] of CASES) {
    it(name, async () => {
      const r = await ok(args, t.env);
      expect(keysIn(`${r.stdout}\n${r.stderr}`, rules[which])).toEqual([]);
    });
  }
});
