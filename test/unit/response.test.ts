import { describe, expect, it } from 'vitest';
import { commentWanted, decideAnswer, normaliseComment, surveyOption } from '../../src/domain/response.ts';
import type { SurveySpec } from '../../src/domain/plan/model.ts';

const survey: SurveySpec = {
  question: 'How is it going?',
  options: [
    { value: 'good', label: 'Working well' },
    { value: 'minor', label: 'Some issues', escalate: true, comment: true },
  ],
  comment: 'optional',
  escalateTo: 'workstream-owner',
};

describe('answers', () => {
  it('finds the option, or names the valid ones', () => {
    expect(surveyOption(survey, 'checkin', 'minor')).toMatchObject({ value: 'minor', escalate: true });
    expect(surveyOption(survey, 'checkin', null)).toBeNull();
    expect(() => surveyOption(survey, 'checkin', 'bad')).toThrow(/"bad" is not an option of comm "checkin" \(options: good, minor\)/);
    expect(() => surveyOption(undefined, 'tips', 'good')).toThrow(/has no survey/);
  });

  it('asks for a comment when the survey requires one or the option is marked', () => {
    expect(commentWanted(survey, survey.options[0]!)).toBe(false);
    expect(commentWanted(survey, survey.options[1]!)).toBe(true);
    expect(commentWanted({ ...survey, comment: 'required' }, survey.options[0]!)).toBe(true);
    expect(normaliseComment('  \n ')).toBeNull();
  });

  it('a seen source changes nothing; an option answer replaces the comment; a comment-only answer keeps the option', () => {
    const existing = { option: 'good', comment: 'fine', sourceRefs: ['slack:1'] };
    expect(decideAnswer(existing, { option: 'minor', comment: null, sourceRef: 'slack:1' })).toEqual({ kind: 'unchanged', reason: 'redelivered' });
    expect(decideAnswer(existing, { option: 'good', comment: 'fine', sourceRef: 'slack:2' })).toEqual({ kind: 'unchanged', reason: 'same-answer' });
    expect(decideAnswer(existing, { option: 'good', comment: null, sourceRef: 'slack:2' })).toEqual({
      kind: 'changed',
      next: { option: 'good', comment: null },
    });
    expect(decideAnswer(existing, { option: null, comment: 'slow', sourceRef: 'mail:1' })).toEqual({
      kind: 'changed',
      next: { option: 'good', comment: 'slow' },
    });
  });
});
