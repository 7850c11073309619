import { describe, expect, it } from 'vitest';
import { returnDate } from '../../../src/domain/inbound/return-date.ts';

const today = '2027-01-19';

describe('the return date of an out-of-office notice', () => {
  it.each([
    ['I am out of the office until Friday, January 22, 2027.', '2027-01-23'],
    ['Out until Jan 22. I will be back on Monday, January 25.', '2027-01-25'],
    ['I will return on 25 January 2027.', '2027-01-25'],
    ['Back on 2027-02-01.', '2027-02-01'],
    ['back on 2/1', '2027-02-01'],
    ['Ich bin bis einschließlich 22.01.2027 nicht im Büro.', '2027-01-23'],
    ['Ich bin bis einschließlich 22.01.2027 nicht im Büro und ab dem 25.01.2027 wieder erreichbar.', '2027-01-25'],
    ['Ab Montag, 1. Februar bin ich wieder im Büro.', '2027-02-01'],
    ['Ich bin am 3. Februar zurück.', undefined],
    ['zurück am 3. Februar', '2027-02-03'],
    ["Je suis absente jusqu'au 29 janvier inclus.", '2027-01-30'],
    ['De retour le 01/02/2027.', '2027-02-01'],
    // Without a year: the next such date.
    ['back on 5 January', '2028-01-05'],
  ])('%s → %s', (text, want) => {
    expect(returnDate(text, today)).toBe(want);
  });

  it('ignores dates in the past, more than a year ahead, and words that only look like dates', () => {
    expect(returnDate('back on 2026-12-01', today)).toBeUndefined();
    expect(returnDate('back on 2029-01-01', today)).toBeUndefined();
    expect(returnDate('I will get back to you soon.', today)).toBeUndefined();
    expect(returnDate('Out until further notice.', today)).toBeUndefined();
    expect(returnDate('Out until 15 Marketing reviews it.', today)).toBeUndefined();
    expect(returnDate('back on 31 February', today)).toBeUndefined();
  });
});
