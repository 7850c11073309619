import { describe, expect, it } from 'vitest';
import { commsYaml, errorsOf, planYaml, run, validPlan } from './plan-helpers.ts';

const withTrigger = (t: string): string => planYaml({ comms: commsYaml(`trigger: ${t}`) });
const withSurvey = (...lines: string[]): string => planYaml({ comms: commsYaml('trigger: manual', 'survey:', ...lines.map((l) => `  ${l}`)) });
const OPTIONS = 'options: [{ value: good, label: Good }, { value: bad, label: Bad, escalate: true }]';

describe('triggers', () => {
  it('reads milestone-moved, milestone-done and manual in both spellings', () => {
    expect(validPlan(withTrigger('{ milestone-moved: cutover }')).comms[0]?.trigger).toEqual({ type: 'milestone-moved', milestone: 'cutover' });
    expect(validPlan(withTrigger('{ milestone-done: go-live }')).comms[0]?.trigger).toEqual({ type: 'milestone-done', milestone: 'go-live' });
    expect(validPlan(withTrigger('manual')).comms[0]?.trigger).toEqual({ type: 'manual' });
    expect(validPlan(withTrigger('{ manual: true }')).comms[0]?.trigger).toEqual({ type: 'manual' });
  });

  it('rejects unknown milestones, unknown forms and two forms at once', () => {
    expect(errorsOf(withTrigger('{ milestone-done: golive }'))).toEqual([
      'comms[0].trigger.milestone-done: unknown milestone "golive" (did you mean "go-live"? known: kickoff, cutover, go-live)',
    ]);
    expect(errorsOf(withTrigger('daily'))).toEqual([
      'comms[0].trigger: unknown trigger "daily": use { milestone-moved: KEY }, { milestone-done: KEY } or manual',
    ]);
    expect(errorsOf(withTrigger('{ milestone-moved: cutover, milestone-done: cutover }'))).toEqual([
      'comms[0].trigger: a trigger has exactly one form, found milestone-moved and milestone-done: make two comms if you need both',
    ]);
    expect(errorsOf(withTrigger('{ milestone-mvoed: cutover }'))[0]).toMatch(/unknown key "milestone-mvoed" \(did you mean "milestone-moved"\?/);
    expect(errorsOf(withTrigger('{ manual: false }'))).toEqual([
      'comms[0].trigger.manual: manual: false is not a trigger; write manual: true or give a schedule instead',
    ]);
  });
});

describe('surveys', () => {
  it('reads a survey with defaults: comment none, escalateTo workstream-owner, no reminder', () => {
    expect(validPlan(withSurvey('question: OK?', OPTIONS)).comms[0]?.survey).toEqual({
      question: 'OK?',
      options: [
        { value: 'good', label: 'Good' },
        { value: 'bad', label: 'Bad', escalate: true },
      ],
      comment: 'none',
      escalateTo: 'workstream-owner',
    });
  });

  it('reads comment, remind (unsigned delay, times default 1), urgent escalation and a person to escalate to', () => {
    const s = validPlan(
      withSurvey(
        'question: OK?',
        'options: [{ value: a }, { value: b, escalate: urgent }]',
        'comment: required',
        'remind: { after: "2 business days" }',
        'escalateTo: lee',
      ),
    ).comms[0]?.survey;
    expect(s).toEqual({
      question: 'OK?',
      options: [
        { value: 'a', label: 'a' },
        { value: 'b', label: 'b', escalate: 'urgent' },
      ],
      comment: 'required',
      remind: { after: { sign: 1, amount: 2, unit: 'business days', raw: '2 business days' }, times: 1 },
      escalateTo: 'lee',
    });
  });

  it('requires question and options; values unique; escalate true|urgent', () => {
    expect(errorsOf(withSurvey('comment: sometimes'))).toEqual([
      'comms[0].survey: missing required key "question" (for example question: "How is it going?")',
      'comms[0].survey: missing required key "options" (for example options: [ { value: good, label: "Working well" }, { value: bad, label: "Not working", escalate: true } ])',
      'comms[0].survey.comment: "sometimes" is not allowed (use one of: none, optional, required)',
    ]);
    expect(errorsOf(withSurvey('question: OK?', 'options: [{ value: a, escalate: maybe }, { value: a }, { label: x }]'))).toEqual([
      'comms[0].survey.options[0].escalate: escalate must be true, urgent or false, found "maybe"',
      'comms[0].survey.options[1].value: duplicate option value "a" (first at line 24); values must be unique',
      'comms[0].survey.options[2]: missing required key "value" (for example value: good)',
    ]);
  });

  it('reads an option that asks for a comment', () => {
    const s = validPlan(withSurvey('question: OK?', 'options: [{ value: a, comment: true }, { value: b, comment: false }]')).comms[0]?.survey;
    expect(s?.options).toEqual([
      { value: 'a', label: 'a', comment: true },
      { value: 'b', label: 'b' },
    ]);
    expect(errorsOf(withSurvey('question: OK?', 'options: [{ value: a, comment: yes please }]'))).toEqual([
      'comms[0].survey.options[0].comment: an option\'s comment must be true or false, found "yes please"',
    ]);
  });

  it('checks remind and escalateTo', () => {
    expect(errorsOf(withSurvey('question: OK?', OPTIONS, 'remind: { after: "-1 day", times: 0 }', 'escalateTo: lea'))).toEqual([
      'comms[0].survey.remind.after: "-1 day" must not be negative: write "1 day"',
      'comms[0].survey.remind.times: expected a whole number ≥ 1, found number 0',
      'comms[0].survey.escalateTo: unknown person "lea" (did you mean "lee"? known: dana, lee)',
    ]);
    expect(errorsOf(withSurvey('question: OK?', OPTIONS, 'remind: { times: 2 }'))).toEqual([
      'comms[0].survey.remind: missing required key "after" (for example after: "2 business days")',
    ]);
  });

  it('warns when escalateTo is set but nothing escalates', () => {
    const o = run(withSurvey('question: OK?', 'options: [{ value: a }]', 'escalateTo: dana'));
    expect(o.warnings.map((w) => w.message)).toEqual(['escalateTo has no effect: no option has escalate: true or urgent']);
  });
});
