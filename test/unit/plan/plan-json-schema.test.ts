/**
 * The plan's JSON Schema (what `herald schema` prints and `herald init` writes beside a plan) is
 * generated from plan-shape.ts, the same shape the validators take their keys from. Checked here
 * with a real JSON Schema validator (ajv): every plan Herald ships validates, and the schema
 * rejects what `herald validate` rejects wherever a schema can say the rule.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PlanInvalidError } from '../../../src/domain/errors.ts';
import { parsePlan } from '../../../src/domain/plan/parse-plan.ts';
import { planJsonSchema } from '../../../src/domain/plan/plan-json-schema.ts';
import { ProjectCalendar } from '../../../src/domain/schedule/business-calendar.ts';
import { anchorDemoPlan } from '../../../src/demo/demo-plan.ts';
import { fillStarter } from '../../../src/domain/starters/fill-starter.ts';
import { STARTERS } from '../../../src/domain/starters/starter-catalogue.ts';
import { runCli } from '../../support/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const validator = new Ajv2020({ allErrors: true, strict: true }).compile(planJsonSchema());

function schemaErrors(yamlText: string): ErrorObject[] {
  // Duplicate keys are the validator's to report (with both lines); YAML parsing must not stop here.
  return validator(parse(yamlText, { uniqueKeys: false })) ? [] : (validator.errors ?? []);
}

/** parsePlan over a plan text whose people CSV is the example's. */
function validatorErrors(yamlText: string): string[] {
  try {
    parsePlan({ file: 'plan.yaml', text: yamlText, readFile: (f) => ({ file: f, text: readFileSync(path.join(ROOT, 'examples', f), 'utf8') }) });
    return [];
  } catch (e) {
    if (e instanceof PlanInvalidError) return e.issues.map((i) => i.message);
    throw e;
  }
}

function starterText(name: string): string {
  const calendar = new ProjectCalendar({
    timezone: 'Europe/Berlin',
    businessDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    holidays: { extra: [], country: 'DE' },
  });
  const values = {
    projectKey: 'x',
    projectName: 'X "quoted" \\ name',
    timezone: 'Europe/Berlin',
    country: 'DE',
    businessDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    goLive: '2027-03-29',
    cutover: '2027-03-25',
    help: 'the desk',
  };
  return fillStarter(read(`starters/${name}/plan.yaml`), values, calendar);
}

