/** A message's delivery states, as in the `MessageStatus` enum of prisma/schema.prisma. */
export const MESSAGE_STATUSES = ['planned', 'queued', 'sending', 'sent', 'failed', 'cancelled', 'skipped', 'held'] as const;
