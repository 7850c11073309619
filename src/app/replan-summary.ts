import { DateTime } from 'luxon';
import { channelName, messageKeyWords, planWords } from '../domain/plan/comm-title.ts';
import type { Plan } from '../domain/plan/model.ts';
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

/**
 * The counts and a few examples of each change. With the plan, the examples read in words (the comm's
 * title and "2 of 3", the person's name, the channel, times in the project zone with its abbreviation);
 * without it (a trigger's firing), in keys and UTC.
 */
export function summarise(diff: CalendarDiff, plan?: Plan): ReplanSummary {
  const words = plan ? planWords(plan) : undefined;
  const zone = plan?.project.timezone;
  const iso = (d: Date): string => (zone ? DateTime.fromJSDate(d, { zone }).toFormat('ccc d LLL yyyy HH:mm ZZZZ') : d.toISOString().replace(/:00\.000Z$/, 'Z'));
  const label = (o: Occurrence): string =>
    words
      ? `${words.occurrence(o.comm, o.occurrence)} → ${words.person(o.personId)} (${channelName(o.channel)})`
      : `${o.comm} #${o.occurrence} → ${o.personId} (${o.channel})`;
  const cancelled = (key: string): string => (words ? messageKeyWords(words, key) : key);
  return {
    added: diff.add.length,
    moved: diff.move.length,
    cancelled: diff.cancel.length,
    unchanged: diff.unchanged,
    skipped: diff.add.filter((a) => a.status === 'skipped').length + diff.move.filter((m) => m.status === 'skipped').length,
    examples: {
      added: diff.add.slice(0, EXAMPLES).map((a) => `${label(a.occurrence)} at ${iso(a.occurrence.dueAt)}${a.status === 'skipped' ? ' (past: skipped)' : ''}`),
      moved: diff.move.slice(0, EXAMPLES).map((m) => `${label(m.occurrence)}: ${iso(m.from)} → ${iso(m.occurrence.dueAt)}`),
      cancelled: diff.cancel.slice(0, EXAMPLES).map((c) => `${cancelled(c.key)} (was ${iso(c.dueAt)})`),
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
