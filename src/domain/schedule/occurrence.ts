import type { Channel } from '../plan/model.ts';

/**
 * One message the calendar says should exist: a comm's n-th occurrence for one person on one channel.
 * `key` is stable across re-plans so applying the same plan twice changes nothing.
 */
export interface Occurrence {
  key: string;
  comm: string;
  /** 0-based index of the occurrence within its comm's schedule. */
  occurrence: number;
  personId: string;
  channel: Channel;
  /** Due instant (UTC), after business-day, DST and quiet-hour rules. */
  dueAt: Date;
  /** For stepped series: the item this occurrence renders (e.g. an adoption tip key). */
  seriesItem?: string;
  /** Milestones whose moves can change this occurrence. */
  milestones: string[];
  /** Set on survey reminders: the n-th reminder (from 1) of the same comm occurrence. */
  reminder?: number;
}

export function occurrenceKey(comm: string, occurrence: number, personId: string, channel: Channel): string {
  return `${comm}#${occurrence}:${personId}:${channel}`;
}
