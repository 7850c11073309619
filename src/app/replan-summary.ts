import type { CalendarDiff } from '../domain/replan/diff.ts';
import type { Occurrence } from '../domain/schedule/occurrence.ts';

export interface ReplanSummary {
  added: number;
  moved: number;
  cancelled: number;
  unchanged: number;
  /** Of added and moved: how many landed in the past and were skipped (catchUp: skip). */
  skipped: number;
  examples: { added: string[]; moved: string[]; cancelled: string[] };
}

const EXAMPLES = 5;
const iso = (d: Date): string => d.toISOString().replace(/:00\.000Z$/, 'Z');
const label = (o: Occurrence): string => `${o.comm} #${o.occurrence} → ${o.personId} (${o.channel})`;

export function summarise(diff: CalendarDiff): ReplanSummary {
  return {
    added: diff.add.length,
    moved: diff.move.length,
    cancelled: diff.cancel.length,
    unchanged: diff.unchanged,
    skipped: diff.add.filter((a) => a.status === 'skipped').length + diff.move.filter((m) => m.status === 'skipped').length,
    examples: {
      added: diff.add.slice(0, EXAMPLES).map((a) => `${label(a.occurrence)} at ${iso(a.occurrence.dueAt)}${a.status === 'skipped' ? ' (past: skipped)' : ''}`),
      moved: diff.move.slice(0, EXAMPLES).map((m) => `${label(m.occurrence)}: ${iso(m.from)} → ${iso(m.occurrence.dueAt)}`),
      cancelled: diff.cancel.slice(0, EXAMPLES).map((c) => `${c.key} (was ${iso(c.dueAt)})`),
    },
  };
}

export function formatSummary(s: ReplanSummary): string {
  const lines = [
    `added ${s.added}, moved ${s.moved}, cancelled ${s.cancelled}, unchanged ${s.unchanged}` + (s.skipped ? ` (${s.skipped} already past: skipped)` : ''),
  ];
  for (const [kind, list] of Object.entries(s.examples)) {
    if (list.length) lines.push(`  ${kind}:`, ...list.map((l) => `    ${l}`));
  }
  return lines.join('\n');
}
