import { describe, expect, it } from 'vitest';
import { parseIsoDate, parseLocalDateTime } from '../../../src/domain/plan/calendar-values.ts';
import { YamlSource } from '../../../src/domain/plan/yaml-locate.ts';

// Validation speaks a PM's words, not its parsers' (issue 17: "you specified 30 (of type number) as a
// day", "Nested mappings are not allowed in compact mappings").
describe('dates that do not exist', () => {
  it.each([
    ['2027-02-30', '"2027-02-30" is not a date: February 2027 has 28 days'],
    ['2028-02-30', '"2028-02-30" is not a date: February 2028 has 29 days'],
    ['2027-13-01', '"2027-13-01" is not a date: there is no month 13: months go from 01 to 12'],
    ['2027-04-31T09:00', '"2027-04-31T09:00" is not a valid date-time: April 2027 has 30 days'],
    ['2027-04-01T24:00', '"2027-04-01T24:00" is not a valid date-time: hours go from 00 to 23'],
    ['2027-04-01T09:60', '"2027-04-01T09:60" is not a valid date-time: minutes and seconds go from 00 to 59'],
  ])('%s', (raw, error) => {
    const r = raw.includes('T') ? parseLocalDateTime(raw, 'America/Chicago') : parseIsoDate(raw);
    expect(r).toEqual({ ok: false, error });
    if (!r.ok) expect(r.error).not.toMatch(/of type|unit out of range/);
  });
});

describe('YAML mistakes', () => {
  it.each([
    ['project: key: northwind\n', /two "key: value" pairs on one line/],
    ['project:\n\tkey: northwind\n', /a tab indents this line: YAML indents with spaces only/],
  ])('%j', (text, message) => {
    const src = new YamlSource('plan.yaml', text);
    expect(src.errors.length).toBeGreaterThan(0);
    expect(src.errors[0]!.message).toMatch(message);
    expect(src.errors.map((e) => e.message).join('\n')).not.toMatch(/Nested mappings|compact mappings/);
  });
});
