import { z } from 'zod';
import { ApiError } from './api-errors.ts';

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('items per page (1-500)'),
  cursor: z.string().optional().describe('nextCursor from the previous page'),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/**
 * Cursors are opaque to callers: base64url JSON of the position after the last item returned.
 * Lists built by the use cases in a fixed order (calendar, messages) page by position in that order.
 */
export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0) return v.o;
  } catch {
    // falls through to the error below
  }
  throw new ApiError('CURSOR_INVALID', 'the cursor is not one this API returned', {
    hint: 'pass nextCursor from the previous page unchanged, or leave it out for the first page',
  });
}

/** `fetched` holds up to limit+1 items from `offset` on; the extra one says whether there is a next page. */
export function page<T>(fetched: readonly T[], offset: number, limit: number): { items: T[]; nextCursor: string | null } {
  const items = fetched.slice(0, limit);
  return { items, nextCursor: fetched.length > limit ? Buffer.from(JSON.stringify({ o: offset + limit })).toString('base64url') : null };
}
