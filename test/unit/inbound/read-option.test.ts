import { describe, expect, it } from 'vitest';
import { readAnswer } from '../../../src/domain/inbound/read-option.ts';
import { OPTIONS } from './helpers.ts';

describe('reading a survey option from the first line of a reply', () => {
  it.each([
    ['2', 'minor', undefined],
    ['2 — Outlook keeps asking for my password', 'minor', 'Outlook keeps asking for my password'],
    ['2. slow', 'minor', 'slow'],
    ['(3) nothing works', 'blocked', 'nothing works'],
    ['minor', 'minor', undefined],
    ['MINOR: Teams', 'minor', 'Teams'],
    ['Some issues — Teams keeps crashing', 'minor', 'Teams keeps crashing'],
    ['some   issues', 'minor', undefined],
    ["I can't work!", 'blocked', undefined],
    ['All good\nthanks', 'fine', 'thanks'],
    ['Hi,\n1', 'fine', undefined],
    ['Hallo zusammen,\n\n3 - nichts geht', 'blocked', 'nichts geht'],
  ])('%j → %s', (text, option, comment) => {
    const a = readAnswer(text, OPTIONS);
    expect(a.option).toBe(option);
    expect(a.comment).toBe(comment);
  });

  it.each([
    "I'd say 3, it mostly works",
    'Minority report: nothing',
    '2027 was the year',
    '2,5 hours lost',
    '22 people affected',
    'Some issue with Teams',
    'Hi,\nHello,\n2',
    'Hi Raj, 2 for me',
    'Thanks. 2',
    'fine-tuning needed',
  ])('%j is a comment without an option', (text) => {
    expect(readAnswer(text, OPTIONS)).toEqual({ comment: text.trim() });
  });

  it('returns nothing for empty text, and no option when two options tie', () => {
    expect(readAnswer('  \n ', OPTIONS)).toEqual({});
    expect(
      readAnswer('yes please', [
        { value: 'yes', label: 'Yes' },
        { value: 'y2', label: 'yes' },
      ]).option,
    ).toBeUndefined();
  });
});