describe('the plan JSON Schema', () => {
  it('is what `herald schema` prints, and compiles in strict mode', async () => {
    const r = await runCli(['schema'], {});
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual(planJsonSchema());
    expect(planJsonSchema()).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', additionalProperties: false });
  });

  it('is the same as plan.schema.json in the repository, which the example plan names for editors', () => {
    // Regenerate with: node bin/herald.js schema > plan.schema.json
    expect(JSON.parse(read('plan.schema.json'))).toEqual(planJsonSchema());
    expect(read('examples/m365-migration.plan.yaml')).toMatch(/^# yaml-language-server: \$schema=\.\.\/plan\.schema\.json\n/);
  });

  it.each([
    'examples/m365-migration.plan.yaml',
    'test/fixtures/plans/capacity.plan.yaml',
    'test/fixtures/plans/delivery.plan.yaml',
    'test/fixtures/plans/digest.plan.yaml',
    'test/fixtures/plans/follow-ups.plan.yaml',
    'test/fixtures/plans/manual-send.plan.yaml',
    'test/fixtures/plans/replies.plan.yaml',
    'test/fixtures/plans/responses.plan.yaml',
  ])('accepts %s', (file) => {
    expect(schemaErrors(read(file))).toEqual([]);
  });

  it('accepts the demo plan once anchored', () => {
    expect(schemaErrors(anchorDemoPlan(read('examples/demo/demo.plan.yaml'), new Date('2027-01-04T15:00:00Z')))).toEqual([]);
  });

  it.each(STARTERS.map((s) => s.name))('accepts the %s starter once filled, and so does the validator', (name) => {
    const text = starterText(name);
    expect(schemaErrors(text)).toEqual([]);
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\/plan\.schema\.json\n/);
  });

  it('flags the broken fixture at each line `herald validate` rejects that a schema can express', () => {
    const paths = new Set(schemaErrors(read('test/fixtures/plans/broken.plan.yaml')).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`));
    const at = (p: string) => [...paths].some((x) => x.startsWith(`${p} `));
    const extra = (p: string, key: string) => paths.has(`${p} additionalProperties {"additionalProperty":"${key}"}`);
    expect(at('/project/businessDays/4')).toBe(true); // fry
    expect(at('/project/quietHours/end')).toBe(false); // 25:00 has the form HH:mm; the validator checks the range
    expect(at('/project/catchUp')).toBe(true); // later
    expect(extra('/project', 'colour')).toBe(true);
    expect(extra('/milestones/go-live', 'lable')).toBe(true);
    expect(at('/comms/0/channels/1')).toBe(true); // sms
    expect(at('/comms/0/schedule/offset')).toBe(true); // no sign
    expect(at('/comms/1/schedule/on')).toBe(true); // funday
    expect(at('/comms/3/survey/remind/after')).toBe(true); // negative
  });

  // Each edit of the example plan breaks one rule that both the validator and the schema know.
  const EXAMPLE = read('examples/m365-migration.plan.yaml');
  const edits: Array<[string, string, string]> = [
    ['an unknown section', 'milestones:\n', 'milestone:\n'],
    ['an unknown project key', '  catchUp: skip\n', '  catchup: skip\n'],
    ['a bad catchUp', '  catchUp: skip\n', '  catchUp: later\n'],
    ['a bad weekday', 'businessDays: [mon, tue, wed, thu, fri]', 'businessDays: [mon, tue, wed, thu, fry]'],
    ['a bad extra holiday date', 'extra: [2026-12-24, 2026-12-31]', 'extra: [24/12/2026]'],
    ['a quiet-hours time that is not HH:mm', 'quietHours: { start: "19:00"', 'quietHours: { start: "7pm"'],
    ['a milestone date that is not a date', 'at: 2027-01-15T18:00, label: Mailbox', 'at: next friday, label: Mailbox'],
    ['an unknown milestone key', '{ at: 2027-01-05T09:00, label: Pilot group migrated }', '{ at: 2027-01-05T09:00, lable: Pilot group migrated }'],
    ['an unknown workstream key', 'owner: dana, escalation: maria }', 'owner: dana, escalate: maria }'],
    ['an unknown person field', 'slack: U0MARIA01, timezone', 'slak: U0MARIA01, timezone'],
    ['a bad key name', '  pilot:         {', '  "pi lot":       {'],
    ['an unknown channel', 'channels: [slack, email]\n    template: ops-impact-notice', 'channels: [slack, sms]\n    template: ops-impact-notice'],
    ['an unknown comm key', '    optional: true\n', '    optionl: true\n'],
    ['an offset without a sign', 'offset: "-3 business days", time: "10:00"', 'offset: "3 business days", time: "10:00"'],
    ['an unknown offset unit', 'offset: "-3 business days", time: "10:00"', 'offset: "-3 fortnights", time: "10:00"'],
    ['a bad recurrence', 'every: week, on: friday', 'every: weekly, on: friday'],
    ['a bad weekday in a recurrence', 'on: friday', 'on: fri-day'],
    ['a schedule with an unknown key', 'time: "08:30", from: go-live', 'time: "08:30", start: go-live'],
    ['an unknown trigger', 'trigger: { milestone-done: go-live }', 'trigger: { milestone-finished: go-live }'],
    ['an unknown survey key', '      comment: optional\n      remind: { after: "4 hours"', '      comments: optional\n      remind: { after: "4 hours"'],
    ['a bad survey comment', '      comment: optional\n      remind: { after: "4 hours"', '      comment: maybe\n      remind: { after: "4 hours"'],
    ['a bad escalate', '{ value: amber, label: "At risk", escalate: true }', '{ value: amber, label: "At risk", escalate: soon }'],
    ['reminders times below 1', 'remind: { after: "4 hours", times: 1 }', 'remind: { after: "4 hours", times: 0 }'],
    ['an empty offsets list', 'offsets: ["+1 business day", "+7 days", "+21 days"]', 'offsets: []'],
    ['a bad sender key', 'replyTo: "it-pmo@northwind.example"', 'reply-to: "it-pmo@northwind.example"'],
  ];
  it.each(edits)('rejects %s, as the validator does', (_what, from, to) => {
    expect(EXAMPLE.includes(from), from).toBe(true);
    const text = EXAMPLE.replace(from, to);
    expect(validatorErrors(text)).not.toEqual([]);
    expect(schemaErrors(text)).not.toEqual([]);
  });
});
