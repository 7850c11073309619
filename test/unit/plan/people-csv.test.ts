import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/domain/plan/people-csv.ts';

describe('parseCsv', () => {
  it('gives each record the line it starts on, skipping blank lines', () => {
    const { rows, errors } = parseCsv('id,name\r\na,"multi\nline"\n\nb,"say ""hi"", ok"\nc,\n');
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 1, cells: ['id', 'name'] },
      { line: 2, cells: ['a', 'multi\nline'] },
      { line: 5, cells: ['b', 'say "hi", ok'] },
      { line: 6, cells: ['c', ''] },
    ]);
  });

  it('handles a byte-order mark and a last line without newline', () => {
    expect(parseCsv('\uFEFFid\nx').rows).toEqual([
      { line: 1, cells: ['id'] },
      { line: 2, cells: ['x'] },
    ]);
  });

  it('reports an unclosed quote at the line where the field starts', () => {
    const { rows, errors } = parseCsv('id,name\na,A\nb,"oops\nc,C\n');
    expect(rows).toHaveLength(2);
    expect(errors).toEqual([{ line: 3, message: 'unclosed quote: a field starting with " must end with "' }]);
  });
});
