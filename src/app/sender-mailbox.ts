import { senderMailbox } from '../domain/plan/addresses.ts';
import type { DeliveryStore } from './ports.ts';

/**
 * The sending mailbox of each project's e-mail (lower-case bare address, '' for the default From),
 * remembered for `ttlMs`: every send asks, and a re-plan that changes the sender is seen within it.
 */
export function cachedMailboxes(store: Pick<DeliveryStore, 'senderEmail'>, ttlMs = 30_000): (projectId: string) => Promise<string> {
  const cache = new Map<string, { mailbox: Promise<string>; until: number }>();
  return (projectId) => {
    const now = Date.now();
    const hit = cache.get(projectId);
    if (hit && hit.until > now) return hit.mailbox;
    const mailbox = store.senderEmail(projectId).then(
      (email) => senderMailbox(email),
      (err: unknown) => {
        cache.delete(projectId);
        throw err;
      },
    );
    if (cache.size >= 10_000) cache.clear();
    cache.set(projectId, { mailbox, until: now + ttlMs });
    return mailbox;
  };
}
