import { DateTime } from 'luxon';
import { channelName, type PlanWords } from '../domain/plan/comm-title.ts';
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
export function formatExplanation(e: Explained, words?: PlanWords): string {
  const due = DateTime.fromISO(e.at, { zone: e.timezone });
  // With the plan's words: "Cutover ops impact 1 of 2 → Raj Patel (e-mail)"; without, in keys.
  const head = words
    ? `${words.occurrence(e.comm, e.occurrence)}${e.seriesItem ? ` [${e.seriesItem}]` : ''} → ${words.person(e.person)} (${channelName(e.channel)})`
    : `${e.comm}#${e.occurrence}${e.seriesItem ? ` [${e.seriesItem}]` : ''} → ${e.person} (${e.channel})`;
  const steps = e.explain === null ? ['placed before Herald kept explanations (apply the plan again to record them)'] : e.explain.map((s) => s.reason);
  return `${head}: ${[...steps, `due ${due.toFormat('ccc d LLL yyyy HH:mm ZZZZ')} (${e.timezone})`].join(' → ')}`;
}

export function formatExplanations(entries: readonly Explained[], words?: PlanWords): string {
  return entries.length === 0 ? 'no messages in this range' : entries.map((e) => formatExplanation(e, words)).join('\n');
}
