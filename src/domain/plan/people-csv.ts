/** One CSV record with the 1-based line it starts on. */
export interface CsvRow {
  line: number;
  cells: string[];
}

export interface CsvParse {
  rows: CsvRow[];
  /** Structural problems (unclosed quote), with their line. */
  errors: { line: number; message: string }[];
}

/**
 * RFC 4180 CSV (quotes, doubled quotes, CRLF, newlines inside quotes). Hand-written rather than
 * csv-parse so that each record knows the line it starts on and one bad row does not stop the rest.
 * Blank lines are skipped.
 */
export function parseCsv(text: string): CsvParse {
  const rows: CsvRow[] = [];
  const errors: { line: number; message: string }[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let cell = '';
      if (text[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const q = text.indexOf('"', i);
          if (q === -1) break;
          cell += text.slice(i, q);
          line += countNewlines(text, i, q);
          if (text[q + 1] === '"') {
            cell += '"';
            i = q + 2;
          } else {
            i = q + 1;
            closed = true;
            break;
          }
        }
        if (!closed) {
          errors.push({ line: startLine, message: 'unclosed quote: a field starting with " must end with "' });
          return { rows, errors };
        }
        // Tolerate stray characters after the closing quote up to the delimiter.
        const stop = nextStop(text, i);
        cell += text.slice(i, stop);
        i = stop;
      } else {
        const stop = nextStop(text, i);
        cell = text.slice(i, stop);
        i = stop;
      }
      cells.push(cell.endsWith('\r') ? cell.slice(0, -1) : cell);
      if (i >= n) endOfRecord = true;
      else if (text[i] === ',') i++;
      else {
        i++; // newline
        line++;
        endOfRecord = true;
      }
    }
    if (!(cells.length === 1 && (cells[0] ?? '').trim() === '')) rows.push({ line: startLine, cells });
  }
  return { rows, errors };
}

function nextStop(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 44 /* , */ || c === 10 /* \n */) return j;
  }
  return text.length;
}

function countNewlines(text: string, from: number, to: number): number {
  let c = 0;
  for (let j = text.indexOf('\n', from); j !== -1 && j < to; j = text.indexOf('\n', j + 1)) c++;
  return c;
}
