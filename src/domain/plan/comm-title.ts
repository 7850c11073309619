import type { CommSpec } from './model.ts';

/** A key as words: "hypercare-checkin" → "Hypercare checkin" (a PM reads this, not the key). */
export function readableKey(key: string): string {
  const words = key.replace(/[-_.]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : key;
}

/** The comm's `title:`, else its key as words. */
export function commTitle(comm: Pick<CommSpec, 'key' | 'title'> | undefined, key: string): string {
  return comm?.title ?? readableKey(key);
}

/** "2 of 3" for the 0-based occurrence index; just "1" when the total is unknown. */
export function occurrenceLabel(index: number, total: number | undefined): string {
  return total !== undefined && total > 1 ? `${index + 1} of ${total}` : total === 1 ? '' : `${index + 1}`;
}
