/** The chaos suite's summary: one row per scenario, printed as a table when the file ends. */
export interface ChaosRow {
  scenario: string;
  due: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** What else the scenario measured (kills, in flight, refusals…), one short phrase. */
  notes?: string;
}

export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((w, i) => (i === 0 || i === widths.length - 1 ? '-' : '') + '-'.repeat(w + 1) + (i === 0 || i === widths.length - 1 ? '' : ':')).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

export function chaosTable(rows: ChaosRow[]): string {
  return formatTable(
    ['scenario', 'due', 'delivered', 'lost', 'duplicates', 'notes'],
    rows.map((r) => [r.scenario, String(r.due), String(r.delivered), String(r.lost), String(r.duplicates), r.notes ?? '']),
  );
}
