import { DateTime } from 'luxon';
import type { ExplainStep } from '../domain/schedule/explain.ts';

/** What a printed explanation needs of a message (a calendar row or a simulated occurrence). */
export interface Explained {
  comm: string;
  occurrence: number;
  person: string;
  channel: string;
  /** Due instant, ISO-8601. */
  at: string;
  timezone: string;
  seriesItem?: string;
  explain: readonly ExplainStep[] | null;
}

/**
 * One message's placement as one readable line, rules in the order they applied:
 * `cutover-ops-impact#0 → raj (email): anchor cutover = … → −5 business days … → due Fri 8 Jan 09:00 GMT+5:30 (Asia/Kolkata)`.
 */
export function formatExplanation(e: Explained): string {
  const due = DateTime.fromISO(e.at, { zone: e.timezone });
  const head = `${e.comm}#${e.occurrence}${e.seriesItem ? ` [${e.seriesItem}]` : ''} → ${e.person} (${e.channel})`;
  const steps = e.explain === null ? ['placed before Herald kept explanations (apply the plan again to record them)'] : e.explain.map((s) => s.reason);
  return `${head}: ${[...steps, `due ${due.toFormat('ccc d LLL yyyy HH:mm ZZZZ')} (${e.timezone})`].join(' → ')}`;
}

export function formatExplanations(entries: readonly Explained[]): string {
  return entries.length === 0 ? 'no messages in this range' : entries.map(formatExplanation).join('\n');
}
